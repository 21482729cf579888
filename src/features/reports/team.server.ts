/**
 * The team dashboard's queries. Everything starts from the team's member ids (membership index) and reads only
 * those people's rows through the per-user indexes; sums and counts (per-standard results, monthly scores, last
 * activity) are aggregated in SQL, so nothing here grows with the size of the organization.
 */
import { and, eq, gte, inArray, isNotNull, max, sql } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import {
  exerciseAttemptTable,
  judgmentAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  standardResultTable,
} from '../../../db/schema';
import { listExercises, listQuizzes, listRoleplays, listStandards, listTracks } from '../../lib/server/catalog';
import type { Member, TeamRef } from '../../lib/server/team-scope';
import { assignmentFacts, certificateFacts } from '../assignments/assignments.server';
import { pendingUpdates } from '../certification/certification.server';
import type {
  ExerciseResult,
  QuizResult,
  RequirementRules,
  Results,
  RoleplayResult,
} from '../certification/certification';
import {
  computeStandings,
  summarizeTeam,
  type AssignmentFacts,
  type CertificateFacts,
  type TeamSummary,
} from '../progress/status';
import { standardBars, trackProgress, type StandardTally, type TeamPerson } from './team';
import { computeMonthlyTrend, type TrendPoint } from './trend';

const DAY = 24 * 60 * 60 * 1000;

async function requirementRules(): Promise<RequirementRules> {
  const [quizzes, roleplays, exercises] = await Promise.all([listQuizzes(), listRoleplays(), listExercises()]);
  const passMark = new Map(quizzes.map((q) => [q.id, q.passMark]));
  const passScore = new Map(roleplays.map((r) => [r.id, r.passScore]));
  const exerciseMark = new Map(exercises.map((e) => [e.id, e.passMark]));
  return {
    quizPassMark: (id) => passMark.get(id),
    roleplayPassScore: (id) => passScore.get(id),
    exercisePassMark: (id) => exerciseMark.get(id),
  };
}

/**
 * Results that can meet a requirement, per person: passed certification attempts (a failed one never meets a
 * quiz requirement, so it is not loaded), ended role-play runs and submitted calibration exercises (a track's
 * `minScore` may ask for less than the exercise's pass mark, so failed ones count too).
 */
async function loadResults(ids: readonly string[]): Promise<Map<string, Required<Results>>> {
  const db = getDb();
  const [quizzes, runs, exercises] = await Promise.all([
    db
      .select({
        userId: quizAttemptTable.userId,
        quizId: quizAttemptTable.quizId,
        score: quizAttemptTable.score,
        at: quizAttemptTable.submittedAt,
        version: quizAttemptTable.contentVersion,
      })
      .from(quizAttemptTable)
      .where(
        and(
          inArray(quizAttemptTable.userId, [...ids]),
          eq(quizAttemptTable.mode, 'certification'),
          eq(quizAttemptTable.passed, true),
        ),
      ),
    db
      .select({
        userId: roleplayRunTable.userId,
        roleplayId: roleplayRunTable.roleplayId,
        score: roleplayRunTable.score,
        at: roleplayRunTable.endedAt,
      })
      .from(roleplayRunTable)
      .where(
        and(
          inArray(roleplayRunTable.userId, [...ids]),
          eq(roleplayRunTable.status, 'ended'),
          eq(roleplayRunTable.practice, false),
        ),
      ),
    db
      .select({
        userId: exerciseAttemptTable.userId,
        exerciseId: exerciseAttemptTable.exerciseId,
        score: exerciseAttemptTable.score,
        at: exerciseAttemptTable.submittedAt,
      })
      .from(exerciseAttemptTable)
      .where(and(inArray(exerciseAttemptTable.userId, [...ids]), eq(exerciseAttemptTable.status, 'submitted'))),
  ]);
  const out = new Map(
    ids.map((id) => [
      id,
      { quizzes: [] as QuizResult[], roleplays: [] as RoleplayResult[], exercises: [] as ExerciseResult[] },
    ]),
  );
  for (const q of quizzes)
    out
      .get(q.userId)
      ?.quizzes.push({ quizId: q.quizId, score: q.score ?? 0, contentVersion: q.version, at: q.at ?? 0 });
  for (const r of runs)
    out.get(r.userId)?.roleplays.push({ roleplayId: r.roleplayId, score: r.score ?? 0, at: r.at ?? 0 });
  for (const e of exercises)
    out.get(e.userId)?.exercises.push({ exerciseId: e.exerciseId, score: e.score ?? 0, at: e.at ?? 0 });
  return out;
}

