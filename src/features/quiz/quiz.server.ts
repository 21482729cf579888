/**
 * Quiz attempts in the database. An attempt (quiz_attempt) is created on the server with a random seed, the drawn
 * questions frozen in their shown order, the module's content version and the deadline; a reload shows the same
 * attempt. Submission happens once: a conditional `UPDATE … WHERE status = 'open'` decides the single winner, and
 * in the same transaction every answer (quiz_answer), one standard_result per standard tagged, and (for a passed
 * certification attempt) the certification decision are written. Nothing else moves an attempt out of `open` except its deadline passing
 * (→ expired) or its module's material changing (→ content_changed).
 *
 * Answers are saved as they are given (`saved_answers`, merged in one conditional UPDATE), so a reload or another
 * device continues the attempt. A practice attempt (mode `practice`: every attempt of a practice quiz, and the
 * practice runs of a certification quiz) has no time limit, no attempt limit and no cooldown; each answer is saved
 * once and answered with that question's feedback, and its result never counts (no standard results, no xAPI
 * statement, no certification decision). A certification quiz already passed in the current cycle is retaken as
 * practice only. Practice answers are refused while a certification attempt of the same quiz is open, so practice
 * cannot look up the key of a question in that attempt.
 */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { quizAnswerTable, quizAttemptTable, standardResultTable } from '../../../db/schema';
import { getQuiz, moduleVersion } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import { drawSeed } from '../../lib/server/seeds';
import { preparedQuery } from '../../lib/server/prepared';
import { newId } from '../../lib/server/ids';
import { columnList } from '../../lib/server/sql-names';
import { writeTransaction } from '../../lib/server/write-lock';
import {
  attemptWindowStart,
  passWindowStart,
  syncContentVersions,
  updateCertifications,
} from '../certification/certification.server';
import { grantedAttempts } from './attempt-grants.server';
import type { Quiz } from '../content/schema';
import { contentLookup, freezeOnEvent, prepareAttemptStatements, storeStatements } from '../exports/xapi/freeze.server';
import {
  canStart,
  checkAnswers,
  deadlineFor,
  drawPractice,
  drawQuestions,
  gradeAttempt,
  isPastDeadline,
  matchesContent,
  practiceFeedback,
  type Answers,
  type AttemptFacts,
  type FrozenQuestion,
  type Grade,
  type ReviewQuestion,
  type StartDecision,
} from './quiz';
import { Refusal } from '../../lib/refusal';

export type Attempt = typeof quizAttemptTable.$inferSelect;
export type StoredAnswer = typeof quizAnswerTable.$inferSelect;

export type QuizErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';

/** A refusal the action turns into a 4xx; the message is written for the learner. */
export class QuizError extends Refusal<
  | 'submitted'
  | 'expired'
  | 'content_changed'
  | 'cooldown'
  | 'max-attempts'
  | 'unknown-question'
  | 'malformed'
  | 'answered'
  | 'certification-open',
  QuizErrorCode
> {}

export function frozenOf(attempt: Pick<Attempt, 'questions'>): FrozenQuestion[] {
  return attempt.questions as FrozenQuestion[];
}

function facts(a: Attempt): AttemptFacts {
  return {
    id: a.id,
    status: a.status,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    submittedAt: a.submittedAt,
    passed: a.passed,
  };
}

/** Why an open attempt can no longer be answered at `at`, if it cannot. */
function staleness(
  a: Attempt,
  quiz: Quiz | undefined,
  version: string | undefined,
  at: number,
): 'content_changed' | 'expired' | undefined {
  if (!quiz || !version || version !== a.contentVersion || !matchesContent(quiz, frozenOf(a))) return 'content_changed';
  if (isPastDeadline(a.deadlineAt, at)) return 'expired';
  return undefined;
}

/** Moves an open attempt to `expired` or `content_changed`; conditional, so a concurrent submit wins or loses cleanly. */
async function closeAttempt(tx: Tx, a: Attempt, status: 'expired' | 'content_changed'): Promise<boolean> {
  const done = await tx
    .update(quizAttemptTable)
    .set({ status })
    .where(and(eq(quizAttemptTable.id, a.id), eq(quizAttemptTable.status, 'open')));
  return done.rowsAffected === 1;
}

