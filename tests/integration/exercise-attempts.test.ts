/**
 * Calibration exercise attempts against a real database: the start / submit lifecycle, refusals that change nothing,
 * races (parallel submits of one attempt, parallel starts), the attempt policy, a change of content while an attempt
 * is open, a track that requires an exercise, and the trainer's item analysis over first attempts.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import validateXapi from '@learninglocker/xapi-validation';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { certificateTable, exerciseAttemptTable, exerciseScoreTable, xapiStatementTable } from '../../db/schema';
import type { Statement } from '../../src/features/exports/xapi/schema';
import { setClockOffset } from '../../src/lib/server/clock';
import {
  ExerciseError,
  exerciseStanding,
  getExerciseAttempt,
  startExerciseAttempt,
  submitExerciseAttempt,
} from '../../src/features/exercise/exercise.server';
import { frozenOf, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import { learnerStandings } from '../../src/features/certification/certification.server';
import { exerciseItemAnalysis } from '../../src/features/reports/trainer.server';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
import { addExercise, addQuiz, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';
import { allKindsQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { expertScores, fixtureExercise } from '../fixtures/exercise/exercises';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

const MIN = 60_000;
let org: string;

beforeAll(async () => {
  process.env.FRONTLINE_TEST_CLOCK = '1';
  await freshDb();
  org = await makeOrg('Calibration Co');
});

afterEach(() => {
  setClockOffset(0);
  resetFakeContent();
});

function world(exercise = fixtureExercise) {
  addQuiz(allKindsQuiz);
  return addExercise(exercise);
}

async function refusal(p: Promise<unknown>): Promise<ExerciseError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ExerciseError);
  return e as ExerciseError;
}

const rowsOf = async (attemptId: string) =>
  getDb().select().from(exerciseScoreTable).where(eq(exerciseScoreTable.attemptId, attemptId));
const attemptRow = async (attemptId: string) =>
  (await getDb().select().from(exerciseAttemptTable).where(eq(exerciseAttemptTable.id, attemptId)))[0]!;

describe('lifecycle', () => {
  it('starts once (a second start resumes), grades once, and stores every call beside the expert’s', async () => {
    const ex = world();
    const user = await makeLearner(org);
    const { attempt, resumed } = await startExerciseAttempt(user, ex.id);
    expect(resumed).toBe(false);
    expect(attempt).toMatchObject({ status: 'open', exerciseId: ex.id, moduleId: 'all-kinds', score: null });
    expect((await startExerciseAttempt(user, ex.id)).attempt.id).toBe(attempt.id);

    const { grade } = await submitExerciseAttempt({
      userId: user,
      attemptId: attempt.id,
      scores: expertScores(ex, ['chat.never-argue']),
    });
    expect(grade).toMatchObject({ agreed: 5, total: 6, score: 83, passed: true });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: 'submitted', score: 83, passed: true });
    const rows = await rowsOf(attempt.id);
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.contactId === 'chat' && r.standardId === 'never-argue')).toMatchObject({
      score: 'met',
      expert: 'not-met',
      agrees: false,
    });
    const found = await getExerciseAttempt(attempt.id);
    expect(found?.items).toHaveLength(6);

    const again = await refusal(
      submitExerciseAttempt({ userId: user, attemptId: attempt.id, scores: expertScores(ex) }),
    );
    expect(again).toMatchObject({ code: 'CONFLICT', reason: 'submitted' });
    expect(await attemptRow(attempt.id)).toMatchObject({ score: 83 });
  });

  it('refuses someone else’s attempt, missing calls and unknown items, writing nothing', async () => {
    const ex = world();
    const [owner, other] = [await makeLearner(org), await makeLearner(org)];
    const { attempt } = await startExerciseAttempt(owner, ex.id);
    expect(
      await refusal(submitExerciseAttempt({ userId: other, attemptId: attempt.id, scores: expertScores(ex) })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refusal(submitExerciseAttempt({ userId: owner, attemptId: 'no-such-attempt', scores: expertScores(ex) })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const partial = expertScores(ex);
    delete partial.mail;
    expect(
      await refusal(submitExerciseAttempt({ userId: owner, attemptId: attempt.id, scores: partial })),
    ).toMatchObject({ code: 'BAD_REQUEST', reason: 'incomplete' });
    expect(
      await refusal(
        submitExerciseAttempt({
          userId: owner,
          attemptId: attempt.id,
          scores: { ...expertScores(ex), ghost: { 'never-argue': 'met' } },
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'unknown-item',
    });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: 'open', score: null });
    expect(await rowsOf(attempt.id)).toHaveLength(0);
  });

  it('refuses an exercise that does not exist', async () => {
    world();
    expect(await refusal(startExerciseAttempt(await makeLearner(org), 'no-such-exercise'))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('races', () => {
  it('grades exactly one of several parallel submits of the same attempt', async () => {
    const ex = world();
    const user = await makeLearner(org);
    const { attempt } = await startExerciseAttempt(user, ex.id);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        submitExerciseAttempt({
          userId: user,
          attemptId: attempt.id,
          scores: expertScores(ex, i % 2 ? ['call.never-argue'] : []),
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', reason: 'submitted' });
    const row = await attemptRow(attempt.id);
    expect(row.score).toBe((won[0] as PromiseFulfilledResult<{ grade: { score: number } }>).value.grade.score);
    expect(await rowsOf(attempt.id)).toHaveLength(6);
  });

  it('opens one attempt for several parallel starts', async () => {
    const ex = world();
    const user = await makeLearner(org);
    const started = await Promise.all(Array.from({ length: 5 }, () => startExerciseAttempt(user, ex.id)));
    expect(new Set(started.map((s) => s.attempt.id)).size).toBe(1);
    expect(started.filter((s) => !s.resumed)).toHaveLength(1);
    const open = await getDb().select().from(exerciseAttemptTable).where(eq(exerciseAttemptTable.userId, user));
    expect(open).toHaveLength(1);
  });
});

describe('attempt policy', () => {
  const fail = async (user: string) => {
    const { attempt } = await startExerciseAttempt(user, fixtureExercise.id);
    return submitExerciseAttempt({
      userId: user,
      attemptId: attempt.id,
      scores: expertScores(fixtureExercise, ['call.never-argue', 'chat.never-argue']),
    });
  };

  it('waits the cooldown after a fail, none after a pass, and stops at the maximum', async () => {
    world();
    const user = await makeLearner(org);
    expect((await fail(user)).grade.passed).toBe(false);
    expect(await refusal(startExerciseAttempt(user, fixtureExercise.id))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      reason: 'cooldown',
    });
    expect((await exerciseStanding(user, fixtureExercise)).next).toMatchObject({ ok: false, reason: 'cooldown' });
    setClockOffset(31 * MIN);
    expect((await fail(user)).grade.passed).toBe(false);
    setClockOffset(62 * MIN);
    const { attempt } = await startExerciseAttempt(user, fixtureExercise.id);
    await submitExerciseAttempt({ userId: user, attemptId: attempt.id, scores: expertScores(fixtureExercise) });
    // Three attempts made, the last passed: no cooldown, but the maximum (3) is reached.
    expect(await refusal(startExerciseAttempt(user, fixtureExercise.id))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'max-attempts',
    });
  });

  it('closes an open attempt whose material changed; it does not count against the learner', async () => {
    world({ ...fixtureExercise, attempts: { max: 1, cooldownMinutes: 0 } });
    const user = await makeLearner(org);
    const { attempt } = await startExerciseAttempt(user, fixtureExercise.id);
    fakeContent.versionSalt['all-kinds'] = 'edited';
    expect((await exerciseStanding(user, fakeContent.exercises[0]!)).closed.map((a) => a.id)).toEqual([attempt.id]);
    expect(
      await refusal(
        submitExerciseAttempt({ userId: user, attemptId: attempt.id, scores: expertScores(fixtureExercise) }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'content_changed',
    });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: 'content_changed' });
    const next = await startExerciseAttempt(user, fixtureExercise.id);
    expect(next.resumed).toBe(false);
    expect(next.attempt.id).not.toBe(attempt.id);
  });
});

describe('certification', () => {
  async function passQuiz(user: string) {
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    await submitAttempt({
      userId: user,
      attemptId: attempt.id,
      answers: perfectAnswers(allKindsQuiz, frozenOf(attempt)),
    });
  }
  const certificates = (user: string) =>
    getDb().select().from(certificateTable).where(eq(certificateTable.userId, user));

  it('issues a track that requires an exercise once an attempt reaches the pass mark, in the submit’s transaction', async () => {
    const ex = world();
    addTrack({ id: 'calibrated', modules: ['all-kinds'], requires: [{ quiz: allKindsQuiz.id }, { exercise: ex.id }] });
    const user = await makeLearner(org);
    await passQuiz(user);
    expect(await certificates(user)).toHaveLength(0);
    const [standing] = await learnerStandings(user);
    expect(standing!.decision.requirements[1]).toMatchObject({
      kind: 'exercise',
      id: ex.id,
      needed: 80,
      best: undefined,
      met: false,
    });
    expect(standing!.lifecycle.status).toBe('in-progress');

    const { attempt: low } = await startExerciseAttempt(user, ex.id);
    await submitExerciseAttempt({
      userId: user,
      attemptId: low.id,
      scores: expertScores(ex, ['call.never-argue', 'chat.never-argue']),
    });
    expect(await certificates(user)).toHaveLength(0);

    setClockOffset(31 * MIN);
    const { attempt } = await startExerciseAttempt(user, ex.id);
    const { attempt: done } = await submitExerciseAttempt({
      userId: user,
      attemptId: attempt.id,
      scores: expertScores(ex, ['mail.never-argue']),
    });
    const [cert] = await certificates(user);
    expect(cert).toMatchObject({ trackId: 'calibrated', issuedAt: done.submittedAt });
    const [after] = await learnerStandings(user);
    expect(after!.decision.requirements[1]).toMatchObject({ best: 83, met: true });
    expect(after!.lifecycle.status).toBe('certified');
  });

  it('uses the track’s minScore over the exercise’s pass mark', async () => {
    const ex = world();
    addTrack({ id: 'lenient', modules: ['all-kinds'], requires: [{ exercise: ex.id, minScore: 60 }] });
    const user = await makeLearner(org);
    const { attempt } = await startExerciseAttempt(user, ex.id);
    const { grade } = await submitExerciseAttempt({
      userId: user,
      attemptId: attempt.id,
      scores: expertScores(ex, ['call.never-argue', 'chat.never-argue']),
    });
    expect(grade).toMatchObject({ score: 66, passed: false });
    expect(await certificates(user)).toHaveLength(1);
  });
});

describe('item analysis for trainers', () => {
  it('counts each learner’s first submitted attempt only, in the organization and date range', async () => {
    const ex = world();
    // An organization of its own: the other tests' learners took this exercise too.
    const team = await makeOrg('Analysed Co');
    const [a, b] = [await makeLearner(team), await makeLearner(team)];
    const outsider = await makeLearner(await makeOrg('Elsewhere'));
    const take = async (user: string, differ: string[]) => {
      const { attempt } = await startExerciseAttempt(user, ex.id);
      await submitExerciseAttempt({ userId: user, attemptId: attempt.id, scores: expertScores(ex, differ) });
    };
    await take(a, ['chat.never-argue']);
    await take(b, ['chat.never-argue', 'call.use-the-customer-name']);
    await take(outsider, []);
    // a tries again after reading the reasons: this attempt must not count.
    setClockOffset(31 * MIN);
    await take(a, []);
    const result = await exerciseItemAnalysis(ex, { organizationId: team, from: 0, to: Date.now() + 60 * MIN });
    expect(result).toMatchObject({ learners: 2, capped: false });
    const item = (c: string, s: string) => result.stats.find((x) => x.contactId === c && x.standardId === s)!;
    expect(item('chat', 'never-argue')).toMatchObject({
      n: 2,
      agreed: 0,
      agreement: 0,
      commonDisagreement: { score: 'met', count: 2 },
      flags: ['low-agreement'],
    });
    expect(item('call', 'use-the-customer-name')).toMatchObject({ n: 2, agreed: 1, agreement: 0.5, flags: [] });
    expect(item('mail', 'never-argue')).toMatchObject({ n: 2, agreed: 2 });
    expect(
      (
        await exerciseItemAnalysis(ex, {
          organizationId: team,
          from: Date.now() + 60 * MIN,
          to: Date.now() + 120 * MIN,
        })
      ).learners,
    ).toBe(0);
  });
});

describe('xAPI', () => {
  const validate = ((validateXapi as unknown as { default?: typeof validateXapi }).default ?? validateXapi) as (
    s: unknown,
  ) => unknown[];

  it('freezes one statement in the submit’s transaction, which an LRS accepts, without the expert’s calls', async () => {
    process.env.XAPI_ORGANIZATION_IRI = 'https://academy.example';
    try {
      const ex = world();
      const user = await makeLearner(org);
      const { attempt } = await startExerciseAttempt(user, ex.id);
      const { grade } = await submitExerciseAttempt({
        userId: user,
        attemptId: attempt.id,
        scores: expertScores(ex, []),
      });
      const rows = await getDb()
        .select()
        .from(xapiStatementTable)
        .where(and(eq(xapiStatementTable.source, 'exercise'), eq(xapiStatementTable.sourceId, attempt.id)));
      expect(rows).toHaveLength(1);
      const statement = rows[0]!.statement as Statement;
      expect(validate(statement)).toEqual([]);
      expect(statement.verb.id).toBe('http://adlnet.gov/expapi/verbs/completed');
      expect(statement.result?.score?.scaled).toBe(grade.score / 100);
      expect(statement.result?.success).toBe(grade.passed);
      expect(JSON.stringify(statement)).not.toMatch(/expert|reason/i);
    } finally {
      delete process.env.XAPI_ORGANIZATION_IRI;
    }
  });
});
