/**
 * Trainer analytics queries: item analysis of one quiz over its certification attempts (for the whole organization
 * from the incrementally kept `item_tally`, so it reads a few hundred rows however many attempts there are; for one
 * team from the attempts themselves, since team membership changes and tallies are per organization), role-play analytics of one
 * role-play and item analysis of one calibration exercise over first attempts, filtered by organization,
 * optionally by team, and by date range. Only the filtered rows are read
 * (quiz attempts through the quiz/status/submitted_at index), newest first and capped — a thousand attempts
 * settle item statistics, and the cap keeps memory and time flat however long the range is.
 */
import { and, desc, eq, gte, inArray, lt, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '../../../db/client';
import {
  itemTallyTable,
  exerciseAttemptTable,
  exerciseScoreTable,
  membershipTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  userTable,
} from '../../../db/schema';
import type { Exercise, Quiz, Roleplay } from '../content/schema';
import type { RoleplayState } from '../roleplay/roleplay';
import { analyzeCalibration, type CalibrationAttempt, type CalibrationItemStats } from './calibration-analysis';
import { analyzeItems, type AttemptResponses, type ItemKey, type ItemStats } from './item-analysis';
import { analyzeItemTallies } from './item-tally';
import { analyzeRoleplayRuns, type RoleplayAnalytics, type RunRecord } from './roleplay-analytics';

/**
 * Enough for stable statistics (a facility's standard error stays under 2 points), few enough that even a cold
 * read of their answers from a large database stays quick.
 */
export const MAX_ATTEMPTS = 1000;
export const MAX_RUNS = 500;

export interface AnalyticsFilter {
  organizationId: string;
  /** Only members of this team (already checked to be in the organization). */
  teamId?: string | undefined;
  /** [from, to) in milliseconds. */
  from: number;
  to: number;
}

function teamScope(
  column: typeof quizAttemptTable.userId | typeof roleplayRunTable.userId | typeof exerciseAttemptTable.userId,
  teamId: string | undefined,
) {
  if (!teamId) return undefined;
  const members = getDb()
    .select({ id: membershipTable.userId })
    .from(membershipTable)
    .where(and(eq(membershipTable.teamId, teamId), eq(membershipTable.kind, 'member')));
  return inArray(column, members);
}

/** The answer key as item analysis needs it: every option, and the right ones (none for ordering questions). */
export function itemKeys(quiz: Quiz): ItemKey[] {
  return quiz.questions.map((q) => ({
    questionId: q.id,
    optionIds: q.options.map((o) => o.id),
    correctOptionIds: q.kind === 'ordering' ? [] : q.options.filter((o) => o.correct).map((o) => o.id),
  }));
}

export interface ItemAnalysisResult {
  stats: ItemStats[];
  attempts: number;
  capped: boolean;
}

const DAY_MS = 86_400_000;

/** The organization's tallies for the quiz over whole UTC days [from, to): the item_tally rows summed over days. */
async function tallyItemAnalysis(quiz: Quiz, filter: AnalyticsFilter): Promise<ItemAnalysisResult> {
  const t = itemTallyTable;
  const rows = await getDb()
    .select({ questionId: t.questionId, score: t.score, optionId: t.optionId, answers: sql<number>`sum(${t.answers})`, correct: sql<number>`sum(${t.correct})` })
    .from(t)
    .where(
      and(
        eq(t.organizationId, filter.organizationId),
        eq(t.quizId, quiz.id),
        gte(t.day, Math.floor(filter.from / DAY_MS)),
        lt(t.day, Math.ceil(filter.to / DAY_MS)),
      ),
    )
    .groupBy(t.questionId, t.score, t.optionId);
  const attempts = rows.filter((r) => r.questionId === '').reduce((n, r) => n + r.answers, 0);
  return { stats: analyzeItemTallies(itemKeys(quiz), rows), attempts, capped: false };
}

export async function quizItemAnalysis(quiz: Quiz, filter: AnalyticsFilter): Promise<ItemAnalysisResult> {
  if (!filter.teamId) return tallyItemAnalysis(quiz, filter);
  const db = getDb();
  const newest = (limit: number) =>
    db
      .select({ id: quizAttemptTable.id, score: quizAttemptTable.score })
      .from(quizAttemptTable)
      .innerJoin(userTable, eq(userTable.id, quizAttemptTable.userId))
      .where(
        and(
          eq(quizAttemptTable.quizId, quiz.id),
          eq(quizAttemptTable.status, 'submitted'),
          eq(quizAttemptTable.mode, 'certification'),
          gte(quizAttemptTable.submittedAt, filter.from),
          lt(quizAttemptTable.submittedAt, filter.to),
          eq(userTable.organizationId, filter.organizationId),
          teamScope(quizAttemptTable.userId, filter.teamId),
        ),
      )
      .orderBy(desc(quizAttemptTable.submittedAt))
      .limit(limit);
  const attempts = await newest(MAX_ATTEMPTS + 1);
  const capped = attempts.length > MAX_ATTEMPTS;
  const kept = attempts.slice(0, MAX_ATTEMPTS);
  const byAttempt = new Map<string, AttemptResponses & { answers: AttemptResponses['answers'][number][] }>(
    kept.map((a) => [a.id, { attemptId: a.id, score: a.score ?? 0, answers: [] }]),
  );
  // The same filtered attempts as a subquery: one indexed read of their answers instead of thousands of parameters.
  const newestIds = db.select({ id: sql`id` }).from(newest(MAX_ATTEMPTS).as('newest'));
  const answers = await db
    .select({
      attemptId: quizAnswerTable.attemptId,
      questionId: quizAnswerTable.questionId,
      chosen: quizAnswerTable.chosen,
      correct: quizAnswerTable.correct,
    })
    .from(quizAnswerTable)
    .where(inArray(quizAnswerTable.attemptId, newestIds));
  for (const a of answers)
    byAttempt
      .get(a.attemptId)
      ?.answers.push({ questionId: a.questionId, chosen: a.chosen ?? [], correct: a.correct });
  return { stats: analyzeItems(itemKeys(quiz), [...byAttempt.values()]), attempts: kept.length, capped };
}

export interface RoleplayAnalyticsResult {
  analytics: RoleplayAnalytics;
  capped: boolean;
}

export async function roleplayRunAnalytics(
  roleplay: Roleplay,
  filter: AnalyticsFilter,
): Promise<RoleplayAnalyticsResult> {
  const db = getDb();
  const newest = (limit: number) =>
    db
      .select({ id: roleplayRunTable.id, nodeId: roleplayRunTable.nodeId, endingId: roleplayRunTable.endingId })
      .from(roleplayRunTable)
      .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
      .where(
        and(
          eq(roleplayRunTable.roleplayId, roleplay.id),
          // Practice runs start part-way through a conversation: they would skew where runs go and end.
          eq(roleplayRunTable.practice, false),
          gte(roleplayRunTable.startedAt, filter.from),
          lt(roleplayRunTable.startedAt, filter.to),
          eq(userTable.organizationId, filter.organizationId),
          teamScope(roleplayRunTable.userId, filter.teamId),
        ),
      )
      .orderBy(desc(roleplayRunTable.startedAt))
      .limit(limit);
  const runs = await newest(MAX_RUNS + 1);
  const capped = runs.length > MAX_RUNS;
  const records = new Map<string, RunRecord & { steps: RunRecord['steps'][number][] }>(
    runs.slice(0, MAX_RUNS).map((r) => [r.id, { runId: r.id, nodeId: r.nodeId, endingId: r.endingId, steps: [] }]),
  );
  const steps = await db
    .select({
      runId: roleplayStepTable.runId,
      step: roleplayStepTable.step,
      nodeId: roleplayStepTable.nodeId,
      choiceId: roleplayStepTable.choiceId,
      stateAfter: roleplayStepTable.stateAfter,
    })
    .from(roleplayStepTable)
    .where(inArray(roleplayStepTable.runId, db.select({ id: sql`id` }).from(newest(MAX_RUNS).as('newest'))));
  for (const s of steps) records.get(s.runId)?.steps.push({ ...s, stateAfter: s.stateAfter as RoleplayState });
  return { analytics: analyzeRoleplayRuns(roleplay, [...records.values()]), capped };
}

export interface CalibrationAnalysisResult {
  stats: CalibrationItemStats[];
  /** Learners counted (one first attempt each). */
  learners: number;
  capped: boolean;
}

/**
 * Item analysis of a calibration exercise over each learner's first submitted attempt, when that attempt falls in
 * the range (see calibration-analysis.ts for why only the first). Newest first, capped like quiz attempts.
 */
export async function exerciseItemAnalysis(exercise: Exercise, filter: AnalyticsFilter): Promise<CalibrationAnalysisResult> {
  const db = getDb();
  const earlier = alias(exerciseAttemptTable, 'earlier');
  const firsts = (limit: number) =>
    db
      .select({ id: exerciseAttemptTable.id })
      .from(exerciseAttemptTable)
      .innerJoin(userTable, eq(userTable.id, exerciseAttemptTable.userId))
      .where(
        and(
          eq(exerciseAttemptTable.exerciseId, exercise.id),
          eq(exerciseAttemptTable.status, 'submitted'),
          gte(exerciseAttemptTable.submittedAt, filter.from),
          lt(exerciseAttemptTable.submittedAt, filter.to),
          eq(userTable.organizationId, filter.organizationId),
          teamScope(exerciseAttemptTable.userId, filter.teamId),
          notExists(
            db
              .select({ id: earlier.id })
              .from(earlier)
              .where(
                and(
                  eq(earlier.userId, exerciseAttemptTable.userId),
                  eq(earlier.exerciseId, exerciseAttemptTable.exerciseId),
                  eq(earlier.status, 'submitted'),
                  lt(earlier.submittedAt, exerciseAttemptTable.submittedAt),
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(exerciseAttemptTable.submittedAt))
      .limit(limit);
  const attempts = await firsts(MAX_ATTEMPTS + 1);
  const capped = attempts.length > MAX_ATTEMPTS;
  const byAttempt = new Map<string, CalibrationAttempt & { calls: CalibrationAttempt['calls'][number][] }>(
    attempts.slice(0, MAX_ATTEMPTS).map((a) => [a.id, { attemptId: a.id, calls: [] }]),
  );
  const calls = await db
    .select({
      attemptId: exerciseScoreTable.attemptId,
      contactId: exerciseScoreTable.contactId,
      standardId: exerciseScoreTable.standardId,
      score: exerciseScoreTable.score,
    })
    .from(exerciseScoreTable)
    .where(inArray(exerciseScoreTable.attemptId, db.select({ id: sql`id` }).from(firsts(MAX_ATTEMPTS).as('firsts'))));
  for (const c of calls) byAttempt.get(c.attemptId)?.calls.push(c);
  const keys = exercise.contacts.flatMap((c) =>
    exercise.scorecard.flatMap((standardId) => {
      const call = c.expert[standardId];
      return call ? [{ contactId: c.id, standardId, expert: call.score }] : [];
    }),
  );
  return { stats: analyzeCalibration(keys, [...byAttempt.values()]), learners: byAttempt.size, capped };
}
