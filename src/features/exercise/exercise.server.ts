/**
 * Calibration exercise attempts in the database. An attempt (exercise_attempt) is started on the server with the
 * module's content version; a reload shows the same open attempt (at most one per learner and exercise, by a unique
 * index). Submission happens once: a conditional `UPDATE … WHERE status = 'open'` decides the single winner, and in
 * the same transaction every call (exercise_score, with the expert's call of the moment) and, for a passed attempt,
 * the certification decision are written. An open attempt whose module's material changed (or whose exercise was
 * withdrawn) is closed as content_changed and does not count.
 */
import { and, desc, eq, gte, inArray } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { exerciseAttemptTable, exerciseScoreTable } from '../../../db/schema';
import { getExercise, moduleVersion } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { writeTransaction } from '../../lib/server/write-lock';
import { contentLookup, freezeOnEvent } from '../exports/xapi/freeze.server';
import { canStart, type AttemptFacts, type StartDecision } from '../attempts/policy';
import { attemptWindowStart, syncContentVersions, updateCertifications } from '../certification/certification.server';
import type { Exercise } from '../content/schema';
import { checkScores, gradeExercise, type ExerciseGrade, type ExerciseScores, type GradedItem } from './exercise';
import { Refusal } from '../../lib/refusal';

export type ExerciseAttempt = typeof exerciseAttemptTable.$inferSelect;

export type ExerciseErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';

/** A refusal the action turns into a 4xx; the message is written for the learner. */
export class ExerciseError extends Refusal<
  'submitted' | 'content_changed' | 'cooldown' | 'max-attempts' | 'unknown-item' | 'incomplete',
  ExerciseErrorCode
> {}

function facts(a: ExerciseAttempt): AttemptFacts {
  return {
    id: a.id,
    status: a.status,
    startedAt: a.startedAt,
    deadlineAt: null,
    submittedAt: a.submittedAt,
    passed: a.passed,
  };
}

/** Whether an open attempt can no longer be answered: its exercise is gone or its module's material changed. */
function isStale(a: ExerciseAttempt, exercise: Exercise | undefined, version: string | undefined): boolean {
  return !exercise || !version || version !== a.contentVersion;
}

/** Conditional, so a concurrent submit wins or loses cleanly. */
async function closeChanged(tx: Tx, a: ExerciseAttempt): Promise<boolean> {
  const done = await tx
    .update(exerciseAttemptTable)
    .set({ status: 'content_changed' })
    .where(and(eq(exerciseAttemptTable.id, a.id), eq(exerciseAttemptTable.status, 'open')));
  return done.rowsAffected === 1;
}

async function attemptsOf(db: Db | Tx, userId: string, exerciseId: string, since: number): Promise<ExerciseAttempt[]> {
  return db
    .select()
    .from(exerciseAttemptTable)
    .where(
      and(
        eq(exerciseAttemptTable.userId, userId),
        eq(exerciseAttemptTable.exerciseId, exerciseId),
        gte(exerciseAttemptTable.startedAt, since),
      ),
    )
    .orderBy(exerciseAttemptTable.startedAt);
}

/** "2026-01-05 14:35 UTC": unambiguous in a message that may be read in any time zone. */
function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function refusalOf(decision: Exclude<StartDecision, { ok: true } | { reason: 'open' }>): ExerciseError {
  if (decision.reason === 'cooldown') {
    return new ExerciseError(
      'TOO_MANY_REQUESTS',
      `Take a break before the next attempt: you can try again from ${utcMinute(decision.until)}.`,
      'cooldown',
    );
  }
  return new ExerciseError(
    'FORBIDDEN',
    `You have used all ${decision.max} attempts at this exercise. Ask your trainer if you need another.`,
    'max-attempts',
  );
}

/**
 * Starts an attempt, or returns the open one. The policy check and the insert share one write transaction, so
 * replayed or parallel starts cannot slip past the maximum or the cooldown.
 */
