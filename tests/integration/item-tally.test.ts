/**
 * item_tally, the incrementally kept aggregate behind the trainer's item analysis: quiz submissions through the real
 * submit keep it (triggers), the organization-wide analysis read from it agrees with the per-attempt analysis of
 * the same attempts, and the migration's backfill builds exactly what the triggers keep.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getClient, getDb } from '../../db/client';
import { quizAnswerTable, quizAttemptTable } from '../../db/schema';
import { frozenOf, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import { analyzeItems } from '../../src/features/reports/item-analysis';
import { itemKeys, quizItemAnalysis } from '../../src/features/reports/trainer.server';
import { freshDb } from '../helpers/db';
import { allKindsQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { addQuiz, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';
import { ROOT } from '../helpers/server';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

const DAY = 86_400_000;
let org: string;

beforeAll(async () => {
  await freshDb();
  org = await makeOrg();
  addQuiz(allKindsQuiz);
  addTrack({ id: 'track-1', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
  // Twelve learners, each wrong on a different number of questions (0–4): scores spread, answers vary.
  for (let i = 0; i < 12; i++) {
    const user = await makeLearner(org, `Learner ${i}`);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const frozen = frozenOf(attempt);
    const answers = perfectAnswers(allKindsQuiz, frozen);
    for (const f of frozen.slice(0, i % 5)) {
      const right = answers[f.id]!;
      const wrong = f.options.map((_, k) => k).find((k) => !right.includes(k))!;
      answers[f.id] =
        allKindsQuiz.questions.find((q) => q.id === f.id)!.kind === 'ordering' ? [...right].reverse() : [wrong];
    }
    await submitAttempt({ userId: user, attemptId: attempt.id, answers });
  }
}, 60_000);

const rounded = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));

describe('item_tally', () => {
  it('is kept by every submit, and the analysis read from it agrees with the per-attempt one', async () => {
    const db = getDb();
    const attempts = await db.select().from(quizAttemptTable).where(eq(quizAttemptTable.status, 'submitted'));
    expect(attempts).toHaveLength(12);
    const answers = await db.select().from(quizAnswerTable);
    const exact = analyzeItems(
      itemKeys(allKindsQuiz),
      attempts.map((a) => ({
        attemptId: a.id,
        score: a.score ?? 0,
        answers: answers
          .filter((x) => x.attemptId === a.id)
          .map((x) => ({ questionId: x.questionId, chosen: (x.chosen as string[]) ?? [], correct: x.correct })),
      })),
    );
    const now = Date.now();
    const fromTally = await quizItemAnalysis(allKindsQuiz, {
      organizationId: org,
      from: now - 30 * DAY,
      to: now + DAY,
    });
    expect(fromTally.attempts).toBe(12);
    const comparable = (stats: typeof exact) =>
      stats.map((s) => ({
        q: s.questionId,
        n: s.n,
        facility: s.facility,
        pb: s.pointBiserial,
        picks: s.options.map((o) => [o.optionId, o.picks]),
      }));
    expect(rounded(comparable(fromTally.stats))).toEqual(rounded(comparable(exact)));
    // Another organization's analysis, or a range without the attempts, reads none of them.
    expect(
      (await quizItemAnalysis(allKindsQuiz, { organizationId: await makeOrg('Other'), from: now - DAY, to: now + DAY }))
        .attempts,
    ).toBe(0);
    expect(
      (await quizItemAnalysis(allKindsQuiz, { organizationId: org, from: now - 30 * DAY, to: now - 20 * DAY }))
        .attempts,
    ).toBe(0);
  });

  it("is rebuilt by the migration's backfill exactly as the triggers kept it", async () => {
    const all =
      'SELECT organization_id, quiz_id, day, question_id, score, option_id, answers, correct FROM item_tally ORDER BY 1, 2, 3, 4, 5, 6';
    const kept = (await getClient().execute(all)).rows.map((r) => [...Object.values(r)]);
    expect(kept.length).toBeGreaterThan(10);
    const migration = readFileSync(join(ROOT, 'db/migrations/0012_item_tally.sql'), 'utf8');
    const backfill = migration
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('INSERT'));
    expect(backfill).toHaveLength(3);
    await getClient().batch(['DELETE FROM item_tally', ...backfill], 'write');
    expect((await getClient().execute(all)).rows.map((r) => [...Object.values(r)])).toEqual(kept);
  });
});
