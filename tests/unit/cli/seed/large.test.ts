/**
 * The large-organization generator on a small size: what it writes must be valid data that the app's own rules
 * would have produced — foreign keys hold, every submitted attempt is graded whole, indexes are back after the
 * bulk load, and the sizes follow the options.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getClient } from '../../../../db/client';
import { seedLarge, type LargeSeedResult } from '~/cli/seed/large';
import { freshDb } from '../../../helpers/db';
import { evaluationScore, type ItemValue } from '~/features/quality/quality';

const all = async (sql: string) => (await getClient().execute(sql)).rows;
let indexesBefore: string[];
let result: LargeSeedResult;

describe('seedLarge', () => {
  beforeAll(async () => {
    await freshDb();
    indexesBefore = (await all(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`)).map((r) =>
      String(r.name),
    );
    result = await seedLarge({ learners: 45, attemptsPerLearner: 12, password: 'a-long-test-password' });
  }, 60_000);

  it('creates the requested people in teams of 20, each team with a manager', async () => {
    const [counts] = await all(`SELECT
      (SELECT count(*) FROM user WHERE role = 'learner') AS learners,
      (SELECT count(*) FROM team) AS teams,
      (SELECT count(*) FROM membership WHERE kind = 'manager') AS managers,
      (SELECT count(*) FROM membership WHERE kind = 'member') AS members,
      (SELECT max(n) FROM (SELECT count(*) AS n FROM membership WHERE kind = 'member' GROUP BY team_id)) AS biggest`);
    expect(counts).toMatchObject({ learners: 45, teams: 3, managers: 3, members: 45, biggest: 15 });
  });

  it('writes about the requested number of attempts, and reports what it wrote', async () => {
    const [row] = await all(
      `SELECT count(*) AS n FROM quiz_attempt q JOIN user u ON u.id = q.user_id WHERE u.role = 'learner'`,
    );
    expect(Number(row!.n)).toBeGreaterThan(45 * 12 * 0.9);
    expect(Number(row!.n)).toBeLessThan(45 * 12 * 1.1);
    expect(result.rows.quiz_attempt).toBe(Number((await all('SELECT count(*) AS n FROM quiz_attempt'))[0]!.n));
  });

  it('leaves no foreign key broken and rebuilds every index it dropped for the load', async () => {
    expect(await all('PRAGMA foreign_key_check')).toEqual([]);
    expect(
      (await all(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`)).map((r) => String(r.name)),
    ).toEqual(indexesBefore);
  });

  it('grades every submitted attempt whole, and leaves open or expired ones without answers', async () => {
    const rows = await all(`SELECT q.status, q.score, json_array_length(q.questions) AS n,
        (SELECT count(*) FROM quiz_answer a WHERE a.attempt_id = q.id) AS answers,
        (SELECT count(*) FROM quiz_answer a WHERE a.attempt_id = q.id AND a.correct = 1) AS correct
      FROM quiz_attempt q`);
    const statuses = new Set(rows.map((r) => String(r.status)));
    expect(statuses.has('submitted')).toBe(true);
    for (const r of rows) {
      if (r.status === 'submitted') {
        expect(Number(r.answers)).toBe(Number(r.n));
        expect(Number(r.score)).toBe(Math.floor((100 * Number(r.correct)) / Number(r.n)));
      } else {
        expect(Number(r.answers)).toBe(0);
      }
    }
  });

  it('records role-play runs, certificates with their events, and onboarding assignments', async () => {
    const [row] = await all(`SELECT
      (SELECT count(*) FROM roleplay_run WHERE status = 'ended' AND score IS NOT NULL) AS ended,
      (SELECT count(*) FROM certificate) AS certificates,
      (SELECT count(*) FROM certification_event WHERE kind IN ('issued', 'renewed')) AS issued,
      (SELECT count(*) FROM assignment WHERE kind = 'onboarding') AS onboarding`);
    expect(Number(row!.ended)).toBeGreaterThan(0);
    expect(Number(row!.issued)).toBe(Number(row!.certificates));
    expect(Number(row!.onboarding)).toBeGreaterThanOrEqual(45);
  });

  it('records submitted phone evaluations by each rep’s manager, every item scored and the score the rule gives', async () => {
    const evaluations = await all(`SELECT e.id, e.score, e.month, e.rep_id, e.evaluator_id, m.kind AS evaluator_kind,
        (SELECT count(*) FROM quality_score s WHERE s.evaluation_id = e.id) AS items,
        (SELECT group_concat(s.value) FROM quality_score s WHERE s.evaluation_id = e.id) AS vals
      FROM quality_evaluation e JOIN membership m ON m.user_id = e.evaluator_id AND m.team_id = e.team_id`);
    expect(evaluations.length).toBeGreaterThan(45 * 2);
    expect(new Set(evaluations.map((e) => String(e.evaluator_kind)))).toEqual(new Set(['manager']));
    expect(new Set(evaluations.map((e) => Number(e.items))).size).toBe(1);
    expect(new Set(evaluations.map((e) => String(e.month))).size).toBeGreaterThanOrEqual(2);
    for (const e of evaluations) {
      const values = String(e.vals).split(',') as ItemValue[];
      expect(e.score === null ? null : Number(e.score)).toBe(evaluationScore(values) ?? null);
    }
  });

  it('refuses a database that already has an organization', async () => {
    await expect(seedLarge({ learners: 1, password: 'a-long-test-password' })).rejects.toThrow(/already has data/);
  });
});