async function attemptsOf(tx: Db | Tx, userId: string, quizId: string, since: number): Promise<Attempt[]> {
  return tx
    .select()
    .from(quizAttemptTable)
    .where(
      and(
        eq(quizAttemptTable.userId, userId),
        eq(quizAttemptTable.quizId, quizId),
        gte(quizAttemptTable.startedAt, since),
      ),
    )
    .orderBy(quizAttemptTable.startedAt);
}

export interface StartResult {
  attempt: Attempt;
  /** True when an open attempt already existed and is simply shown again. */
  resumed: boolean;
}

/** Whether an attempt counts toward its quiz: a certification quiz counts certification attempts only. */
function counts(quiz: Pick<Quiz, 'mode'>, a: Pick<Attempt, 'mode'>): boolean {
  return a.mode === quiz.mode;
}

/** Whether a counting pass of `quiz` stands now: on its current content, in the current certification cycle. */
function passStands(quiz: Quiz, attempts: readonly Attempt[], version: string | undefined, since: number): boolean {
  return attempts.some(
    (a) => counts(quiz, a) && a.passed === true && a.contentVersion === version && a.startedAt >= since,
  );
}

/**
 * Starts an attempt, or returns the open one. The policy check and the insert share one write transaction, so
 * replayed or parallel starts cannot slip past the maximum or the cooldown. `practice` asks for a practice attempt;
 * a certification quiz that already stands passed gives one in any case.
 */
export async function startAttempt(
  userId: string,
  quizId: string,
  opts: { practice?: boolean } = {},
): Promise<StartResult> {
  await syncContentVersions();
  const quiz = await getQuiz(quizId);
  const version = quiz && (await moduleVersion(quiz.module));
  if (!quiz || !version) throw new QuizError('NOT_FOUND', 'There is no such quiz.');
  return writeTransaction(async (tx) => {
    const at = now();
    const all = await attemptsOf(tx, userId, quiz.id, 0);
    for (const a of all) {
      if (a.status !== 'open') continue;
      const why = staleness(a, quiz, version, at);
      if (why && (await closeAttempt(tx, a, why))) a.status = why;
    }
    const since = await attemptWindowStart(tx, userId, quiz.module);
    const practice =
      opts.practice === true ||
      quiz.mode === 'practice' ||
      passStands(quiz, all, version, await passWindowStart(tx, userId, quiz.module));
    if (practice) return startPractice(tx, userId, quiz, version, all, at);
    const attempts = all.filter((a) => a.startedAt >= since && a.mode === 'certification');
    const decision = canStart(
      quiz.attempts,
      attempts.map(facts),
      at,
      await grantedAttempts(tx, userId, quiz.id, since),
    );
    if (!decision.ok && decision.reason === 'open') {
      return { attempt: attempts.find((a) => a.id === decision.attemptId)!, resumed: true };
    }
    if (!decision.ok) throw refusalOf(decision);
    const seed = await drawSeed(tx, userId, `quiz:${quiz.id}`);
    const attempt = openAttempt({
      userId,
      quiz,
      mode: 'certification',
      version,
      seed,
      questions: drawQuestions(quiz, seed),
      at,
      deadlineAt: deadlineFor(at, quiz),
    });
    await tx.insert(quizAttemptTable).values(attempt);
    return { attempt, resumed: false };
  });
}

/** A new, open attempt of either mode: nothing answered, saved or graded yet. */
function openAttempt(o: {
  userId: string;
  quiz: Quiz;
  mode: Attempt['mode'];
  version: string;
  seed: Attempt['seed'];
  questions: Attempt['questions'];
  at: number;
  deadlineAt: number | null;
}): Attempt {
  return {
    id: newId(),
    userId: o.userId,
    quizId: o.quiz.id,
    moduleId: o.quiz.module,
    mode: o.mode,
    contentVersion: o.version,
    seed: o.seed,
    questions: o.questions,
    startedAt: o.at,
    deadlineAt: o.deadlineAt,
    submittedAt: null,
    status: 'open',
    score: null,
    passed: null,
    savedAnswers: {},
  };
}

