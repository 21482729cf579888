/**
 * The assessment health report on the lint-clean fixture tree: what belongs to each track, which findings and
 * simulations sit with which quiz, role-play and case, the score naive runs are held to, and the verdict list.
 */
import { describe, expect, it } from 'vitest';
import { parseContent, readContentFiles } from '~/features/content/load';
import { assessmentHealth, failingCertification } from '~/features/reports/assessment-health';

const files = await readContentFiles('tests/fixtures/lint/clean');
const edit = (path: string, from: string, to: string) =>
  files.map((f) => (f.path === path ? { ...f, text: f.text.replace(from, to) } : f));

describe('assessmentHealth', () => {
  it('groups the quiz, role-play and case of each track, and says which naive strategies get through', () => {
    const report = assessmentHealth(parseContent(files));
    expect(report.tracks).toEqual([
      {
        id: 'basics',
        title: 'Basics',
        findings: [],
        quizzes: ['greeting-quiz'],
        roleplays: ['angry-caller'],
        cases: ['greeting-case'],
      },
    ]);
    expect(report.quizzes.map((q) => [q.id, q.certification, q.asked, q.pool, q.findings.length])).toEqual([
      ['greeting-quiz', true, 6, 9, 0],
    ]);
    expect(report.quizzes[0]!.results.map((r) => r.strategy)).toEqual(['first', 'longest', 'true', 'false', 'random']);
    expect(report.roleplays[0]!.results.map((r) => r.strategy)).toEqual(['first', 'longest', 'random']);
    expect(report.cases[0]!.modules).toEqual(['greeting']);
    // Lint-clean is not enough: six questions of two to three options can be guessed (about 2 % of attempts), and
    // a role-play of two points with two replies each is passed by any reply a third of the time.
    expect(failingCertification(report).map((f) => [f.kind, f.item.id, f.item.through])).toEqual([
      ['quiz', 'greeting-quiz', ['random']],
      ['roleplay', 'angry-caller', ['first', 'random']],
    ]);
    expect(report.cases[0]!.through).toEqual([]);
  });

  it('holds a required role-play to the score the track asks for', () => {
    const report = assessmentHealth(
      parseContent(
        edit('tracks/basics.yaml', '  - roleplay: angry-caller', '  - roleplay: angry-caller\n    minScore: 40'),
      ),
    );
    expect(report.roleplays[0]).toMatchObject({ passScore: 40, requiredBy: ['basics'], certification: true });
  });

  it('puts findings with what they are about and lists the certification content a strategy gets through', () => {
    const longest = 'I am so sorry about this, Dana. Let me look it up for you now.';
    const report = assessmentHealth(
      parseContent(
        edit('roleplays/angry-caller.yaml', 'text: Sorry, Dana. Let me look.', `text: ${longest}`).map((f) =>
          f.path === 'roleplays/angry-caller.yaml'
            ? {
                ...f,
                text: f.text.replace(
                  "text: Go on, I'm listening.",
                  "text: Go on, please, I'm listening to every word of this.",
                ),
              }
            : f,
        ),
      ),
    );
    const rp = report.roleplays[0]!;
    expect(rp.findings.map((f) => f.rule)).toEqual(['longest-best-reply', 'longest-best-reply']);
    expect(rp.through).toEqual(['first', 'longest', 'random']);
    expect(rp.leaks).toContainEqual({ id: 'explain', rates: { longest: 1 } });
    expect(failingCertification(report)).toContainEqual({ kind: 'roleplay', item: rp });
    expect(report.quizzes[0]!.findings).toEqual([]);
  });
});
