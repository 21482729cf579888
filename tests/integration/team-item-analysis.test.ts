/**
 * The trainer's item analysis for one team counts every certification attempt of the team's members in the range,
 * however many there are (it used to read only the newest 1,000): checked against the per-attempt analysis of
 * exactly the team's attempts, with another team's attempts, a manager's and out-of-range ones in the same quiz.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getClient, getDb } from '../../db/client';
import { membershipTable, teamTable } from '../../db/schema';
import { analyzeItems, type AttemptResponses } from '../../src/features/reports/item-analysis';
import { itemKeys, quizItemAnalysis } from '../../src/features/reports/trainer.server';
import { newId } from '../../src/lib/server/ids';
import { seededRandom } from '../../src/lib/random';
import { freshDb } from '../helpers/db';
import { allKindsQuiz } from '../fixtures/quiz/quizzes';
import { makeLearner, makeOrg } from '../helpers/quiz-world';

const DAY = 86_400_000;
const now = Date.now();
const range = { from: now - 30 * DAY, to: now };
let org: string;
let big: string;
let small: string;
/** What each team's members submitted in the range: the expected input of the analysis. */
const expected = new Map<string, AttemptResponses[]>();

async function team(name: string, members: number, manager?: string): Promise<{ id: string; people: string[] }> {
  const id = newId();
  await getDb().insert(teamTable).values({ id, organizationId: org, name, createdAt: now });
  const people = [];
  for (let i = 0; i < members; i++) people.push(await makeLearner(org, `${name} ${i}`));
  await getDb()
    .insert(membershipTable)
    .values([
      ...people.map((userId) => ({ userId, teamId: id, kind: 'member' as const, createdAt: now })),
      ...(manager ? [{ userId: manager, teamId: id, kind: 'manager' as const, createdAt: now }] : []),
    ]);
  return { id, people };
}

/**
 * `count` submitted certification attempts spread over the people, with random answers to every question (the
 * analysis needs no grading: it reads the score and correct flags as stored). Inserted as rows, two statements per
 * hundred attempts: the item_tally triggers keep the organization's tallies as a submit would.
 */
async function attempts(
  people: string[],
  count: number,
  submittedAt: (i: number) => number,
  into?: AttemptResponses[],
): Promise<void> {
  const random = seededRandom(count * 31 + people.length);
  for (let start = 0; start < count; start += 100) {
    const rows = [];
    const answers = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const id = newId();
      const given = allKindsQuiz.questions.map((q) => {
        const chosen = q.options.filter(() => random() < 0.4).map((o) => o.id);
        return { questionId: q.id, chosen, correct: random() < 0.6 };
      });
      const score = Math.round((100 * given.filter((g) => g.correct).length) / given.length);
      rows.push([id, people[i % people.length], score, submittedAt(i)]);
      answers.push(...given.map((g) => [id, g.questionId, g.chosen, g.correct ? 1 : 0]));
      into?.push({ attemptId: id, score, answers: given });
    }
    await getClient().batch(
      [
        {
          sql: `INSERT INTO quiz_attempt (id, user_id, quiz_id, module_id, mode, content_version, seed, questions, started_at, deadline_at, submitted_at, status, score, passed, saved_answers)
                SELECT value ->> 0, value ->> 1, ?, ?, 'certification', 'v1', 1, '[]', (value ->> 3) - 60000, NULL, value ->> 3, 'submitted', value ->> 2, (value ->> 2) >= 80, '{}'
                FROM json_each(?)`,
          args: [allKindsQuiz.id, allKindsQuiz.module, JSON.stringify(rows)],
        },
        {
          sql: `INSERT INTO quiz_answer (attempt_id, question_id, chosen, correct, standards) SELECT value ->> 0, value ->> 1, value -> 2, value ->> 3, '[]' FROM json_each(?)`,
          args: [JSON.stringify(answers)],
        },
      ],
      'write',
    );
  }
}

beforeAll(async () => {
  await freshDb();
  org = await makeOrg();
  const manager = await makeLearner(org, 'Manager');
  const a = await team('Big', 40, manager);
  const b = await team('Small', 5);
  big = a.id;
  small = b.id;
  const inRange = (i: number) => range.from + ((i * 7919) % (29 * DAY));
  expected.set(big, []);
  expected.set(small, []);
  await attempts(a.people, 1500, inRange, expected.get(big));
  await attempts(b.people, 120, inRange, expected.get(small));
  // Neither counts for the big team: its manager's own attempts, and its members' attempts before the range.
  await attempts([manager], 30, inRange);
  await attempts(a.people, 200, (i) => range.from - DAY - i * 1000);
}, 60_000);

const rounded = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));
/** The statistics that do not depend on how ties at the 27 % cut are broken (see item-tally.ts). */
const comparable = (stats: ReturnType<typeof analyzeItems>) =>
  stats.map((s) => ({
    q: s.questionId,
    n: s.n,
    facility: s.facility,
    pb: s.pointBiserial,
    picks: s.options.map((o) => [o.optionId, o.picks]),
  }));

describe('item analysis for one team', () => {
  it('counts all of a team’s 1,500 attempts in the range, and agrees with the per-attempt analysis of exactly those', async () => {
    const result = await quizItemAnalysis(allKindsQuiz, { organizationId: org, teamId: big, ...range });
    expect(result.attempts).toBe(1500);
    expect(result.stats.map((s) => s.n)).toEqual(allKindsQuiz.questions.map(() => 1500));
    expect(rounded(comparable(result.stats))).toEqual(
      rounded(comparable(analyzeItems(itemKeys(allKindsQuiz), expected.get(big)!))),
    );
  });

  it('reads only its own members: the small team, and a team in another organization', async () => {
    const result = await quizItemAnalysis(allKindsQuiz, { organizationId: org, teamId: small, ...range });
    expect(result.attempts).toBe(120);
    expect(rounded(comparable(result.stats))).toEqual(
      rounded(comparable(analyzeItems(itemKeys(allKindsQuiz), expected.get(small)!))),
    );
    expect(
      (await quizItemAnalysis(allKindsQuiz, { organizationId: await makeOrg('Other'), teamId: big, ...range }))
        .attempts,
    ).toBe(0);
  });
});
