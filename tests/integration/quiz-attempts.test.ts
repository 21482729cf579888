import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  certificateTable,
  quizAnswerTable,
  quizAttemptTable,
  standardResultTable,
  xapiStatementTable,
} from '../../db/schema';
import { setClockOffset } from '../../src/lib/server/clock';
import {
  frozenOf,
  QuizError,
  quizStanding,
  saveAnswers,
  startAttempt,
  submitAttempt,
} from '../../src/features/quiz/quiz.server';
import { submissionFormSchema } from '../../src/features/quiz/submission';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
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

function setup(quiz = allKindsQuiz) {
  addQuiz(quiz);
  addTrack({ id: 'track-1', modules: [quiz.module], requires: [{ quiz: quiz.id }] });
}

async function snapshot(attemptId: string) {
  const db = getDb();
  const [attempt] = await db.select().from(quizAttemptTable).where(eq(quizAttemptTable.id, attemptId));
  const answers = await db.select().from(quizAnswerTable).where(eq(quizAnswerTable.attemptId, attemptId));
  const standards = await db.select().from(standardResultTable).where(eq(standardResultTable.sourceId, attemptId));
  return { attempt, answers, standards };
}

async function refusal(p: Promise<unknown>): Promise<QuizError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(QuizError);
  return e as QuizError;
}

/** Wrong on the true/false and scenario questions: 60 %, below the pass mark of 80. */
function failingAnswers(frozen: ReturnType<typeof frozenOf>) {
  const answers = perfectAnswers(allKindsQuiz, frozen);
  const flip = (qid: string) => {
    const f = frozen.find((x) => x.id === qid)!;
    const right = answers[qid]![0]!;
    answers[qid] = [f.options.findIndex((_, i) => i !== right)];
  };
  flip('tf-q');
  flip('scenario-q');
  return answers;
}

describe('starting', () => {
  it('stores seed, frozen questions, content version and deadline; a second start resumes the same attempt', async () => {
    setup({ ...allKindsQuiz, timeLimitMinutes: 20 });
    const user = await makeLearner(org);
    const first = await startAttempt(user, allKindsQuiz.id);
    expect(first.resumed).toBe(false);
    const a = first.attempt;
    expect(a).toMatchObject({ status: 'open', mode: 'certification', moduleId: 'all-kinds' });
    expect(a.deadlineAt).toBe(a.startedAt + 20 * MIN);
    expect(frozenOf(a)).toHaveLength(5);
    expect(a.contentVersion).toMatch(/^[0-9a-f]{16}$/);
    const again = await startAttempt(user, allKindsQuiz.id);
    expect(again).toMatchObject({ resumed: true, attempt: { id: a.id, seed: a.seed } });
    expect(frozenOf(again.attempt)).toEqual(frozenOf(a));
  });

  it('refuses an unknown quiz with 404', async () => {
    const user = await makeLearner(org);
    expect((await refusal(startAttempt(user, 'no-such-quiz'))).code).toBe('NOT_FOUND');
  });

  it('parallel starts create one attempt', async () => {
    setup();
    const user = await makeLearner(org);
    const results = await Promise.all(Array.from({ length: 10 }, () => startAttempt(user, allKindsQuiz.id)));
    expect(new Set(results.map((r) => r.attempt.id)).size).toBe(1);
    const rows = await getDb().select().from(quizAttemptTable).where(eq(quizAttemptTable.userId, user));
    expect(rows).toHaveLength(1);
  });
});