/** How many of the learner's latest attempts a practice draw tries to avoid repeating. */
const PRACTICE_AVOIDS = 2;

/** Resumes the open practice attempt, or draws a new one that avoids the questions of the latest attempts. */
async function startPractice(
  tx: Tx,
  userId: string,
  quiz: Quiz,
  version: string,
  all: Attempt[],
  at: number,
): Promise<StartResult> {
  if (all.some((a) => a.status === 'open' && a.mode === 'certification')) {
    throw new QuizError(
      'CONFLICT',
      'Finish your certification attempt at this quiz before you practise it.',
      'certification-open',
    );
  }
  const open = all.find((a) => a.status === 'open');
  if (open) return { attempt: open, resumed: true };
  const seen = new Set(all.slice(-PRACTICE_AVOIDS).flatMap((a) => frozenOf(a).map((f) => f.id)));
  const seed = await drawSeed(tx, userId, `quiz-practice:${quiz.id}`);
  const attempt = openAttempt({
    userId,
    quiz,
    mode: 'practice',
    version,
    seed,
    questions: drawPractice(quiz, seed, seen),
    at,
    deadlineAt: null,
  });
  await tx.insert(quizAttemptTable).values(attempt);
  return { attempt, resumed: false };
}

/** "2026-01-05 14:35 UTC": unambiguous in a message that may be read in any time zone. */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function refusalOf(decision: Exclude<StartDecision, { ok: true } | { reason: 'open' }>): QuizError {
  if (decision.reason === 'cooldown') {
    return new QuizError(
      'TOO_MANY_REQUESTS',
      `Take a break before the next attempt: you can try again from ${utcMinute(decision.until)}.`,
      'cooldown',
    );
  }
  return new QuizError(
    'FORBIDDEN',
    `You have used all ${decision.max} attempts at this quiz. Ask your trainer if you need another.`,
    'max-attempts',
  );
}

export interface QuizStanding {
  quiz: Quiz;
  /** The open attempt, if the learner has one in time and on the current content (certification before practice). */
  open?: Attempt;
  /** Attempts of this quiz, newest first (all cycles, both modes). */
  attempts: Attempt[];
  /** Whether a new certification attempt could start now (for the page's start button and messages). */
  next: StartDecision;
  /** Certification attempts that count toward the limit in the current cycle. */
  counted: number;
  /** A counting pass stands (current content, current cycle): further attempts are practice. */
  passed: boolean;
  /** Open attempts that can no longer be answered (quiz changed, or time ran out): shown as closed. */
  closed: Attempt[];
}

/**
 * What the quiz page shows: the open attempt or whether one may start. Read-only: an open attempt whose time ran
 * out or whose quiz changed is shown as closed here, and written as closed by the next start or submit.
 */
export async function quizStanding(userId: string, quiz: Quiz): Promise<QuizStanding> {
  const version = await moduleVersion(quiz.module);
  const db = getDb();
  const at = now();
  const all = (await attemptsOf(db, userId, quiz.id, 0)).map((a) => {
    const why = a.status === 'open' ? staleness(a, quiz, version, at) : undefined;
    return why ? { attempt: { ...a, status: why }, closed: true } : { attempt: a, closed: false };
  });
  const attempts = all.map((x) => x.attempt);
  const since = await attemptWindowStart(db, userId, quiz.module);
  const current = attempts.filter((a) => a.startedAt >= since && a.mode === 'certification');
  const next = canStart(quiz.attempts, current.map(facts), at, await grantedAttempts(db, userId, quiz.id, since));
  const open =
    current.find((a) => a.status === 'open') ?? attempts.find((a) => a.status === 'open' && a.mode === 'practice');
  return {
    quiz,
    attempts: [...attempts].reverse(),
    next,
    counted: current.filter((a) => a.status === 'submitted' || a.status === 'expired').length,
    passed: passStands(quiz, attempts, version, await passWindowStart(db, userId, quiz.module)),
    closed: all.filter((x) => x.closed).map((x) => x.attempt),
    ...(open ? { open } : {}),
  };
}

