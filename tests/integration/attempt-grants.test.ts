/**
 * "Allow one more attempt": a learner out of attempts is refused; their manager grants one (audit-logged); the
 * policy then counts it once, and only the learner's overseers may grant it.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { auditLogTable, membershipTable, quizAttemptTable, teamTable } from '../../db/schema';
import { setClockOffset } from '../../src/lib/server/clock';
import { newId } from '../../src/lib/server/ids';
import { canStart } from '../../src/features/quiz/quiz';
import { frozenOf, QuizError, quizStanding, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import { grantedAttempts } from '../../src/features/quiz/attempt-grants.server';
import { GrantError, grantExtraAttempt, quizzesOutOfAttempts } from '../../src/features/quiz/grant-attempt.server';
import { freshDb } from '../helpers/db';
import { resetFakeContent } from '../helpers/fake-catalog';
import { allKindsQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { addQuiz, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

const MIN = 60_000;
let org: string;

beforeAll(async () => {
  process.env.FRONTLINE_TEST_CLOCK = '1';
  await freshDb();
  org = await makeOrg();
});

afterEach(() => {
  setClockOffset(0);
  resetFakeContent();
});

async function manage(learner: string, name: string) {
  const manager = await makeLearner(org, name);
  const team = newId();
  await getDb()
    .insert(teamTable)
    .values({ id: team, organizationId: org, name: `${name}'s team`, createdAt: Date.now() });
  await getDb()
    .insert(membershipTable)
    .values([
      { userId: manager, teamId: team, kind: 'manager', createdAt: Date.now() },
      { userId: learner, teamId: team, kind: 'member', createdAt: Date.now() },
    ]);
  return { id: manager, role: 'manager' as const, organizationId: org };
}

async function failOnce(user: string, at: number) {
  setClockOffset(at);
  const { attempt } = await startAttempt(user, allKindsQuiz.id);
  const answers = perfectAnswers(allKindsQuiz, frozenOf(attempt));
  answers['tf-q'] = [answers['tf-q']![0] === 0 ? 1 : 0];
  answers['scenario-q'] = [answers['scenario-q']![0] === 0 ? 1 : 0];
  await submitAttempt({ userId: user, attemptId: attempt.id, answers });
}

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(Error);
  return e as QuizError | GrantError;
}

describe('allow one more attempt', () => {
  it('max reached → start refused; a grant → exactly one more try counts; another team’s manager cannot grant', async () => {
    addQuiz(allKindsQuiz);
    addTrack({ id: 'track-1', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
    const learner = await makeLearner(org);
    const manager = await manage(learner, 'Mo Manager');
    const stranger = await manage(await makeLearner(org, 'Someone Else'), 'Olga Other');

    // While attempts remain there is nothing to grant.
    expect(await refusal(grantExtraAttempt(manager, learner, allKindsQuiz.id))).toMatchObject({ code: 'CONFLICT' });
    for (let i = 0; i < 3; i++) await failOnce(learner, i * 40 * MIN);
    setClockOffset(200 * MIN);
    expect(await refusal(startAttempt(learner, allKindsQuiz.id))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'max-attempts',
    });
    expect(await quizzesOutOfAttempts(learner, [allKindsQuiz.id])).toEqual([allKindsQuiz.id]);

    expect(await refusal(grantExtraAttempt(stranger, learner, allKindsQuiz.id))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(grantExtraAttempt({ ...manager, role: 'trainer' as never }, learner, allKindsQuiz.id)),
    ).toMatchObject({ code: 'FORBIDDEN' });
    const { grantId } = await grantExtraAttempt(manager, learner, allKindsQuiz.id);
    // A second click before the learner used it adds nothing.
    expect(await refusal(grantExtraAttempt(manager, learner, allKindsQuiz.id))).toMatchObject({ code: 'CONFLICT' });
    expect(await quizzesOutOfAttempts(learner, [allKindsQuiz.id])).toEqual([]);
    const audit = await getDb()
      .select()
      .from(auditLogTable)
      .where(and(eq(auditLogTable.action, 'quiz.attempt_granted'), eq(auditLogTable.target, learner)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: manager.id,
      organizationId: org,
      detail: { quizId: allKindsQuiz.id, grantId },
    });

    // The start check counts the grant: one more start, then refused again once that try is used.
    setClockOffset(300 * MIN);
    await failOnce(learner, 300 * MIN);
    setClockOffset(400 * MIN);
    expect(await refusal(startAttempt(learner, allKindsQuiz.id))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'max-attempts',
    });
    expect(await quizzesOutOfAttempts(learner, [allKindsQuiz.id])).toEqual([allKindsQuiz.id]);
  });

  it('counts grants in the policy only within the cycle they were given in', async () => {
    addQuiz(allKindsQuiz);
    addTrack({ id: 'track-1', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
    const learner = await makeLearner(org, 'Cy Cycle');
    const manager = await manage(learner, 'Max Manager');
    for (let i = 0; i < 3; i++) await failOnce(learner, i * 40 * MIN);
    setClockOffset(200 * MIN);
    await grantExtraAttempt(manager, learner, allKindsQuiz.id);
    // The policy with the grants counted (what the start check passes in): one more start, then refused again.
    const policyNow = async () => {
      const { attempts } = await quizStanding(learner, allKindsQuiz);
      const facts = attempts.map((a) => ({ ...a }));
      return canStart(
        allKindsQuiz.attempts,
        facts,
        Date.now() + 300 * MIN,
        await grantedAttempts(getDb(), learner, allKindsQuiz.id, 0),
      );
    };
    expect(await policyNow()).toEqual({ ok: true });
    // The extra try, taken and failed (written as the start would write it): refused again, and grantable again.
    const [last] = (await quizStanding(learner, allKindsQuiz)).attempts;
    await getDb()
      .insert(quizAttemptTable)
      .values({ ...last!, id: newId(), startedAt: Date.now() + 250 * MIN, submittedAt: Date.now() + 260 * MIN });
    expect(await policyNow()).toEqual({ ok: false, reason: 'max-attempts', max: 4 });
    setClockOffset(270 * MIN);
    expect(await quizzesOutOfAttempts(learner, [allKindsQuiz.id])).toEqual([allKindsQuiz.id]);
    // Grants count within the certification cycle they were given in.
    expect(await grantedAttempts(getDb(), learner, allKindsQuiz.id, Date.now() + 999 * MIN)).toBe(0);
  });
});