describe('submitting', () => {
  it('exactly once: 20 concurrent submits grade one attempt, the others get a clear 409', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const answers = perfectAnswers(allKindsQuiz, frozenOf(attempt));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => submitAttempt({ userId: user, attemptId: attempt.id, answers })),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused)
      expect(r.reason).toMatchObject({
        code: 'CONFLICT',
        reason: 'submitted',
        message: 'This attempt has already been submitted.',
      });
    const s = await snapshot(attempt.id);
    expect(s.attempt).toMatchObject({ status: 'submitted', score: 100, passed: true });
    expect(s.answers).toHaveLength(5);
    // One standard_result per standard tagged: the scenario question tests two.
    expect(s.standards).toHaveLength(6);
    expect(s.answers.find((x) => x.questionId === 'ordering-q')).toMatchObject({
      correct: true,
      chosen: ['explain', 'name', 'brief', 'connect'],
      standards: ['announce-transfers'],
    });
    const certs = await getDb().select().from(certificateTable).where(eq(certificateTable.userId, user));
    expect(certs).toHaveLength(1);
  });

  it('stores every answer with correct flags and standards, also for a failed attempt', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const result = await submitAttempt({
      userId: user,
      attemptId: attempt.id,
      answers: failingAnswers(frozenOf(attempt)),
    });
    expect(result.grade).toMatchObject({ score: 60, passed: false });
    const s = await snapshot(attempt.id);
    expect(
      s.answers
        .filter((a) => !a.correct)
        .map((a) => a.questionId)
        .sort(),
    ).toEqual(['scenario-q', 'tf-q']);
    expect(
      s.standards
        .filter((r) => !r.ok)
        .map((r) => r.standardId)
        .sort(),
    ).toEqual(['never-argue', 'never-justify-poor-service', 'smile-in-your-voice']);
    for (const r of s.standards) {
      expect(r).toMatchObject({ userId: user, source: 'quiz', sourceId: attempt.id, at: s.attempt.submittedAt });
      expect(r.id).toMatch(/^[a-z2-7]{26}$/);
    }
    expect(new Set(s.standards.map((r) => r.id)).size).toBe(s.standards.length);
    expect(
      s.answers.every((a) => Array.isArray(a.chosen) && Array.isArray(a.standards) && typeof a.correct === 'boolean'),
    ).toBe(true);
    expect(await getDb().select().from(certificateTable).where(eq(certificateTable.userId, user))).toHaveLength(0);
  });

  it('refuses an answer for a question not in the attempt (400) and changes nothing', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const before = await snapshot(attempt.id);
    const answers = { ...perfectAnswers(allKindsQuiz, frozenOf(attempt)), 'made-up-question': [0] };
    const e = await refusal(submitAttempt({ userId: user, attemptId: attempt.id, answers }));
    expect(e).toMatchObject({ code: 'BAD_REQUEST', reason: 'unknown-question' });
    expect(await snapshot(attempt.id)).toEqual(before);
    const bad = await refusal(submitAttempt({ userId: user, attemptId: attempt.id, answers: { 'single-q': [7] } }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', reason: 'malformed' });
    expect(await snapshot(attempt.id)).toEqual(before);
  });

  it("refuses someone else's attempt, and an unknown one, as 404 and changes nothing", async () => {
    setup();
    const owner = await makeLearner(org);
    const intruder = await makeLearner(org, 'Ivan Intruder');
    const { attempt } = await startAttempt(owner, allKindsQuiz.id);
    const before = await snapshot(attempt.id);
    const answers = perfectAnswers(allKindsQuiz, frozenOf(attempt));
    expect((await refusal(submitAttempt({ userId: intruder, attemptId: attempt.id, answers }))).code).toBe('NOT_FOUND');
    expect((await refusal(submitAttempt({ userId: owner, attemptId: 'nope', answers }))).code).toBe('NOT_FOUND');
    expect(await snapshot(attempt.id)).toEqual(before);
  });

  it('refuses forged score and correct fields at the form boundary', () => {
    const form = new FormData();
    form.set('attempt', 'abc');
    form.append('q.single-q', '1');
    form.set('score', '100');
    form.set('correct', 'true');
    const parsed = submissionFormSchema.safeParse(form);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/Unexpected field\(s\): score, correct/);
    const clean = new FormData();
    clean.set('attempt', 'abc');
    clean.append('q.multiple-q', '0');
    clean.append('q.multiple-q', '2');
    clean.append('q.ordering-q', '');
    expect(submissionFormSchema.parse(clean)).toEqual({
      attempt: 'abc',
      answers: { 'multiple-q': [0, 2], 'ordering-q': [] },
    });
    const notNumber = new FormData();
    notNumber.set('attempt', 'abc');
    notNumber.append('q.single-q', 'b');
    expect(submissionFormSchema.safeParse(notNumber).success).toBe(false);
  });
});

