/**
 * Reading users and teams as SCIM sees them, and the membership rules every SCIM write applies (scim.ts says how
 * groups map to members and managers). Used inside scim.server.ts's write transactions and for its reads.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { membershipTable, teamTable, userTable } from '../../../db/schema';
import { markChanged } from '../accounts/change-times.server';
import { assignPromotionOnboarding } from '../assignments/assignments.server';
import type { Track } from '../content/schema';
import { etagOf, ScimError, type GroupFacts, type UserChange, type UserFacts } from './scim';

type Reader = Db | Tx;

// ---------------------------------------------------------------------------------------------- reading

export async function loadUsers(
  db: Reader,
  organizationId: string,
  where?: { attr: string; value: string },
): Promise<UserFacts[]> {
  const column = where && { id: userTable.id, userName: userTable.email, externalId: userTable.externalId }[where.attr];
  const value = where?.attr === 'userName' ? where.value.toLowerCase() : where?.value;
  const users = await db
    .select({
      id: userTable.id,
      email: userTable.email,
      name: userTable.name,
      role: userTable.role,
      hireDate: userTable.hireDate,
      active: userTable.active,
      externalId: userTable.externalId,
      managerId: userTable.managerId,
      createdAt: userTable.createdAt,
      updatedAt: userTable.updatedAt,
    })
    .from(userTable)
    // A user the provider DELETEd is gone as far as SCIM is concerned (RFC 7644 §3.6).
    .where(
      and(
        eq(userTable.organizationId, organizationId),
        isNull(userTable.scimDeletedAt),
        column ? eq(column, value!) : undefined,
      ),
    )
    .orderBy(userTable.createdAt, userTable.id);
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const groups: { userId: string; id: string; name: string }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    groups.push(
      ...(await db
        .select({ userId: membershipTable.userId, id: teamTable.id, name: teamTable.name })
        .from(membershipTable)
        .innerJoin(teamTable, eq(membershipTable.teamId, teamTable.id))
        .where(inArray(membershipTable.userId, ids.slice(i, i + 500)))),
    );
  }
  return users.map((u) => ({
    ...u,
    groups: groups.filter((g) => g.userId === u.id).map(({ id, name }) => ({ id, name })),
  }));
}

export async function loadGroups(
  db: Reader,
  organizationId: string,
  where?: { attr: string; value: string },
): Promise<GroupFacts[]> {
  const column = where && { id: teamTable.id, externalId: teamTable.externalId }[where.attr];
  const teams = await db
    .select()
    .from(teamTable)
    .where(
      column
        ? and(eq(teamTable.organizationId, organizationId), eq(column, where!.value))
        : eq(teamTable.organizationId, organizationId),
    )
    .orderBy(teamTable.createdAt, teamTable.id);
  if (teams.length === 0) return [];
  const members = await db
    .select({ teamId: membershipTable.teamId, id: userTable.id, name: userTable.name })
    .from(membershipTable)
    .innerJoin(userTable, eq(membershipTable.userId, userTable.id))
    .where(
      and(
        inArray(
          membershipTable.teamId,
          teams.map((t) => t.id),
        ),
        isNull(userTable.scimDeletedAt),
      ),
    );
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    externalId: t.externalId,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    members: [
      ...new Map(members.filter((m) => m.teamId === t.id).map((m) => [m.id, { id: m.id, name: m.name }])).values(),
    ],
  }));
}

export async function oneUser(db: Reader, organizationId: string, id: string): Promise<UserFacts> {
  const [u] = await loadUsers(db, organizationId, { attr: 'id', value: id });
  if (!u) throw new ScimError(404, `No user ${id}.`);
  return u;
}

export async function oneGroup(db: Reader, organizationId: string, id: string): Promise<GroupFacts> {
  const [g] = await loadGroups(db, organizationId, { attr: 'id', value: id });
  if (!g) throw new ScimError(404, `No group ${id}.`);
  return g;
}

export function checkIfMatch(request: Request, resource: object): void {
  const wanted = request.headers.get('if-match');
  if (
    wanted &&
    wanted.trim() !== '*' &&
    !wanted
      .split(',')
      .map((s) => s.trim())
      .includes(etagOf(resource))
  ) {
    throw new ScimError(412, 'The resource changed since that version (If-Match): read it again.', 'invalidVers');
  }
}

// ---------------------------------------------------------------------------------------------- membership rules

/** The enterprise `manager` of `userId`, when a manager, manages the user's team. */
export async function applyReportingLine(tx: Tx, organizationId: string, userId: string, t: number): Promise<void> {
  const [u] = await tx.select({ managerId: userTable.managerId }).from(userTable).where(eq(userTable.id, userId));
  if (!u?.managerId) return;
  const [m] = await tx
    .select({ role: userTable.role, active: userTable.active })
    .from(userTable)
    .where(and(eq(userTable.id, u.managerId), eq(userTable.organizationId, organizationId)));
  const [team] = await tx
    .select({ teamId: membershipTable.teamId })
    .from(membershipTable)
    .where(and(eq(membershipTable.userId, userId), eq(membershipTable.kind, 'member')));
  if (!m || m.role !== 'manager' || !m.active || !team) return;
  const added = await tx
    .insert(membershipTable)
    .values({ userId: u.managerId, teamId: team.teamId, kind: 'manager', createdAt: t })
    .onConflictDoNothing()
    .returning();
  if (added.length) await markChanged(tx, t, { users: [u.managerId], teams: [team.teamId] });
}