/** The submit's read of its attempt, before the write lock (prepared: it runs on every submit). */
const attemptById = preparedQuery((db) =>
  db
    .select()
    .from(quizAttemptTable)
    .where(eq(quizAttemptTable.id, sql.placeholder('id')))
    .prepare(),
);

export interface SubmitInput {
  userId: string;
  attemptId: string;
  answers: Answers;
}

export interface SubmitResult {
  attempt: Attempt;
  grade: Grade;
}

/**
 * Grades and records an attempt, once. Refusals — an unknown or foreign attempt (both 404, so ids cannot be
 * probed), one already submitted (409), answers to questions not in the attempt or malformed (400) — change
 * nothing. An attempt whose time ran out, or whose quiz changed or vanished, is closed (committed) and refused.
 */
export async function submitAttempt(input: SubmitInput): Promise<SubmitResult> {
  const attempt = await attemptById().get({ id: input.attemptId });
  if (!attempt || attempt.userId !== input.userId) throw new QuizError('NOT_FOUND', 'There is no such attempt.');
  if (attempt.status !== 'open') throw notOpen(attempt.status);
  const quiz = await getQuiz(attempt.quizId);
  const version = quiz && (await moduleVersion(quiz.module));
  const at = now();
  const why = staleness(attempt, quiz, version, at);
  if (why) {
    await writeTransaction((tx) => closeAttempt(tx, attempt, why));
    throw notOpen(why);
  }
  const frozen = frozenOf(attempt);
  // A practice attempt is graded on the answers saved (and given feedback) one by one; nothing else may be sent.
  const practice = attempt.mode === 'practice';
  if (practice && Object.keys(input.answers).length > 0) {
    throw new QuizError(
      'BAD_REQUEST',
      'A practice attempt is finished with the answers already checked; send no answers.',
      'malformed',
    );
  }
  const answers = practice ? attempt.savedAnswers : input.answers;
  const check = checkAnswers(quiz!, frozen, answers);
  if (!check.ok) throw new QuizError('BAD_REQUEST', check.message, check.kind);
  const grade = gradeAttempt(quiz!, frozen, answers);
  const submitted = {
    ...attempt,
    status: 'submitted' as const,
    submittedAt: at,
    score: grade.score,
    passed: grade.passed,
  };
  const content = contentLookup({ quizzes: [quiz!] });
  // Everything the transaction writes is ready before it starts, so it holds the write lock for its writes only.
  const statements = practice
    ? undefined
    : await prepareAttemptStatements(getDb(), content, submitted, answerRows(grade));

  return writeTransaction(async (tx) => {
    // Sent together, in this order: one round trip to a libSQL server instead of one per statement. The conditional
    // update decides; when it did not win, the throw below rolls the job's savepoint back, the inserts with it (and a
    // double submit's answers collide with the winner's on their primary key in any case).
    const [won, ...writes] = await Promise.allSettled([
      tx
        .update(quizAttemptTable)
        .set({ status: 'submitted', submittedAt: at, score: grade.score, passed: grade.passed })
        .where(
          and(
            eq(quizAttemptTable.id, attempt.id),
            eq(quizAttemptTable.userId, input.userId),
            eq(quizAttemptTable.status, 'open'),
          ),
        )
        .run(),
      ...insertGradedRows(tx, input.userId, attempt.id, grade, at, { standards: !practice }),
      ...(statements ? [storeStatements(tx, statements)] : []),
    ]);
    if (won.status === 'rejected') throw won.reason;
    if (won.value.rowsAffected !== 1) throw notOpen('submitted');
    for (const w of writes) if (w.status === 'rejected') throw w.reason;
    if (!practice && !statements) await freezeOnEvent(tx, content, { attempts: [attempt.id] }, at);
    // Only a passed certification attempt can move a track: a track's requirements are best scores at the pass
    // mark, and an update is completed by a passing re-take, so a failed attempt (or practice) adds nothing the
    // last decision did not already see. The decision reads inside the transaction on purpose: it must see every
    // result committed before it (another of the learner's submits may have just passed the track's other module).
    if (attempt.mode === 'certification' && grade.passed) await updateCertifications(tx, input.userId, at);
    return { attempt: submitted, grade };
  });
}