/**
 * Each person's latest quiz attempt, role-play run, exercise attempt or judgment answer (four grouped index scans).
 * Practice runs and answers count here: last activity says when someone last trained, not what counts toward a result.
 */
export async function lastActivity(ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const db = getDb();
  const list = [...ids];
  const rows = (
    await Promise.all([
      db
        .select({ userId: quizAttemptTable.userId, at: max(quizAttemptTable.startedAt) })
        .from(quizAttemptTable)
        .where(inArray(quizAttemptTable.userId, list))
        .groupBy(quizAttemptTable.userId),
      db
        .select({ userId: roleplayRunTable.userId, at: max(roleplayRunTable.startedAt) })
        .from(roleplayRunTable)
        .where(inArray(roleplayRunTable.userId, list))
        .groupBy(roleplayRunTable.userId),
      db
        .select({ userId: exerciseAttemptTable.userId, at: max(exerciseAttemptTable.startedAt) })
        .from(exerciseAttemptTable)
        .where(inArray(exerciseAttemptTable.userId, list))
        .groupBy(exerciseAttemptTable.userId),
      db
        .select({ userId: judgmentAnswerTable.userId, at: max(judgmentAnswerTable.createdAt) })
        .from(judgmentAnswerTable)
        .where(inArray(judgmentAnswerTable.userId, list))
        .groupBy(judgmentAnswerTable.userId),
    ])
  ).flat();
  const out = new Map<string, number>();
  for (const r of rows) if (r.at !== null) out.set(r.userId, Math.max(out.get(r.userId) ?? 0, r.at));
  return out;
}

export interface TeamPeople {
  people: TeamPerson[];
  summary: TeamSummary;
  assignments: AssignmentFacts[];
  certificates: CertificateFacts[];
}

/** Per person, each assigned track's status, progress, due date and expiry, and the team's summary. */
export async function loadTeamPeople(members: readonly Member[], at: number): Promise<TeamPeople> {
  const ids = members.map((m) => m.id);
  const [assignments, certificates, updates, results, activity, tracks, rules] = await Promise.all([
    assignmentFacts(ids),
    certificateFacts(ids),
    pendingUpdates(ids, at),
    loadResults(ids),
    lastActivity(ids),
    listTracks(),
    requirementRules(),
  ]);
  const trackById = new Map(tracks.map((t) => [t.id, t]));
  const standings = computeStandings(assignments, certificates, at, updates);
  const people = members.map((m): TeamPerson => {
    const mine = standings.filter((s) => s.userId === m.id);
    const theirResults = results.get(m.id) ?? { quizzes: [], roleplays: [] };
    return {
      id: m.id,
      name: m.name,
      email: m.email,
      hireDate: m.hireDate,
      lastActivity: activity.get(m.id) ?? null,
      lines: mine.map((s) => {
        const track = trackById.get(s.trackId);
        const pairCerts = certificates.filter((c) => c.userId === m.id && c.trackId === s.trackId);
        return {
          ...s,
          trackTitle: track?.title ?? s.trackId,
          ...trackProgress(track, theirResults, pairCerts, rules, at),
        };
      }),
    };
  });
  return { people, summary: summarizeTeam(standings), assignments, certificates };
}