describe('the attempt policy cannot be bypassed', () => {
  it('cooldown: a failed learner must wait; replays during the wait create nothing', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    await submitAttempt({ userId: user, attemptId: attempt.id, answers: failingAnswers(frozenOf(attempt)) });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => startAttempt(user, allKindsQuiz.id)));
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 'rejected', reason: { code: 'TOO_MANY_REQUESTS', reason: 'cooldown' } });
    setClockOffset(29 * MIN);
    expect((await refusal(startAttempt(user, allKindsQuiz.id))).reason).toBe('cooldown');
    setClockOffset(31 * MIN);
    const next = await startAttempt(user, allKindsQuiz.id);
    expect(next.resumed).toBe(false);
    expect(await getDb().select().from(quizAttemptTable).where(eq(quizAttemptTable.userId, user))).toHaveLength(2);
  });

  it('max attempts: the fourth start is refused however it is sent', async () => {
    setup();
    const user = await makeLearner(org);
    for (let i = 0; i < 3; i++) {
      setClockOffset(i * 40 * MIN);
      const { attempt } = await startAttempt(user, allKindsQuiz.id);
      await submitAttempt({ userId: user, attemptId: attempt.id, answers: failingAnswers(frozenOf(attempt)) });
    }
    setClockOffset(200 * MIN);
    expect(await refusal(startAttempt(user, allKindsQuiz.id))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'max-attempts',
    });
    const standing = await quizStanding(user, allKindsQuiz);
    expect(standing.next).toEqual({ ok: false, reason: 'max-attempts', max: 3 });
  });

  it('time limit: a submit after the deadline is refused and the attempt closed as expired', async () => {
    setup({ ...allKindsQuiz, timeLimitMinutes: 10 });
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    setClockOffset(10 * MIN + 20_000);
    // Within the grace the submit still counts.
    const second = await makeLearner(org);
    setClockOffset(0);
    const { attempt: other } = await startAttempt(second, allKindsQuiz.id);
    setClockOffset(10 * MIN + 20_000);
    await submitAttempt({
      userId: second,
      attemptId: other.id,
      answers: perfectAnswers(allKindsQuiz, frozenOf(other)),
    });
    setClockOffset(11 * MIN);
    const e = await refusal(
      submitAttempt({ userId: user, attemptId: attempt.id, answers: perfectAnswers(allKindsQuiz, frozenOf(attempt)) }),
    );
    expect(e).toMatchObject({ code: 'CONFLICT', reason: 'expired' });
    const s = await snapshot(attempt.id);
    expect(s.attempt).toMatchObject({ status: 'expired', score: null });
    expect(s.answers).toHaveLength(0);
    // It counts as a failed attempt: the cooldown runs from the deadline.
    expect(await refusal(startAttempt(user, allKindsQuiz.id))).toMatchObject({ reason: 'cooldown' });
  });
});

describe('content changes while an attempt is open', () => {
  it('a quiz removed from content closes the open attempt cleanly with a clear 409', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const answers = perfectAnswers(allKindsQuiz, frozenOf(attempt));
    fakeContent.quizzes = [];
    const e = await refusal(submitAttempt({ userId: user, attemptId: attempt.id, answers }));
    expect(e).toMatchObject({ code: 'CONFLICT', reason: 'content_changed' });
    expect(e.message).toMatch(/changed or withdrawn/);
    const s = await snapshot(attempt.id);
    expect(s.attempt).toMatchObject({ status: 'content_changed', score: null, submittedAt: null });
    expect(s.answers).toHaveLength(0);
    expect((await refusal(startAttempt(user, allKindsQuiz.id))).code).toBe('NOT_FOUND');
  });

  it('a changed quiz closes the attempt without counting it; the next start is a new attempt at once', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    addQuiz({ ...allKindsQuiz, title: 'Every kind of question, revised' });
    const standing = await quizStanding(user, fakeContent.quizzes[0]!);
    expect(standing.closed.map((a) => a.id)).toEqual([attempt.id]);
    expect(standing.next).toEqual({ ok: true });
    const next = await startAttempt(user, allKindsQuiz.id);
    expect(next.attempt.id).not.toBe(attempt.id);
  });
});