export async function startExerciseAttempt(
  userId: string,
  exerciseId: string,
): Promise<{ attempt: ExerciseAttempt; resumed: boolean }> {
  await syncContentVersions();
  const exercise = await getExercise(exerciseId);
  const version = exercise && (await moduleVersion(exercise.module));
  if (!exercise || !version) throw new ExerciseError('NOT_FOUND', 'There is no such exercise.');
  return writeTransaction(async (tx) => {
    const at = now();
    const since = await attemptWindowStart(tx, userId, exercise.module);
    const attempts = await attemptsOf(tx, userId, exercise.id, since);
    for (const a of attempts) {
      if (a.status === 'open' && isStale(a, exercise, version) && (await closeChanged(tx, a)))
        a.status = 'content_changed';
    }
    const decision = canStart(exercise.attempts, attempts.map(facts), at);
    if (!decision.ok && decision.reason === 'open') {
      return { attempt: attempts.find((a) => a.id === decision.attemptId)!, resumed: true };
    }
    if (!decision.ok) throw refusalOf(decision);
    const attempt: ExerciseAttempt = {
      id: newId(),
      userId,
      exerciseId: exercise.id,
      moduleId: exercise.module,
      contentVersion: version,
      status: 'open',
      startedAt: at,
      submittedAt: null,
      score: null,
      passed: null,
    };
    await tx.insert(exerciseAttemptTable).values(attempt);
    return { attempt, resumed: false };
  });
}

export interface ExerciseStanding {
  exercise: Exercise;
  /** The open attempt, if the learner has one on the current content. */
  open?: ExerciseAttempt;
  /** Every attempt, newest first (all cycles). */
  attempts: ExerciseAttempt[];
  /** Whether a new attempt could start now. */
  next: StartDecision;
  /** Open attempts whose material changed: shown as closed (and written so by the next start or submit). */
  closed: ExerciseAttempt[];
}

/** What the exercise page and the lesson's card show. Read-only. */
export async function exerciseStanding(userId: string, exercise: Exercise): Promise<ExerciseStanding> {
  const version = await moduleVersion(exercise.module);
  const db = getDb();
  const all = (await attemptsOf(db, userId, exercise.id, 0)).map((a) =>
    a.status === 'open' && isStale(a, exercise, version)
      ? { attempt: { ...a, status: 'content_changed' as const }, closed: true }
      : { attempt: a, closed: false },
  );
  const attempts = all.map((x) => x.attempt);
  const since = await attemptWindowStart(db, userId, exercise.module);
  const current = attempts.filter((a) => a.startedAt >= since);
  const next = canStart(exercise.attempts, current.map(facts), now());
  const open = current.find((a) => a.status === 'open');
  return {
    exercise,
    attempts: [...attempts].reverse(),
    next,
    closed: all.filter((x) => x.closed).map((x) => x.attempt),
    ...(open ? { open } : {}),
  };
}

export interface ExerciseSubmitInput {
  userId: string;
  attemptId: string;
  scores: ExerciseScores;
}

/**
 * Grades and records an attempt, once. Refusals — an unknown or foreign attempt (both 404, so ids cannot be
 * probed), one already submitted (409), calls that are missing or name items not in the exercise (400) — change
 * nothing. An attempt whose material changed is closed (committed) and refused.
 */
