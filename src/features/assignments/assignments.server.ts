/**
 * Assignments in the database: onboarding rows written with a new account, manual assignments from /team, renewal
 * rows for certificates about to expire, and the facts the dashboards need. Rules are in assignments.ts.
 *
 * Uniqueness: a person gets one onboarding row per track (unique index `assignment_onboarding_once`) and one renewal
 * per certificate (`assignment_renewal_once`), so repeating either inserts nothing. A manual assignment skips
 * people who already have an open assignment of that track; the check and the insert share one write transaction.
 */
import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { assignmentTable, certificateTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { teamMembers, visibleTeam, type Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import type { Track } from '../content/schema';
import type { AssignmentFacts, CertificateFacts } from '../progress/status';
import {
  endOfUtcDay,
  planOnboarding,
  planRenewals,
  RENEWAL_LEAD_MS,
  repsGivenManagerTrack,
  startOfIsoDate,
  type AssignForm,
  type NewAssignment,
} from './assignments';
import { loadTracks } from './track-source';
import { Refusal } from '../../lib/refusal';

type Reader = Db | Tx;

/**
 * When an assignment was completed: the stored time if any (bulk imports write it), else the first certificate of
 * the track the person earned at or after the assignment was made. Runs per row on the certificate index.
 * The outer columns are written out with their table: drizzle leaves columns unqualified in a one-table select
 * list, and inside the subquery an unqualified `user_id` would mean the certificate's own.
 */
export const completedAtSql = sql<number | null>`coalesce(${assignmentTable}.completed_at, (
  select min(c.issued_at) from ${certificateTable} c
  where c.user_id = ${assignmentTable}.user_id and c.track_id = ${assignmentTable}.track_id and c.issued_at >= ${assignmentTable}.created_at
))`;

async function insertAssignments(db: Reader, rows: readonly NewAssignment[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(assignmentTable)
    .values(rows.map((r) => ({ id: newId(), ...r })))
    .onConflictDoNothing()
    .returning({ id: assignmentTable.id });
  return inserted.length;
}

/** Onboarding rows for a new account, inside the transaction that creates it. Returns how many were written. */
export async function assignOnboarding(
  tx: Tx,
  user: { id: string; job: 'rep' | 'manager' | null; hireDate: string | null; createdAt: number },
  tracks?: readonly Track[],
): Promise<number> {
  return insertAssignments(tx, planOnboarding(user, tracks ?? (await loadTracks())));
}

/**
 * A person promoted to manager gets the manager track's onboarding, due as for a new manager counted from the
 * promotion day (README: managers are learners of the manager track), whichever way the promotion came (/admin/users
 * or SCIM). The unique onboarding index keeps a repeated promotion from doubling it.
 */
export function assignPromotionOnboarding(
  tx: Tx,
  userId: string,
  t: number,
  tracks: readonly Track[],
): Promise<number> {
  return assignOnboarding(
    tx,
    { id: userId, job: 'manager', hireDate: new Date(t).toISOString().slice(0, 10), createdAt: t },
    tracks,
  );
}

// ---------------------------------------------------------------------------------------------- manual

export class AssignmentError extends Refusal<never, 'NOT_FOUND' | 'BAD_REQUEST' | 'FORBIDDEN'> {}

export interface AssignResult {
  /** Nothing written yet: the track is for managers and these reps would get it; the form asks to confirm. */
  confirmReps?: string[];
  /** The choices to send again with the confirmation. */
  confirmInput?: Record<'team' | 'who' | 'track' | 'due' | 'priority', string>;
  teamName: string;
  trackTitle: string;
  created: number;
  /** People who already had an open assignment of the track. */
  skipped: number;
}

/**
 * A manager (for a team they manage) or an admin (any team of their organization) assigns a track to one member or
 * to every member of a team. One transaction: all rows or none, and the audit entry with them.
 */
export async function assignTrack(actor: Viewer, input: AssignForm): Promise<AssignResult> {
  const team = await visibleTeam(actor, input.team);
  if (!team) throw new AssignmentError('FORBIDDEN', 'You can only assign training to your own teams.');
  const track = (await loadTracks()).find((t) => t.id === input.track);
  if (!track) throw new AssignmentError('BAD_REQUEST', 'There is no such track.');
  const dueAt = endOfUtcDay(startOfIsoDate(input.due)!);
  const at = now();

  return writeTransaction(async (tx) => {
    const members = await teamMembers([team.id], tx);
    const targets = input.who === 'team' ? members : members.filter((m) => m.id === input.who);
    if (targets.length === 0) {
      throw new AssignmentError(
        'BAD_REQUEST',
        input.who === 'team' ? 'This team has no members yet.' : 'That person is not a member of this team.',
      );
    }
    const reps = repsGivenManagerTrack(track, targets);
    if (reps.length > 0 && input.confirm !== 'manager-track-to-reps') {
      const { team: teamId, who, track: trackId, due, priority } = input;
      const confirmInput = { team: teamId, who, track: trackId, due, priority };
      return {
        confirmReps: reps.map((m) => m.name),
        confirmInput,
        teamName: team.name,
        trackTitle: track.title,
        created: 0,
        skipped: 0,
      };
    }
    const ids = targets.map((m) => m.id);
    const open = await tx
      .select({ userId: assignmentTable.userId })
      .from(assignmentTable)
      .where(
        and(
          eq(assignmentTable.trackId, track.id),
          inArray(assignmentTable.userId, ids),
          sql`${completedAtSql} is null`,
        ),
      );
    const busy = new Set(open.map((o) => o.userId));
    const rows: NewAssignment[] = ids
      .filter((id) => !busy.has(id))
      .map((userId) => ({
        userId,
        trackId: track.id,
        dueAt,
        mandatory: input.priority === 'mandatory',
        kind: 'manual',
        certificateId: null,
        assignedBy: actor.id,
        createdAt: at,
      }));
    const created = await insertAssignments(tx, rows);
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'assignment.created',
      target: track.id,
      detail: {
        team: team.id,
        who: input.who,
        due: input.due,
        priority: input.priority,
        created,
        skipped: busy.size,
        ...(reps.length ? { repsGivenManagerTrack: reps.map((m) => m.id) } : {}),
      },
    });
    return { teamName: team.name, trackTitle: track.title, created, skipped: busy.size };
  });
}

// ---------------------------------------------------------------------------------------------- renewals

/**
 * Renewal rows for every active person whose latest certificate of a track expires within 30 days (or lapsed within
 * them). Safe to repeat: the unique index on certificate_id turns a second insert into nothing.
 */
export async function createRenewalAssignments(at = now()): Promise<number> {
  const db = getDb();
  // Outer columns qualified by hand, as in completedAtSql.
  const newer = sql`exists (select 1 from ${certificateTable} n where n.user_id = ${certificateTable}.user_id
    and n.track_id = ${certificateTable}.track_id and n.issued_at > ${certificateTable}.issued_at)`;
  const mandatory = sql<number>`exists (select 1 from ${assignmentTable} a where a.user_id = ${certificateTable}.user_id
    and a.track_id = ${certificateTable}.track_id and a.mandatory = 1)`;
  const candidates = await db
    .select({
      certificateId: certificateTable.id,
      userId: certificateTable.userId,
      trackId: certificateTable.trackId,
      issuedAt: certificateTable.issuedAt,
      expiresAt: certificateTable.expiresAt,
      revokedAt: certificateTable.revokedAt,
      mandatory,
    })
    .from(certificateTable)
    .innerJoin(userTable, eq(userTable.id, certificateTable.userId))
    .where(
      and(
        eq(userTable.active, true),
        isNull(certificateTable.revokedAt),
        lte(certificateTable.expiresAt, at + RENEWAL_LEAD_MS),
        gt(certificateTable.expiresAt, at - RENEWAL_LEAD_MS),
        sql`not ${newer}`,
      ),
    );
  const rows = planRenewals(
    candidates.map((c) => ({ ...c, mandatory: Boolean(c.mandatory) })),
    at,
  );
  let created = 0;
  // Bounded batches keep each write transaction short however many certificates expire at once.
  for (let i = 0; i < rows.length; i += 500) {
    created += await writeTransaction((tx) => insertAssignments(tx, rows.slice(i, i + 500)));
  }
  return created;
}

// ---------------------------------------------------------------------------------------------- reading

/** Assignment rows of these people, with derived completion, as status.ts wants them. */
export async function assignmentFacts(
  userIds: readonly string[],
  db: Reader = getDb(),
): Promise<(AssignmentFacts & { kind: string })[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({
      id: assignmentTable.id,
      userId: assignmentTable.userId,
      trackId: assignmentTable.trackId,
      dueAt: assignmentTable.dueAt,
      mandatory: assignmentTable.mandatory,
      createdAt: assignmentTable.createdAt,
      completedAt: completedAtSql,
      kind: assignmentTable.kind,
    })
    .from(assignmentTable)
    .where(inArray(assignmentTable.userId, [...userIds]));
  return rows.map((r) => ({ ...r, mandatory: Boolean(r.mandatory) }));
}

/** Certificate rows of these people, as status.ts wants them. */
export async function certificateFacts(userIds: readonly string[], db: Reader = getDb()): Promise<CertificateFacts[]> {
  if (userIds.length === 0) return [];
  return db
    .select({
      id: certificateTable.id,
      userId: certificateTable.userId,
      trackId: certificateTable.trackId,
      issuedAt: certificateTable.issuedAt,
      expiresAt: certificateTable.expiresAt,
      revokedAt: certificateTable.revokedAt,
    })
    .from(certificateTable)
    .where(inArray(certificateTable.userId, [...userIds]));
}