/** The share of right answers and honoured standards per standard since `since`, for the team's members. */
export async function standardResults(ids: readonly string[], since: number) {
  if (ids.length === 0) return [];
  const rows = await getDb()
    .select({
      standardId: standardResultTable.standardId,
      ok: sql<number>`sum(${standardResultTable.ok})`,
      total: sql<number>`count(*)`,
    })
    .from(standardResultTable)
    .where(and(inArray(standardResultTable.userId, [...ids]), gte(standardResultTable.at, since)))
    .groupBy(standardResultTable.standardId);
  const titles = new Map((await listStandards()).map((s) => [s.id, s.title]));
  const tallies: StandardTally[] = rows.map((r) => ({
    standardId: r.standardId,
    ok: Number(r.ok),
    total: Number(r.total),
  }));
  return standardBars(tallies, (id) => titles.get(id) ?? id);
}

const monthOf = (column: unknown) => sql<string>`strftime('%Y-%m', ${column} / 1000, 'unixepoch')`;

/**
 * The monthly trend for the last `months` months: compliance at each month's end (status.ts over the team's rows)
 * and the mean of the month's certification-quiz and role-play scores, summed per month in SQL.
 */
export async function teamTrend(
  ids: readonly string[],
  facts: Pick<TeamPeople, 'assignments' | 'certificates'>,
  at: number,
  months = 12,
): Promise<TrendPoint[]> {
  const start = new Date(at);
  const from = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - (months - 1), 1);
  const points = computeMonthlyTrend({ ...facts, scores: [] }, from, at);
  if (ids.length === 0) return points;
  const db = getDb();
  const list = [...ids];
  const quizMonth = monthOf(quizAttemptTable.submittedAt);
  const runMonth = monthOf(roleplayRunTable.endedAt);
  const [quiz, runs] = await Promise.all([
    db
      .select({ month: quizMonth, sum: sql<number>`sum(${quizAttemptTable.score})`, n: sql<number>`count(*)` })
      .from(quizAttemptTable)
      .where(
        and(
          inArray(quizAttemptTable.userId, list),
          eq(quizAttemptTable.status, 'submitted'),
          eq(quizAttemptTable.mode, 'certification'),
          gte(quizAttemptTable.submittedAt, from),
        ),
      )
      .groupBy(quizMonth),
    db
      .select({ month: runMonth, sum: sql<number>`sum(${roleplayRunTable.score})`, n: sql<number>`count(*)` })
      .from(roleplayRunTable)
      .where(
        and(
          inArray(roleplayRunTable.userId, list),
          eq(roleplayRunTable.status, 'ended'),
          eq(roleplayRunTable.practice, false),
          isNotNull(roleplayRunTable.endedAt),
          gte(roleplayRunTable.endedAt, from),
        ),
      )
      .groupBy(runMonth),
  ]);
  const byMonth = new Map<string, { sum: number; n: number }>();
  for (const r of [...quiz, ...runs]) {
    const acc = byMonth.get(r.month) ?? { sum: 0, n: 0 };
    byMonth.set(r.month, { sum: acc.sum + Number(r.sum), n: acc.n + Number(r.n) });
  }
  return points.map((p) => {
    const m = byMonth.get(p.month);
    return { ...p, averageScore: m && m.n > 0 ? m.sum / m.n : null, scoreCount: m?.n ?? 0 };
  });
}

export interface TeamDashboard extends TeamPeople {
  team: TeamRef;
  standards: Awaited<ReturnType<typeof standardResults>>;
  standardsSince: number;
  trend: TrendPoint[];
}

/** Everything /team shows for one team. `standardDays`: how far back the per-standard chart looks. */
export async function teamDashboard(
  team: TeamRef,
  members: readonly Member[],
  at: number,
  standardDays = 90,
): Promise<TeamDashboard> {
  const ids = members.map((m) => m.id);
  const standardsSince = at - standardDays * DAY;
  const [people, standards] = await Promise.all([loadTeamPeople(members, at), standardResults(ids, standardsSince)]);
  const trend = await teamTrend(ids, people, at);
  return { team, ...people, standards, standardsSince, trend };
}
