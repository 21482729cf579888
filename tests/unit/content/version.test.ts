import { beforeAll, describe, expect, it } from 'vitest';
import { parseContent, readContentFiles, type SourceFile } from '../../../src/features/content/load';
import { moduleSources, moduleVersion } from '../../../src/features/content/version';

let base: SourceFile[];
beforeAll(async () => {
  base = await readContentFiles('tests/fixtures/content/valid');
});

/** The valid fixture with some files replaced or added. */
function versionWith(changes: Record<string, (text: string) => string> = {}, added: SourceFile[] = []): string | undefined {
  const files = base.map((f) => ({ ...f, text: changes[f.path]?.(f.text) ?? f.text }));
  return moduleVersion(parseContent([...files, ...added]), 'greeting');
}

describe('module content version', () => {
  it('is a SHA-256 hex digest, identical across runs', () => {
    const version = versionWith();
    expect(version).toMatch(/^[0-9a-f]{64}$/);
    expect(versionWith()).toBe(version);
    // Pinned: a different value means the hash input changed (or this fixture was edited); in production that
    // would re-version every module and ask everyone to recertify.
    expect(version).toBe('85b00f1818eb28b4e342ef854a2fb8ae810cd86c7c72367a04f9d70d3f3d0d2a');
  });

  it('covers the lesson and every file it references', () => {
    expect(moduleSources(parseContent(base), 'greeting')).toEqual([
      'modules/greeting',
      'cases/greeting-case',
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
    ['the lesson', 'modules/greeting.mdx'],
  ])('changes when %s changes', (_, path) => {
    expect(versionWith({ [path]: (t) => `${t}\n# edited\n` })).not.toBe(versionWith());
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
