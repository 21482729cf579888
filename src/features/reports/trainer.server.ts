/**
 * Trainer analytics queries: item analysis of one quiz over its certification attempts, role-play analytics of one
 * role-play and item analysis of one calibration exercise over first attempts, filtered by organization,
 * optionally by team, and by date range.
 *
 * Item analysis counts every attempt in the filter and reads only sums: for the whole organization from the
 * incrementally kept `item_tally` (a few hundred rows however many attempts there are), for one team from the
 * same sums taken by SQL over its members' attempts (team membership changes, so tallies are per organization).
 * Role-play runs and calibration attempts are read row by row (quiz attempts' siblings through their indexes),
 * newest first and capped: a thousand settle the statistics, and the cap keeps memory and time flat however long
 * the range is.
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
import type { ItemKey, ItemStats } from './item-analysis';
import { analyzeItemTallies, type TallyRow } from './item-tally';
import { analyzeRoleplayRuns, type RoleplayAnalytics, type RunRecord } from './roleplay-analytics';

/**
 * Enough for stable statistics (a share's standard error stays under 2 points), few enough that even a cold read
 * of their rows from a large database stays quick.
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
}

const DAY_MS = 86_400_000;

/** The organization's tallies for the quiz over whole UTC days [from, to): the item_tally rows summed over days. */
async function tallyItemAnalysis(quiz: Quiz, filter: AnalyticsFilter): Promise<ItemAnalysisResult> {
  const t = itemTallyTable;
  const rows = await getDb()
    .select({
      questionId: t.questionId,
      score: t.score,
      optionId: t.optionId,
      answers: sql<number>`sum(${t.answers})`,
      correct: sql<number>`sum(${t.correct})`,
    })
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
  return { stats: analyzeItemTallies(itemKeys(quiz), rows), attempts };
}

/**
 * One team's tallies, summed by SQL from its members' attempts in [from, to): the same rows as `item_tally` holds
 * for the organization (tallies cannot be kept per team, since people move between teams), so every attempt counts
 * however large the team, and only the sums leave the database. The attempts are found through the team's
 * memberships and each member's attempts of the quiz (index attempt_user_quiz), so the read grows with the team.
 */
async function teamItemAnalysis(quiz: Quiz, filter: AnalyticsFilter & { teamId: string }): Promise<ItemAnalysisResult> {
  const rows = await getDb().all<TallyRow>(sql`
    WITH a AS MATERIALIZED (
      SELECT q.id, coalesce(q.score, 0) AS score
      FROM ${membershipTable} m
      JOIN ${userTable} u ON u.id = m.user_id AND u.organization_id = ${filter.organizationId}
      -- From the team's members to each one's attempts of the quiz: without ANALYZE statistics SQLite would rather
      -- read every attempt of the quiz in the range (attempt_quiz_status), which grows with the organization.
      CROSS JOIN ${quizAttemptTable} q INDEXED BY attempt_user_quiz ON q.user_id = m.user_id AND q.quiz_id = ${quiz.id}
      WHERE m.team_id = ${filter.teamId} AND m.kind = 'member'
        AND q.status = 'submitted' AND q.mode = 'certification' AND q.submitted_at >= ${filter.from} AND q.submitted_at < ${filter.to}
    )
    SELECT '' AS questionId, score, '' AS optionId, count(*) AS answers, 0 AS correct FROM a GROUP BY score
    UNION ALL
    SELECT x.question_id, a.score, '', count(*), sum(x.correct) FROM a JOIN ${quizAnswerTable} x ON x.attempt_id = a.id GROUP BY x.question_id, a.score
    UNION ALL
    SELECT x.question_id, a.score, j.value, count(*), sum(x.correct)
    FROM a JOIN ${quizAnswerTable} x ON x.attempt_id = a.id, json_each(x.chosen) j GROUP BY x.question_id, a.score, j.value`);
  const attempts = rows.filter((r) => r.questionId === '' && r.optionId === '').reduce((n, r) => n + r.answers, 0);
  return { stats: analyzeItemTallies(itemKeys(quiz), rows), attempts };
}

/** Item analysis of a quiz's certification attempts in the filter: every attempt counts, none are sampled. */
export function quizItemAnalysis(quiz: Quiz, filter: AnalyticsFilter): Promise<ItemAnalysisResult> {
  return filter.teamId ? teamItemAnalysis(quiz, { ...filter, teamId: filter.teamId }) : tallyItemAnalysis(quiz, filter);
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
export async function exerciseItemAnalysis(
  exercise: Exercise,
  filter: AnalyticsFilter,
): Promise<CalibrationAnalysisResult> {
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
