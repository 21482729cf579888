/** Teams as accounts needs them: the organization's teams, and the ones a person manages. */
import { and, asc, eq } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { membershipTable, teamTable } from '../../../db/schema';
import type { SessionUser } from '../../lib/server/session';

export type Team = { id: string; name: string };

export async function listTeams(organizationId: string, db: Db | Tx = getDb()): Promise<Team[]> {
  return db
    .select({ id: teamTable.id, name: teamTable.name })
    .from(teamTable)
    .where(eq(teamTable.organizationId, organizationId))
    .orderBy(asc(teamTable.name));
}

export async function managedTeams(userId: string, db: Db | Tx = getDb()): Promise<Team[]> {
  return db
    .select({ id: teamTable.id, name: teamTable.name })
    .from(membershipTable)
    .innerJoin(teamTable, eq(membershipTable.teamId, teamTable.id))
    .where(and(eq(membershipTable.userId, userId), eq(membershipTable.kind, 'manager')))
    .orderBy(asc(teamTable.name));
}

/** The teams `actor` may invite people to: every team of the organization for admins, their own for managers. */
export async function invitableTeams(actor: SessionUser, db: Db | Tx = getDb()): Promise<Team[]> {
  if (actor.role === 'admin') return listTeams(actor.organizationId, db);
  if (actor.role === 'manager') return managedTeams(actor.id, db);
  return [];
}