function answerRows(grade: Grade) {
  return grade.questions.map((q) => ({
    questionId: q.id,
    chosen: q.chosen,
    correct: q.correct,
    standards: q.standards,
  }));
}

/**
 * The attempt's quiz_answer rows and one standard_result row per standard tagged, each table in one statement
 * whose rows arrive as a single JSON parameter: the query builder's per-value work on a few hundred bound values
 * cost more than the rest of the write transaction (docs/benchmarks.md, "Measurements behind the code"). Tables
 * and columns are named through db/schema.ts; the integration tests read every row back through the schema. Both
 * statements are sent at once (the caller awaits them).
 */
function insertGradedRows(
  tx: Tx,
  userId: string,
  attemptId: string,
  grade: Grade,
  at: number,
  opts: { standards: boolean },
): Promise<unknown>[] {
  const answers = grade.questions.map((q) => [q.id, q.chosen, q.correct ? 1 : 0, q.standards]);
  const qa = quizAnswerTable;
  // `execute()` sends each statement now (a query builder runs only once awaited).
  const sent: Promise<unknown>[] = [
    tx
      .run(
        sql`
      INSERT INTO ${qa} (${columnList(qa.attemptId, qa.questionId, qa.chosen, qa.correct, qa.standards)})
      SELECT ${attemptId}, value ->> 0, value -> 1, value ->> 2, value -> 3 FROM json_each(${JSON.stringify(answers)})`,
      )
      .execute(),
  ];
  const standards = grade.questions.flatMap((q) =>
    q.standards.map((standardId) => [newId(), standardId, q.correct ? 1 : 0]),
  );
  if (standards.length === 0 || !opts.standards) return sent;
  const sr = standardResultTable;
  sent.push(
    tx
      .run(
        sql`
      INSERT INTO ${sr} (${columnList(sr.id, sr.userId, sr.standardId, sr.source, sr.sourceId, sr.ok, sr.at)})
      SELECT value ->> 0, ${userId}, value ->> 1, 'quiz', ${attemptId}, value ->> 2, ${at} FROM json_each(${JSON.stringify(standards)})`,
      )
      .execute(),
  );
  return sent;
}

function notOpen(status: Attempt['status']): QuizError {
  if (status === 'expired') {
    return new QuizError(
      'CONFLICT',
      'Time ran out on this attempt before it was sent, so it was closed and counts as not passed.',
      'expired',
    );
  }
  if (status === 'content_changed') {
    return new QuizError(
      'CONFLICT',
      'This quiz was changed or withdrawn while you were taking it, so the attempt was closed. It does not count against you; start again if the quiz is still offered.',
      'content_changed',
    );
  }
  return new QuizError('CONFLICT', 'This attempt has already been submitted.', 'submitted');
}

export interface SaveResult {
  attempt: Attempt;
  /** Practice only: the feedback of the question just answered. */
  feedback?: ReviewQuestion;
}

/**
 * Saves answers of an open attempt as they are given. A certification attempt merges them into what is saved (an
 * answer may change until submit). A practice attempt takes one question per save, once: the answer is final and
 * comes back with that question's feedback; it is refused while a certification attempt at the quiz is open.
 * Refusals are those of `submitAttempt`, plus 409 for a practice question already answered.
 */
