/**
 * Which teams a viewer may see and act on: an admin, every team of their organization; a manager, the teams they
 * manage; anyone else, none. The team dashboard, its CSV, the assignment form and the xAPI export all ask here, so a
 * manager never reaches another team's rows by editing a URL.
 */
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { getDb, type Db, type Tx } from '../../../db/client';
import { membershipTable, teamTable, userTable } from '../../../db/schema';
import type { SessionUser } from './session';

export type Viewer = Pick<SessionUser, 'id' | 'role' | 'organizationId'>;
export interface TeamRef {
  id: string;
  name: string;
}

/** Teams the viewer may see, by name. */
export async function visibleTeams(viewer: Viewer, db: Db | Tx = getDb()): Promise<TeamRef[]> {
  if (viewer.role === 'admin') {
    return db
      .select({ id: teamTable.id, name: teamTable.name })
      .from(teamTable)
      .where(eq(teamTable.organizationId, viewer.organizationId))
      .orderBy(asc(teamTable.name));
  }
  if (viewer.role !== 'manager') return [];
  return db
    .select({ id: teamTable.id, name: teamTable.name })
    .from(membershipTable)
    .innerJoin(teamTable, eq(teamTable.id, membershipTable.teamId))
    .where(and(eq(membershipTable.userId, viewer.id), eq(membershipTable.kind, 'manager')))
    .orderBy(asc(teamTable.name));
}

/** The team if the viewer may see it, else undefined (callers answer 403 or 404). */
export async function visibleTeam(viewer: Viewer, teamId: string, db: Db | Tx = getDb()): Promise<TeamRef | undefined> {
  const [team] = await db
    .select({ id: teamTable.id, name: teamTable.name, organizationId: teamTable.organizationId })
    .from(teamTable)
    .where(eq(teamTable.id, teamId));
  if (!team || team.organizationId !== viewer.organizationId) return undefined;
  if (viewer.role === 'admin') return { id: team.id, name: team.name };
  if (viewer.role !== 'manager') return undefined;
  const [managed] = await db
    .select({ teamId: membershipTable.teamId })
    .from(membershipTable)
    .where(
      and(
        eq(membershipTable.userId, viewer.id),
        eq(membershipTable.teamId, teamId),
        eq(membershipTable.kind, 'manager'),
      ),
    );
  return managed ? { id: team.id, name: team.name } : undefined;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  job: 'rep' | 'manager' | null;
  hireDate: string | null;
  teamId: string;
}

/** Active members (learners, not managers) of the given teams, by name. */
export async function teamMembers(teamIds: readonly string[], db: Db | Tx = getDb()): Promise<Member[]> {
  if (teamIds.length === 0) return [];
  return db
    .select({
      id: userTable.id,
      name: userTable.name,
      email: userTable.email,
      job: userTable.job,
      hireDate: userTable.hireDate,
      teamId: membershipTable.teamId,
    })
    .from(membershipTable)
    .innerJoin(userTable, eq(userTable.id, membershipTable.userId))
    .where(
      and(
        inArray(membershipTable.teamId, [...teamIds]),
        eq(membershipTable.kind, 'member'),
        eq(userTable.active, true),
      ),
    )
    .orderBy(asc(userTable.name), asc(userTable.id));
}

/** Ids of everyone who is a member of these teams, deactivated people too (their records still belong to the team). */
export async function memberIdsOf(teamIds: readonly string[], db: Db | Tx = getDb()): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .select({ id: membershipTable.userId })
    .from(membershipTable)
    .where(and(inArray(membershipTable.teamId, [...teamIds]), eq(membershipTable.kind, 'member')));
  return rows.map((r) => r.id);
}

/**
 * SQL condition "this learner is someone the viewer oversees", for a query that joins `userTable` on `learnerId`:
 * for an admin anyone in their organization, for a manager the members of the teams they manage.
 * Callers refuse other roles before querying.
 */
export function overseenLearners(viewer: Viewer, learnerId: SQLiteColumn, db: Db | Tx = getDb()): SQL {
  if (viewer.role === 'admin') return eq(userTable.organizationId, viewer.organizationId);
  const managed = db
    .select({ id: membershipTable.teamId })
    .from(membershipTable)
    .where(and(eq(membershipTable.userId, viewer.id), eq(membershipTable.kind, 'manager')));
  return inArray(
    learnerId,
    db
      .select({ id: membershipTable.userId })
      .from(membershipTable)
      .where(and(eq(membershipTable.kind, 'member'), inArray(membershipTable.teamId, managed))),
  );
}