export async function submitExerciseAttempt(
  input: ExerciseSubmitInput,
): Promise<{ attempt: ExerciseAttempt; grade: ExerciseGrade }> {
  const [attempt] = await getDb()
    .select()
    .from(exerciseAttemptTable)
    .where(eq(exerciseAttemptTable.id, input.attemptId));
  if (!attempt || attempt.userId !== input.userId) throw new ExerciseError('NOT_FOUND', 'There is no such attempt.');
  if (attempt.status !== 'open') throw notOpen(attempt.status);
  const exercise = await getExercise(attempt.exerciseId);
  const version = exercise && (await moduleVersion(exercise.module));
  if (isStale(attempt, exercise, version)) {
    await writeTransaction((tx) => closeChanged(tx, attempt));
    throw notOpen('content_changed');
  }
  const check = checkScores(exercise!, input.scores);
  if (!check.ok) throw new ExerciseError('BAD_REQUEST', check.message, check.kind);
  const grade = gradeExercise(exercise!, input.scores);
  const at = now();

  return writeTransaction(async (tx) => {
    const won = await tx
      .update(exerciseAttemptTable)
      .set({ status: 'submitted', submittedAt: at, score: grade.score, passed: grade.passed })
      .where(
        and(
          eq(exerciseAttemptTable.id, attempt.id),
          eq(exerciseAttemptTable.userId, input.userId),
          eq(exerciseAttemptTable.status, 'open'),
        ),
      );
    if (won.rowsAffected !== 1) throw notOpen('submitted');
    await tx.insert(exerciseScoreTable).values(grade.items.map((x) => ({ attemptId: attempt.id, ...x })));
    await freezeOnEvent(tx, contentLookup({ exercises: [exercise!] }), { exercises: [attempt.id] }, at);
    // A track's minScore may sit below the pass mark, so any graded attempt can complete a track.
    await updateCertifications(tx, input.userId, at);
    return {
      attempt: { ...attempt, status: 'submitted' as const, submittedAt: at, score: grade.score, passed: grade.passed },
      grade,
    };
  });
}

function notOpen(status: ExerciseAttempt['status']): ExerciseError {
  if (status === 'content_changed') {
    return new ExerciseError(
      'CONFLICT',
      'This exercise was changed or withdrawn while you were scoring it, so the attempt was closed. It does not count against you; start again if the exercise is still offered.',
      'content_changed',
    );
  }
  return new ExerciseError('CONFLICT', 'This attempt has already been submitted.', 'submitted');
}

/** One attempt with its graded calls (for the result page); undefined when there is none. */
export async function getExerciseAttempt(
  attemptId: string,
): Promise<{ attempt: ExerciseAttempt; items: GradedItem[] } | undefined> {
  const db = getDb();
  const [attempt] = await db.select().from(exerciseAttemptTable).where(eq(exerciseAttemptTable.id, attemptId));
  if (!attempt) return undefined;
  const rows = await db.select().from(exerciseScoreTable).where(eq(exerciseScoreTable.attemptId, attemptId));
  return { attempt, items: rows.map(({ attemptId: _, ...item }) => item) };
}

/** Of `exerciseIds`, those the user has passed at least once (unlocks the full review under `review: after-pass`). */
export async function passedExercises(userId: string, exerciseIds: readonly string[]): Promise<Set<string>> {
  if (exerciseIds.length === 0) return new Set();
  const rows = await getDb()
    .selectDistinct({ exerciseId: exerciseAttemptTable.exerciseId })
    .from(exerciseAttemptTable)
    .where(
      and(
        eq(exerciseAttemptTable.userId, userId),
        inArray(exerciseAttemptTable.exerciseId, [...exerciseIds]),
        eq(exerciseAttemptTable.status, 'submitted'),
        eq(exerciseAttemptTable.passed, true),
      ),
    );
  return new Set(rows.map((r) => r.exerciseId));
}

/** The learner's best agreement so far per exercise (submitted attempts). */
export async function bestExerciseScores(userId: string, exerciseIds: readonly string[]): Promise<Map<string, number>> {
  if (exerciseIds.length === 0) return new Map();
  const rows = await getDb()
    .select({ exerciseId: exerciseAttemptTable.exerciseId, score: exerciseAttemptTable.score })
    .from(exerciseAttemptTable)
    .where(
      and(
        eq(exerciseAttemptTable.userId, userId),
        inArray(exerciseAttemptTable.exerciseId, [...exerciseIds]),
        eq(exerciseAttemptTable.status, 'submitted'),
      ),
    )
    .orderBy(desc(exerciseAttemptTable.score));
  const out = new Map<string, number>();
  for (const r of rows) if (!out.has(r.exerciseId) && r.score !== null) out.set(r.exerciseId, r.score);
  return out;
}