export async function saveAnswers(input: SubmitInput): Promise<SaveResult> {
  const attempt = await attemptById().get({ id: input.attemptId });
  if (!attempt || attempt.userId !== input.userId) throw new QuizError('NOT_FOUND', 'There is no such attempt.');
  if (attempt.status !== 'open') throw notOpen(attempt.status);
  const quiz = await getQuiz(attempt.quizId);
  const version = quiz && (await moduleVersion(quiz.module));
  const why = staleness(attempt, quiz, version, now());
  if (why) {
    await writeTransaction((tx) => closeAttempt(tx, attempt, why));
    throw notOpen(why);
  }
  const frozen = frozenOf(attempt);
  const check = checkAnswers(quiz!, frozen, input.answers);
  if (!check.ok) throw new QuizError('BAD_REQUEST', check.message, check.kind);
  const patch = JSON.stringify(input.answers);
  const owned = and(
    eq(quizAttemptTable.id, attempt.id),
    eq(quizAttemptTable.userId, input.userId),
    eq(quizAttemptTable.status, 'open'),
  );

  if (attempt.mode === 'certification') {
    return writeTransaction(async (tx) => {
      const [row] = await tx
        .update(quizAttemptTable)
        .set({ savedAnswers: sql`json_patch(${quizAttemptTable.savedAnswers}, ${patch})` })
        .where(owned)
        .returning();
      if (!row) throw notOpen('submitted');
      return { attempt: row };
    });
  }

  const entries = Object.entries(input.answers);
  if (entries.length !== 1 || entries[0]![1].length === 0) {
    throw new QuizError('BAD_REQUEST', 'Choose an answer to check.', 'malformed');
  }
  const [questionId, answer] = entries[0]!;
  return writeTransaction(async (tx) => {
    const [blocking] = await tx
      .select({ id: quizAttemptTable.id })
      .from(quizAttemptTable)
      .where(
        and(
          eq(quizAttemptTable.userId, input.userId),
          eq(quizAttemptTable.quizId, attempt.quizId),
          eq(quizAttemptTable.mode, 'certification'),
          eq(quizAttemptTable.status, 'open'),
        ),
      );
    if (blocking) {
      throw new QuizError(
        'CONFLICT',
        'Finish your certification attempt at this quiz before you practise it.',
        'certification-open',
      );
    }
    // Conditional on the question being unanswered, so parallel answers to it leave exactly one on record.
    const [row] = await tx
      .update(quizAttemptTable)
      .set({ savedAnswers: sql`json_patch(${quizAttemptTable.savedAnswers}, ${patch})` })
      .where(and(owned, sql`json_type(${quizAttemptTable.savedAnswers}, ${`$."${questionId}"`}) IS NULL`))
      .returning();
    if (!row) {
      const [current] = await tx
        .select({ status: quizAttemptTable.status })
        .from(quizAttemptTable)
        .where(eq(quizAttemptTable.id, attempt.id));
      if (current?.status !== 'open') throw notOpen(current?.status ?? 'submitted');
      throw new QuizError(
        'CONFLICT',
        'You have already answered this practice question; its feedback is shown.',
        'answered',
      );
    }
    return { attempt: row, feedback: practiceFeedback(quiz!, frozen, questionId, answer) };
  });
}

/** One attempt with its stored answers (for the result page); undefined when there is none. */
export async function getAttempt(
  attemptId: string,
): Promise<{ attempt: Attempt; answers: StoredAnswer[] } | undefined> {
  const db = getDb();
  const [attempt] = await db.select().from(quizAttemptTable).where(eq(quizAttemptTable.id, attemptId));
  if (!attempt) return undefined;
  const answers = await db.select().from(quizAnswerTable).where(eq(quizAnswerTable.attemptId, attemptId));
  return { attempt, answers };
}

/** Whether the learner has ever passed this quiz in its own mode (unlocks the full review under `review: after-pass`). */
export async function hasPassed(userId: string, quiz: Pick<Quiz, 'id' | 'mode'>): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: quizAttemptTable.id })
    .from(quizAttemptTable)
    .where(
      and(
        eq(quizAttemptTable.userId, userId),
        eq(quizAttemptTable.quizId, quiz.id),
        eq(quizAttemptTable.mode, quiz.mode),
        eq(quizAttemptTable.passed, true),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The learner's latest attempt per quiz, for progress lists. */
export async function latestAttempts(userId: string): Promise<Map<string, Attempt>> {
  const rows = await getDb()
    .select()
    .from(quizAttemptTable)
    .where(eq(quizAttemptTable.userId, userId))
    .orderBy(desc(quizAttemptTable.startedAt));
  const out = new Map<string, Attempt>();
  for (const r of rows) if (!out.has(r.quizId)) out.set(r.quizId, r);
  return out;
}
