/**
 * Admin user management: list, change role and team, deactivate (which ends every session) and reactivate.
 * Each change is one write transaction with its audit row. Admins cannot change or deactivate themselves, so an
 * organization never loses its last admin by accident.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { membershipTable, sessionTable, userTable, type Job, type Role } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { writeTransaction } from '../../lib/server/write-lock';
import type { SessionUser } from '../../lib/server/session';
import { AccountError, jobForRole, type UpdateUser } from './accounts';
import { writeAudit } from '../../lib/server/audit';
import { listTeams } from './teams.server';
import { markChanged } from './change-times.server';
import { assignPromotionOnboarding } from '../assignments/assignments.server';
import { loadTracks } from '../assignments/track-source';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  job: Job | null;
  hireDate: string | null;
  active: boolean;
  /** The team a learner belongs to. */
  teamId: string | null;
  /** The teams a manager manages. */
  manages: string[];
}

const userColumns = {
  id: userTable.id,
  name: userTable.name,
  email: userTable.email,
  role: userTable.role,
  job: userTable.job,
  hireDate: userTable.hireDate,
  active: userTable.active,
};

async function withTeams(users: Omit<UserRow, 'teamId' | 'manages'>[]): Promise<UserRow[]> {
  if (users.length === 0) return [];
  const memberships = await getDb()
    .select({ userId: membershipTable.userId, teamId: membershipTable.teamId, kind: membershipTable.kind })
    .from(membershipTable)
    .where(
      inArray(
        membershipTable.userId,
        users.map((u) => u.id),
      ),
    );
  return users.map((u) => {
    const mine = memberships.filter((m) => m.userId === u.id);
    return {
      ...u,
      teamId: mine.find((m) => m.kind === 'member')?.teamId ?? null,
      manages: mine.filter((m) => m.kind === 'manager').map((m) => m.teamId),
    };
  });
}

/** Everyone in the organization with their team ids, by name. */
export async function listUsers(organizationId: string): Promise<UserRow[]> {
  const users = await getDb()
    .select(userColumns)
    .from(userTable)
    .where(eq(userTable.organizationId, organizationId))
    .orderBy(asc(userTable.name));
  return withTeams(users);
}

export async function getUser(organizationId: string, userId: string): Promise<UserRow | null> {
  const users = await getDb()
    .select(userColumns)
    .from(userTable)
    .where(and(eq(userTable.organizationId, organizationId), eq(userTable.id, userId)));
  return (await withTeams(users))[0] ?? null;
}

async function requireOtherUser(admin: SessionUser, userId: string): Promise<UserRow> {
  const user = await getUser(admin.organizationId, userId);
  if (!user) throw new AccountError('There is no such user in your organization.', 404);
  if (user.id === admin.id) throw new AccountError('You can’t change your own account here. Ask another admin.', 403);
  return user;
}

export async function updateUser(admin: SessionUser, userId: string, input: UpdateUser): Promise<void> {
  const user = await requireOtherUser(admin, userId);
  const teamIds = new Set((await listTeams(admin.organizationId)).map((t) => t.id));
  const teamId = input.role === 'learner' ? input.teamId : null;
  const manages = input.role === 'manager' ? [...new Set(input.manages)] : [];
  if ((teamId && !teamIds.has(teamId)) || manages.some((id) => !teamIds.has(id))) {
    throw new AccountError('Choose a team from the list.', 400, teamId && !teamIds.has(teamId) ? 'teamId' : 'manages');
  }
  // A promotion assigns the manager track: the tracks are read before the write lock is taken.
  const promoted = user.role !== 'manager' && input.role === 'manager';
  const tracks = promoted ? await loadTracks() : [];
  const t = now();
  await writeTransaction(async (tx) => {
    await tx
      .update(userTable)
      .set({ role: input.role, job: jobForRole(input.role), hireDate: input.hireDate ?? user.hireDate })
      .where(eq(userTable.id, user.id));
    await tx.delete(membershipTable).where(eq(membershipTable.userId, user.id));
    const rows = [
      ...(teamId ? [{ userId: user.id, teamId, kind: 'member' as const, createdAt: t }] : []),
      ...manages.map((id) => ({ userId: user.id, teamId: id, kind: 'manager' as const, createdAt: t })),
    ];
    if (rows.length) await tx.insert(membershipTable).values(rows);
    if (promoted) await assignPromotionOnboarding(tx, user.id, t, tracks);
    // Both sides of a membership change show it over SCIM: the user's groups and the teams' members.
    const was = new Set([user.teamId, ...user.manages].filter(Boolean));
    const is = new Set([teamId, ...manages].filter(Boolean));
    const teams = [...was, ...is].filter((id) => was.has(id) !== is.has(id));
    const same = teams.length === 0 && user.role === input.role && user.hireDate === (input.hireDate ?? user.hireDate);
    if (!same) await markChanged(tx, t, { users: [user.id], teams });
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'user.updated',
      target: user.id,
      detail: {
        before: { role: user.role, teamId: user.teamId, manages: user.manages, hireDate: user.hireDate },
        after: { role: input.role, teamId, manages, hireDate: input.hireDate ?? user.hireDate },
      },
    });
  });
}

/** Deactivating ends every session of the user at once; their records stay. */
export async function setUserActive(admin: SessionUser, userId: string, active: boolean): Promise<void> {
  const user = await requireOtherUser(admin, userId);
  if (user.active === active) return;
  await writeTransaction(async (tx) => {
    await tx.update(userTable).set({ active, updatedAt: now() }).where(eq(userTable.id, user.id));
    if (!active) await tx.delete(sessionTable).where(eq(sessionTable.userId, user.id));
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: active ? 'user.reactivated' : 'user.deactivated',
      target: user.id,
    });
  });
}