describe('answers saved as they are given', () => {
  it('merges each save into the open attempt; parallel saves of different questions all land', async () => {
    setup();
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    const answers = perfectAnswers(allKindsQuiz, frozenOf(attempt));
    await Promise.all(
      Object.entries(answers).map(([id, a]) =>
        saveAnswers({ userId: user, attemptId: attempt.id, answers: { [id]: a } }),
      ),
    );
    expect((await snapshot(attempt.id)).attempt!.savedAnswers).toEqual(answers);
    // A changed answer replaces the saved one; an emptied one is unanswered again.
    const [first, second] = Object.keys(answers);
    await saveAnswers({ userId: user, attemptId: attempt.id, answers: { [first!]: [], [second!]: answers[second!]! } });
    const standing = await quizStanding(user, allKindsQuiz);
    expect(standing.open?.savedAnswers).toEqual({ ...answers, [first!]: [] });
  });

  it('refuses saves to a foreign, submitted or malformed attempt and changes nothing', async () => {
    setup();
    const user = await makeLearner(org);
    const other = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    expect((await refusal(saveAnswers({ userId: other, attemptId: attempt.id, answers: {} }))).code).toBe('NOT_FOUND');
    expect((await refusal(saveAnswers({ userId: user, attemptId: attempt.id, answers: { nope: [0] } }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await snapshot(attempt.id)).attempt!.savedAnswers).toEqual({});
    await submitAttempt({
      userId: user,
      attemptId: attempt.id,
      answers: perfectAnswers(allKindsQuiz, frozenOf(attempt)),
    });
    expect((await refusal(saveAnswers({ userId: user, attemptId: attempt.id, answers: {} }))).code).toBe('CONFLICT');
  });
});

describe('practice', () => {
  it('answers one question at a time, once, with its feedback; never counts, spends no attempt, makes no statement', async () => {
    setup({ ...allKindsQuiz, attempts: { max: 1, cooldownMinutes: 30 } });
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id, { practice: true });
    expect(attempt).toMatchObject({ mode: 'practice', deadlineAt: null });
    const frozen = frozenOf(attempt);
    const answers = perfectAnswers(allKindsQuiz, frozen);
    const [qid, answer] = Object.entries(answers)[0]!;
    // Parallel answers to the same question: one is kept, the others are told it was already answered.
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => saveAnswers({ userId: user, attemptId: attempt.id, answers: { [qid]: answer } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const feedback = (
      results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof saveAnswers>>>
    ).value.feedback!;
    expect(feedback).toMatchObject({ id: qid, correct: true });
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    // Two questions in one practice save are refused: feedback comes one question at a time.
    const two = Object.fromEntries(Object.entries(answers).slice(1, 3));
    expect((await refusal(saveAnswers({ userId: user, attemptId: attempt.id, answers: two }))).code).toBe(
      'BAD_REQUEST',
    );
    for (const [id, a] of Object.entries(answers).slice(1))
      await saveAnswers({ userId: user, attemptId: attempt.id, answers: { [id]: a } });
    // Finished with the answers checked; posting answers again is refused.
    expect((await refusal(submitAttempt({ userId: user, attemptId: attempt.id, answers }))).code).toBe('BAD_REQUEST');
    const done = await submitAttempt({ userId: user, attemptId: attempt.id, answers: {} });
    expect(done.grade).toMatchObject({ score: 100, passed: true });
    const snap = await snapshot(attempt.id);
    expect(snap.standards).toHaveLength(0);
    expect(
      await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.sourceId, attempt.id)),
    ).toHaveLength(0);
    expect(await getDb().select().from(certificateTable).where(eq(certificateTable.userId, user))).toHaveLength(0);
    // The one certification attempt is still there to take, and the pass did not make the quiz "passed".
    const standing = await quizStanding(user, allKindsQuiz);
    expect(standing).toMatchObject({ next: { ok: true }, counted: 0, passed: false });
  });

  it('is refused while a certification attempt of the quiz is open, so it cannot look up that attempt’s keys', async () => {
    setup();
    const user = await makeLearner(org);
    const practice = await startAttempt(user, allKindsQuiz.id, { practice: true });
    const cert = await startAttempt(user, allKindsQuiz.id);
    expect(cert.attempt.mode).toBe('certification');
    const [qid, a] = Object.entries(perfectAnswers(allKindsQuiz, frozenOf(practice.attempt)))[0]!;
    expect(
      (await refusal(saveAnswers({ userId: user, attemptId: practice.attempt.id, answers: { [qid]: a } }))).code,
    ).toBe('CONFLICT');
    expect((await refusal(startAttempt(user, allKindsQuiz.id, { practice: true }))).code).toBe('CONFLICT');
  });

  it('is the only retake of a passed certification quiz: a start after the pass spends no attempt', async () => {
    setup({ ...allKindsQuiz, attempts: { max: 2, cooldownMinutes: 0 } });
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    await submitAttempt({
      userId: user,
      attemptId: attempt.id,
      answers: perfectAnswers(allKindsQuiz, frozenOf(attempt)),
    });
    expect((await quizStanding(user, allKindsQuiz)).passed).toBe(true);
    const retake = await startAttempt(user, allKindsQuiz.id);
    expect(retake.attempt.mode).toBe('practice');
    const rows = await getDb().select().from(quizAttemptTable).where(eq(quizAttemptTable.userId, user));
    expect(rows.map((r) => r.mode).sort()).toEqual(['certification', 'practice']);
  });
});
