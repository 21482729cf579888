/**
 * A team's quality month: the sampling plan (contacts per rep per month), who is still due, the month's evaluations
 * and the remedial assignments with their coaching notes; and a rep's own evaluations and remedial modules.
 * Callers authorize first (canEvaluateTeam, or the rep themself); these only read and write what they are asked.
 */
import { and, asc, desc, eq, gte, inArray, or, type SQL } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import {
  lessonCompletionTable,
  membershipTable,
  qualityEvaluationTable,
  qualityEvaluatorTable,
  qualityPlanTable,
  quizAttemptTable,
  qualityRemedialTable,
  qualityScoreTable,
  teamTable,
  userTable,
} from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { teamMembers, visibleTeam, type Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import type { ItemValue } from './quality';
import { evaluableTeamIds, QualityError } from './quality.server';
import type { ScoredTeamItem } from './results';

type Reader = Db | Tx;
export type Remedial = typeof qualityRemedialTable.$inferSelect;

export const MAX_PER_REP = 50;

export async function samplePerRep(teamId: string, fallback: number, db: Reader = getDb()): Promise<number> {
  const [plan] = await db
    .select({ perRep: qualityPlanTable.perRep })
    .from(qualityPlanTable)
    .where(eq(qualityPlanTable.teamId, teamId));
  return plan?.perRep ?? fallback;
}

/** A manager (own team) or admin sets the team's monthly sample; evaluators follow it. */
export async function setSamplePlan(viewer: Viewer, teamId: string, perRep: number): Promise<void> {
  if (!(await visibleTeam(viewer, teamId))) throw new QualityError('NOT_FOUND', 'No such team of yours.');
  const at = now();
  await writeTransaction(async (tx) => {
    await tx
      .insert(qualityPlanTable)
      .values({ teamId, perRep, updatedBy: viewer.id, updatedAt: at })
      .onConflictDoUpdate({ target: qualityPlanTable.teamId, set: { perRep, updatedBy: viewer.id, updatedAt: at } });
    await writeAudit(tx, {
      organizationId: viewer.organizationId,
      actorId: viewer.id,
      action: 'quality.plan.set',
      target: teamId,
      detail: { perRep },
    });
  });
}

export interface MemberMonth {
  id: string;
  name: string;
  /** Submitted floor and agreed evaluations of the month. */
  scored: number;
  due: number;
}

export interface EvaluationListItem {
  id: string;
  repId: string;
  repName: string;
  evaluatorName: string;
  kind: 'floor' | 'calibration' | 'agreed';
  channel: string;
  contactDate: string;
  reference: string;
  status: 'draft' | 'submitted';
  score: number | null;
  acknowledgedAt: number | null;
}

const listColumns = {
  id: qualityEvaluationTable.id,
  repId: qualityEvaluationTable.repId,
  repName: userTable.name,
  evaluatorId: qualityEvaluationTable.evaluatorId,
  kind: qualityEvaluationTable.kind,
  channel: qualityEvaluationTable.channel,
  contactDate: qualityEvaluationTable.contactDate,
  reference: qualityEvaluationTable.reference,
  status: qualityEvaluationTable.status,
  score: qualityEvaluationTable.score,
  acknowledgedAt: qualityEvaluationTable.acknowledgedAt,
};

async function withEvaluatorNames<T extends { evaluatorId: string }>(
  rows: T[],
  db: Reader,
): Promise<(T & { evaluatorName: string })[]> {
  const ids = [...new Set(rows.map((r) => r.evaluatorId))];
  const people = ids.length
    ? await db.select({ id: userTable.id, name: userTable.name }).from(userTable).where(inArray(userTable.id, ids))
    : [];
  return rows.map((r) => ({ ...r, evaluatorName: people.find((p) => p.id === r.evaluatorId)?.name ?? '' }));
}

/** Evaluations matching `where`, newest contact first, with the rep's and the evaluator's names. */
async function evaluationList(where: SQL | undefined, db: Reader): Promise<EvaluationListItem[]> {
  const rows = await db
    .select(listColumns)
    .from(qualityEvaluationTable)
    .innerJoin(userTable, eq(userTable.id, qualityEvaluationTable.repId))
    .where(where)
    .orderBy(desc(qualityEvaluationTable.contactDate), desc(qualityEvaluationTable.id));
  return withEvaluatorNames(rows, db);
}

export interface TeamMonth {
  perRep: number;
  members: MemberMonth[];
  evaluations: EvaluationListItem[];
  remedials: (RemedialStatus & { repName: string })[];
}

/**
 * The month of a team the viewer evaluates: everyone's count against the plan, the month's submitted floor and agreed
 * evaluations plus the viewer's own drafts (calibration scores are on their calibration's page), and the remedials.
 */
export async function teamMonth(
  viewer: Viewer,
  teamId: string,
  month: string,
  fallbackSample: number,
  db: Reader = getDb(),
): Promise<TeamMonth> {
  const perRep = await samplePerRep(teamId, fallbackSample, db);
  const members = await teamMembers([teamId], db);
  const evaluations = await evaluationList(
    and(
      eq(qualityEvaluationTable.teamId, teamId),
      eq(qualityEvaluationTable.month, month),
      inArray(qualityEvaluationTable.kind, ['floor', 'agreed']),
      or(eq(qualityEvaluationTable.status, 'submitted'), eq(qualityEvaluationTable.evaluatorId, viewer.id)),
    ),
    db,
  );
  const scored = new Map<string, number>();
  for (const e of evaluations) if (e.status === 'submitted') scored.set(e.repId, (scored.get(e.repId) ?? 0) + 1);
  const names = new Map(members.map((m) => [m.id, m.name]));
  const remedials = (
    await remedialsOf(
      members.map((m) => m.id),
      db,
    )
  )
    .filter((r) => r.teamId === teamId && r.month === month)
    .map((r) => ({ ...r, repName: names.get(r.repId) ?? '' }))
    .sort((a, b) => a.repName.localeCompare(b.repName) || a.standardId.localeCompare(b.standardId));
  return {
    perRep,
    members: members.map((m) => {
      const n = scored.get(m.id) ?? 0;
      return { id: m.id, name: m.name, scored: n, due: Math.max(0, perRep - n) };
    }),
    evaluations,
    remedials,
  };
}

/** The rep's own submitted floor and agreed evaluations, newest first. */
export function repEvaluations(repId: string, db: Reader = getDb()): Promise<EvaluationListItem[]> {
  return evaluationList(
    and(
      eq(qualityEvaluationTable.repId, repId),
      eq(qualityEvaluationTable.status, 'submitted'),
      inArray(qualityEvaluationTable.kind, ['floor', 'agreed']),
    ),
    db,
  );
}

export interface RemedialStatus extends Remedial {
  /** When the rep finished the module's lesson or passed its quiz after it was assigned; null while open. */
  completedAt: number | null;
}

/** Remedial modules of these reps (newest first), each with whether the module was completed since it was assigned. */
export async function remedialsOf(repIds: readonly string[], db: Reader = getDb()): Promise<RemedialStatus[]> {
  if (repIds.length === 0) return [];
  const rows = await db
    .select()
    .from(qualityRemedialTable)
    .where(inArray(qualityRemedialTable.repId, [...repIds]))
    .orderBy(desc(qualityRemedialTable.createdAt));
  if (rows.length === 0) return [];
  const earliest = Math.min(...rows.map((r) => r.createdAt));
  const users = [...new Set(rows.map((r) => r.repId))];
  const lessons = await db
    .select({
      userId: lessonCompletionTable.userId,
      moduleId: lessonCompletionTable.moduleId,
      at: lessonCompletionTable.completedAt,
    })
    .from(lessonCompletionTable)
    .where(and(inArray(lessonCompletionTable.userId, users), gte(lessonCompletionTable.completedAt, earliest)));
  const passes = await db
    .select({ userId: quizAttemptTable.userId, moduleId: quizAttemptTable.moduleId, at: quizAttemptTable.submittedAt })
    .from(quizAttemptTable)
    .where(
      and(
        inArray(quizAttemptTable.userId, users),
        eq(quizAttemptTable.passed, true),
        gte(quizAttemptTable.submittedAt, earliest),
      ),
    );
  const done = [...lessons, ...passes];
  return rows.map((r) => {
    const first = done
      .filter((c) => c.userId === r.repId && c.moduleId === r.moduleId && c.at !== null && c.at >= r.createdAt)
      .map((c) => c.at!)
      .sort((a, b) => a - b)[0];
    return { ...r, completedAt: first ?? null };
  });
}

export interface TeamReps {
  teamId: string;
  teamName: string;
  reps: { id: string; name: string }[];
}

/** The teams the viewer evaluates, by name, each with its active reps (never the viewer themself). */
export async function evaluableTeams(viewer: Viewer, db: Reader = getDb()): Promise<TeamReps[]> {
  const ids = await evaluableTeamIds(viewer, db);
  if (ids.length === 0) return [];
  const teams = await db
    .select({ id: teamTable.id, name: teamTable.name })
    .from(teamTable)
    .where(inArray(teamTable.id, ids))
    .orderBy(asc(teamTable.name));
  const members = await teamMembers(ids, db);
  return teams.map((t) => ({
    teamId: t.id,
    teamName: t.name,
    reps: members.filter((m) => m.teamId === t.id && m.id !== viewer.id).map((m) => ({ id: m.id, name: m.name })),
  }));
}

/**
 * The scored items (blank ones left out) of submitted floor and agreed evaluations matching `where`: what counts on
 * the floor, for the team's results and the trainer's training-versus-floor table.
 */
export async function floorScoredItems(where: SQL | undefined, db: Reader = getDb()): Promise<ScoredTeamItem[]> {
  const rows = await db
    .select({
      repId: qualityEvaluationTable.repId,
      month: qualityEvaluationTable.month,
      standardId: qualityScoreTable.standardId,
      value: qualityScoreTable.value,
    })
    .from(qualityScoreTable)
    .innerJoin(qualityEvaluationTable, eq(qualityEvaluationTable.id, qualityScoreTable.evaluationId))
    .where(
      and(
        eq(qualityEvaluationTable.status, 'submitted'),
        inArray(qualityEvaluationTable.kind, ['floor', 'agreed']),
        where,
      ),
    );
  return rows.flatMap((r) => (r.value === '' ? [] : [{ ...r, value: r.value as ItemValue }]));
}

/** Every scored item of the team's submitted floor and agreed evaluations in these months, for the results page. */
export async function teamScoredItems(
  teamId: string,
  months: readonly string[],
  db: Reader = getDb(),
): Promise<ScoredTeamItem[]> {
  if (months.length === 0) return [];
  return floorScoredItems(
    and(eq(qualityEvaluationTable.teamId, teamId), inArray(qualityEvaluationTable.month, [...months])),
    db,
  );
}

export interface EvaluatorChoice {
  id: string;
  name: string;
  role: string;
  assigned: boolean;
}

/**
 * Who may be made an evaluator of the team (managers and trainers of the organisation other than the team's own
 * managers, who evaluate it anyway) and who already is.
 */
export async function evaluatorChoices(
  viewer: Viewer,
  teamId: string,
  db: Reader = getDb(),
): Promise<EvaluatorChoice[]> {
  const people = await db
    .select({ id: userTable.id, name: userTable.name, role: userTable.role })
    .from(userTable)
    .where(
      and(
        eq(userTable.organizationId, viewer.organizationId),
        eq(userTable.active, true),
        inArray(userTable.role, ['manager', 'trainer']),
      ),
    )
    .orderBy(asc(userTable.name));
  const managers = new Set(
    (
      await db
        .select({ id: membershipTable.userId })
        .from(membershipTable)
        .where(and(eq(membershipTable.teamId, teamId), eq(membershipTable.kind, 'manager')))
    ).map((r) => r.id),
  );
  const assigned = new Set(
    (
      await db
        .select({ id: qualityEvaluatorTable.userId })
        .from(qualityEvaluatorTable)
        .where(eq(qualityEvaluatorTable.teamId, teamId))
    ).map((r) => r.id),
  );
  return people.filter((p) => !managers.has(p.id)).map((p) => ({ ...p, assigned: assigned.has(p.id) }));
}

/** A manager of the team (or an admin) adds or removes an evaluator; adding twice or removing a non-evaluator changes nothing. */
export async function setEvaluator(viewer: Viewer, teamId: string, userId: string, assigned: boolean): Promise<void> {
  if (!(await visibleTeam(viewer, teamId))) throw new QualityError('NOT_FOUND', 'No such team of yours.');
  if (!(await evaluatorChoices(viewer, teamId)).some((c) => c.id === userId))
    throw new QualityError('BAD_REQUEST', 'Choose a manager or trainer of your organisation.');
  await writeTransaction(async (tx) => {
    if (assigned)
      await tx.insert(qualityEvaluatorTable).values({ teamId, userId, createdAt: now() }).onConflictDoNothing();
    else
      await tx
        .delete(qualityEvaluatorTable)
        .where(and(eq(qualityEvaluatorTable.teamId, teamId), eq(qualityEvaluatorTable.userId, userId)));
    await writeAudit(tx, {
      organizationId: viewer.organizationId,
      actorId: viewer.id,
      action: assigned ? 'quality.evaluator.add' : 'quality.evaluator.remove',
      target: teamId,
      detail: { user: userId },
    });
  });
}

export interface ScoreExportRow {
  contactDate: string;
  reference: string;
  channel: string;
  repName: string;
  evaluatorId: string;
  kind: string;
  score: number | null;
  acknowledgedAt: number | null;
  itemKey: string;
  standardId: string;
  value: string;
  comment: string | null;
}

/** Every scored item of the team's submitted floor and agreed evaluations of the month, for the CSV export. */
export async function teamMonthScores(
  teamId: string,
  month: string,
  db: Reader = getDb(),
): Promise<(ScoreExportRow & { evaluatorName: string })[]> {
  const rows = await db
    .select({
      contactDate: qualityEvaluationTable.contactDate,
      reference: qualityEvaluationTable.reference,
      channel: qualityEvaluationTable.channel,
      repName: userTable.name,
      evaluatorId: qualityEvaluationTable.evaluatorId,
      kind: qualityEvaluationTable.kind,
      score: qualityEvaluationTable.score,
      acknowledgedAt: qualityEvaluationTable.acknowledgedAt,
      itemKey: qualityScoreTable.itemKey,
      standardId: qualityScoreTable.standardId,
      value: qualityScoreTable.value,
      comment: qualityScoreTable.comment,
    })
    .from(qualityScoreTable)
    .innerJoin(qualityEvaluationTable, eq(qualityEvaluationTable.id, qualityScoreTable.evaluationId))
    .innerJoin(userTable, eq(userTable.id, qualityEvaluationTable.repId))
    .where(
      and(
        eq(qualityEvaluationTable.teamId, teamId),
        eq(qualityEvaluationTable.month, month),
        eq(qualityEvaluationTable.status, 'submitted'),
        inArray(qualityEvaluationTable.kind, ['floor', 'agreed']),
      ),
    )
    .orderBy(asc(qualityEvaluationTable.contactDate), asc(qualityEvaluationTable.id), asc(qualityScoreTable.itemKey));
  return withEvaluatorNames(rows, db);
}
