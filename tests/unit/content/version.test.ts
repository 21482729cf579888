import { beforeAll, describe, expect, it } from 'vitest';
import { parseContent, readContentFiles, type SourceFile } from '~/features/content/load';
import { moduleSources, moduleVersion } from '~/features/content/version';

let base: SourceFile[];
beforeAll(async () => {
  base = await readContentFiles('tests/fixtures/content/valid');
});

type Changes = Record<string, (text: string) => string>;

/** The valid fixture with some files changed or added. */
function contentWith(changes: Changes = {}, added: SourceFile[] = []) {
  return parseContent([...base.map((f) => ({ ...f, text: changes[f.path]?.(f.text) ?? f.text })), ...added]);
}

function versionWith(changes: Changes = {}, added: SourceFile[] = []): string | undefined {
  return moduleVersion(contentWith(changes, added), 'greeting');
}

describe('module content version', () => {
  it('is a SHA-256 hex digest, identical across runs', () => {
    const version = versionWith();
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(versionWith()).toBe(version);
    // Pinned: a different value means the hash input changed (or this fixture was edited); in production that
    // would re-version every module and ask everyone to recertify.
    expect(version).toBe('8a1e4bf84492460899bcde0eab96c07b54b5405e1e268be9a5f6941620ad3b85');
  });

  it('is unchanged for a module without calibration exercises (the hash before exercises existed)', () => {
    const files = base
      .filter((f) => !f.path.startsWith('exercises/'))
      .map((f) => (f.path === 'modules/greeting.mdx' ? { ...f, text: f.text.replace('<Exercise id="greeting-calibration" />\n\n', '') } : f));
    expect(moduleVersion(parseContent(files), 'greeting')).toBe('23caffcbcede68f4a3f47bffccf11c2debcb1839ba20ae9ed4b78485eef19af3');
  });

  it('covers the lesson and every file it references', () => {
    expect(moduleSources(parseContent(base), 'greeting')).toEqual([
      'modules/greeting',
      'cases/greeting-case',
      'exercises/greeting-calibration',
      'quizzes/greeting-quiz',
      'roleplays/angry-caller',
      'standards/greet-by-name',
      'standards/listen-first',
    ]);
  });

  it.each([
    ['a referenced standard', 'standards/listen-first.yaml'],
    ['the quiz', 'quizzes/greeting-quiz.yaml'],
    ['a judgment case', 'cases/greeting-case.yaml'],
    ['a role-play', 'roleplays/angry-caller.yaml'],
    ['a calibration exercise', 'exercises/greeting-calibration.yaml'],
    ['the lesson', 'modules/greeting.mdx'],
  ])('changes when %s changes', (_, path) => {
    expect(versionWith({ [path]: (t) => `${t}\n# edited\n` })).not.toBe(versionWith());
  });

  it('covers an exercise naming the module even when the lesson does not show it, and the standards on its scorecard', () => {
    const changes: Changes = {
      'modules/greeting.mdx': (t) => t.replace('<Exercise id="greeting-calibration" />', ''),
      'exercises/greeting-calibration.yaml': (t) => t.replace('[greet-by-name, listen-first]', '[greet-by-name, listen-first, smile]'),
    };
    const smile = (text: string): SourceFile => ({ path: 'standards/smile.yaml', text });
    expect(moduleSources(contentWith(changes, [smile('id: smile\n')]), 'greeting')).toEqual(expect.arrayContaining(['exercises/greeting-calibration', 'standards/smile']));
    expect(versionWith(changes, [smile('id: smile\n')])).not.toBe(versionWith(changes, [smile('id: smile\n# edited\n')]));
  });

  it('ignores unrelated files and line endings', () => {
    const unrelated: SourceFile = { path: 'standards/smile.yaml', text: 'id: smile\n' };
    expect(versionWith({ 'tracks/basics.yaml': (t) => t.replace('dueDays: 30', 'dueDays: 45') }, [unrelated])).toBe(versionWith());
    expect(versionWith({ 'modules/greeting.mdx': (t) => t.replace(/\n/g, '\r\n') })).toBe(versionWith());
  });

  it('includes the policy values the module uses, and only those', () => {
    const uses = { 'cases/greeting-case.yaml': (t: string) => t.replace('an overdue bill.', 'an overdue bill and {{goodwill}} of credit.') };
    const raise = (t: string) => t.replace('money: 25', 'money: 40');
    const later = (t: string) => t.replace('number: 7', 'number: 10');
    expect(versionWith({ ...uses, 'organization.yaml': raise })).not.toBe(versionWith(uses));
    expect(versionWith({ ...uses, 'organization.yaml': later })).toBe(versionWith(uses));
    // A lesson's <Policy> counts the same way.
    const shows = { 'modules/greeting.mdx': (t: string) => t.replace('A name turns a ticket into a person.', 'Call back within <Policy name="follow-up" />.') };
    expect(versionWith({ ...shows, 'organization.yaml': later })).not.toBe(versionWith(shows));
  });
});