/** A person joins a team by their role: a learner moves there (one team at a time), a manager manages it. */
export async function joinTeam(tx: Tx, user: { id: string; role: string }, teamId: string, t: number): Promise<void> {
  if (user.role === 'manager') {
    await tx
      .insert(membershipTable)
      .values({ userId: user.id, teamId, kind: 'manager', createdAt: t })
      .onConflictDoNothing();
  } else if (user.role === 'learner') {
    await tx
      .delete(membershipTable)
      .where(and(eq(membershipTable.userId, user.id), eq(membershipTable.kind, 'member')));
    await tx.insert(membershipTable).values({ userId: user.id, teamId, kind: 'member', createdAt: t });
  }
}

/**
 * Learner → manager: the team they were in is now one they manage, their job is manager, and they get the manager
 * track's onboarding from today (the unique onboarding index keeps a repeat from doubling it). Manager → learner: a
 * member of the first team they managed.
 */
export async function changeRole(
  tx: Tx,
  organizationId: string,
  user: UserFacts,
  role: 'learner' | 'manager',
  t: number,
  tracks: readonly Track[],
): Promise<void> {
  const rows = await tx.select().from(membershipTable).where(eq(membershipTable.userId, user.id));
  await tx.delete(membershipTable).where(eq(membershipTable.userId, user.id));
  await tx
    .update(userTable)
    .set({ role, job: role === 'manager' ? 'manager' : 'rep' })
    .where(eq(userTable.id, user.id));
  const teams = [...new Set(rows.map((r) => r.teamId))];
  if (role === 'manager') {
    if (teams.length)
      await tx
        .insert(membershipTable)
        .values(teams.map((teamId) => ({ userId: user.id, teamId, kind: 'manager' as const, createdAt: t })));
    await assignPromotionOnboarding(tx, user.id, t, tracks);
    const reports = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.managerId, user.id));
    for (const r of reports) await applyReportingLine(tx, organizationId, r.id, t);
  } else if (teams[0]) {
    await tx.insert(membershipTable).values({ userId: user.id, teamId: teams[0], kind: 'member', createdAt: t });
  }
}

export async function checkManager(
  tx: Tx,
  organizationId: string,
  managerId: string | null | undefined,
  selfId?: string,
): Promise<void> {
  if (!managerId) return;
  if (managerId === selfId) throw new ScimError(400, 'A user cannot be their own manager.', 'invalidValue');
  const [m] = await tx
    .select({ id: userTable.id })
    .from(userTable)
    .where(
      and(eq(userTable.id, managerId), eq(userTable.organizationId, organizationId), isNull(userTable.scimDeletedAt)),
    );
  if (!m) throw new ScimError(400, `manager ${managerId} is not a user here.`, 'invalidValue');
}

export async function checkUnique(tx: Tx, organizationId: string, change: UserChange, selfId?: string): Promise<void> {
  const [byEmail] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, change.email));
  if (byEmail && byEmail.id !== selfId)
    throw new ScimError(409, `A user with userName ${change.email} exists already.`, 'uniqueness');
  if (change.externalId) {
    const [byExternal] = await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(and(eq(userTable.organizationId, organizationId), eq(userTable.externalId, change.externalId)));
    if (byExternal && byExternal.id !== selfId)
      throw new ScimError(409, `A user with externalId ${change.externalId} exists already.`, 'uniqueness');
  }
}
