/**
 * The SCIM 2.0 service (/scim/v2, RFC 7644) over our users and teams: `handleScim` takes the request and the
 * caller's token (already authenticated or not) and answers in the RFC's shapes, errors included. Every write is one
 * write transaction with its audit row (actor: none; detail: the token), so a refused request changes nothing; a
 * `If-Match` that is not the current ETag is refused (412) inside that transaction.
 *
 * Users: created like an invited person (a password nobody knows, the onboarding assignments of their job from
 * their hire date, through the same account hook); `active: false` and DELETE deactivate — sessions end at once,
 * every record stays. Groups are teams; see scim.ts for how membership maps to members and managers.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { scimPatch, ScimError as PatchError } from 'scim-patch';
import { getDb, type Db, type Tx } from '../../../db/client';
import { inviteTable, membershipTable, sessionTable, ssoProviderTable, teamTable, userTable } from '../../../db/schema';
import { assignOnboarding } from '../assignments/assignments.server';
import { onAccountCreated, prepareAccountHooks } from '../assignments/hooks';
import { writeAudit } from '../accounts/audit.server';
import { now } from '../../lib/server/clock';
import { newId, randomToken } from '../../lib/server/ids';
import { hashPassword } from '../../lib/server/password';
import { siteBaseUrl } from '../../lib/server/site';
import { writeTransaction } from '../../lib/server/write-lock';
import type { ScimToken } from './scim-tokens.server';
import { discoveryResources } from './scim-discovery';
import {
  errorBody,
  etagOf,
  groupResource,
  listResponse,
  matches,
  readFilter,
  readGroup,
  readPaging,
  readPatch,
  readUser,
  SCIM_CONTENT_TYPE,
  ScimError,
  simpleEquality,
  userResource,
  type GroupFacts,
  type UserChange,
  type UserFacts,
} from './scim';

type Reader = Db | Tx;
type Resource = Record<string, unknown> & { meta: unknown };

const base = () => `${siteBaseUrl()}/scim/v2`;

function reply(status: number, body?: object, etag?: string): Response {
  const headers: Record<string, string> = { 'content-type': SCIM_CONTENT_TYPE };
  if (etag) headers.etag = etag;
  return new Response(body ? JSON.stringify(body) : null, { status, headers });
}

// ---------------------------------------------------------------------------------------------- reading

async function loadUsers(db: Reader, organizationId: string, where?: { attr: string; value: string }): Promise<UserFacts[]> {
  const column = where && { id: userTable.id, userName: userTable.email, externalId: userTable.externalId }[where.attr];
  const value = where?.attr === 'userName' ? where.value.toLowerCase() : where?.value;
  const users = await db
    .select({ id: userTable.id, email: userTable.email, name: userTable.name, role: userTable.role, hireDate: userTable.hireDate, active: userTable.active, externalId: userTable.externalId, managerId: userTable.managerId, createdAt: userTable.createdAt })
    .from(userTable)
    .where(column ? and(eq(userTable.organizationId, organizationId), eq(column, value!)) : eq(userTable.organizationId, organizationId))
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
  return users.map((u) => ({ ...u, groups: groups.filter((g) => g.userId === u.id).map(({ id, name }) => ({ id, name })) }));
}

async function loadGroups(db: Reader, organizationId: string, where?: { attr: string; value: string }): Promise<GroupFacts[]> {
  const column = where && { id: teamTable.id, displayName: teamTable.name, externalId: teamTable.externalId }[where.attr];
  const teams = await db
    .select()
    .from(teamTable)
    .where(column ? and(eq(teamTable.organizationId, organizationId), eq(column, where!.value)) : eq(teamTable.organizationId, organizationId))
    .orderBy(teamTable.createdAt, teamTable.id);
  if (teams.length === 0) return [];
  const members = await db
    .select({ teamId: membershipTable.teamId, id: userTable.id, name: userTable.name })
    .from(membershipTable)
    .innerJoin(userTable, eq(membershipTable.userId, userTable.id))
    .where(inArray(membershipTable.teamId, teams.map((t) => t.id)));
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    externalId: t.externalId,
    createdAt: t.createdAt,
    members: [...new Map(members.filter((m) => m.teamId === t.id).map((m) => [m.id, { id: m.id, name: m.name }])).values()],
  }));
}

async function oneUser(db: Reader, organizationId: string, id: string): Promise<UserFacts> {
  const [u] = await loadUsers(db, organizationId, { attr: 'id', value: id });
  if (!u) throw new ScimError(404, `No user ${id}.`);
  return u;
}

async function oneGroup(db: Reader, organizationId: string, id: string): Promise<GroupFacts> {
  const [g] = await loadGroups(db, organizationId, { attr: 'id', value: id });
  if (!g) throw new ScimError(404, `No group ${id}.`);
  return g;
}

function checkIfMatch(request: Request, resource: object): void {
  const wanted = request.headers.get('if-match');
  if (wanted && wanted.trim() !== '*' && !wanted.split(',').map((s) => s.trim()).includes(etagOf(resource))) {
    throw new ScimError(412, 'The resource changed since that version (If-Match): read it again.', 'invalidVers');
  }
}

// ---------------------------------------------------------------------------------------------- membership rules

/** The enterprise `manager` of `userId`, when a manager, manages the user's team. */
async function applyReportingLine(tx: Tx, organizationId: string, userId: string, t: number): Promise<void> {
  const [u] = await tx.select({ managerId: userTable.managerId }).from(userTable).where(eq(userTable.id, userId));
  if (!u?.managerId) return;
  const [m] = await tx.select({ role: userTable.role, active: userTable.active }).from(userTable).where(and(eq(userTable.id, u.managerId), eq(userTable.organizationId, organizationId)));
  const [team] = await tx.select({ teamId: membershipTable.teamId }).from(membershipTable).where(and(eq(membershipTable.userId, userId), eq(membershipTable.kind, 'member')));
  if (!m || m.role !== 'manager' || !m.active || !team) return;
  await tx.insert(membershipTable).values({ userId: u.managerId, teamId: team.teamId, kind: 'manager', createdAt: t }).onConflictDoNothing();
}

/** A person joins a team by their role: a learner moves there (one team at a time), a manager manages it. */
async function joinTeam(tx: Tx, user: { id: string; role: string }, teamId: string, t: number): Promise<void> {
  if (user.role === 'manager') {
    await tx.insert(membershipTable).values({ userId: user.id, teamId, kind: 'manager', createdAt: t }).onConflictDoNothing();
  } else if (user.role === 'learner') {
    await tx.delete(membershipTable).where(and(eq(membershipTable.userId, user.id), eq(membershipTable.kind, 'member')));
    await tx.insert(membershipTable).values({ userId: user.id, teamId, kind: 'member', createdAt: t });
  }
}

/**
 * Learner → manager: the team they were in is now one they manage, their job is manager, and they get the manager
 * track's onboarding from today (the unique onboarding index keeps a repeat from doubling it). Manager → learner: a
 * member of the first team they managed.
 */
async function changeRole(tx: Tx, organizationId: string, user: UserFacts, role: 'learner' | 'manager', t: number): Promise<void> {
  const rows = await tx.select().from(membershipTable).where(eq(membershipTable.userId, user.id));
  await tx.delete(membershipTable).where(eq(membershipTable.userId, user.id));
  await tx.update(userTable).set({ role, job: role === 'manager' ? 'manager' : 'rep' }).where(eq(userTable.id, user.id));
  const teams = [...new Set(rows.map((r) => r.teamId))];
  if (role === 'manager') {
    if (teams.length) await tx.insert(membershipTable).values(teams.map((teamId) => ({ userId: user.id, teamId, kind: 'manager' as const, createdAt: t })));
    await assignOnboarding(tx, { id: user.id, job: 'manager', hireDate: new Date(t).toISOString().slice(0, 10), createdAt: t });
    const reports = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.managerId, user.id));
    for (const r of reports) await applyReportingLine(tx, organizationId, r.id, t);
  } else if (teams[0]) {
    await tx.insert(membershipTable).values({ userId: user.id, teamId: teams[0], kind: 'member', createdAt: t });
  }
}

async function checkManager(tx: Tx, organizationId: string, managerId: string | null | undefined, selfId?: string): Promise<void> {
  if (!managerId) return;
  if (managerId === selfId) throw new ScimError(400, 'A user cannot be their own manager.', 'invalidValue');
  const [m] = await tx.select({ id: userTable.id }).from(userTable).where(and(eq(userTable.id, managerId), eq(userTable.organizationId, organizationId)));
  if (!m) throw new ScimError(400, `manager ${managerId} is not a user here.`, 'invalidValue');
}

async function checkUnique(tx: Tx, organizationId: string, change: UserChange, selfId?: string): Promise<void> {
  const [byEmail] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, change.email));
  if (byEmail && byEmail.id !== selfId) throw new ScimError(409, `A user with userName ${change.email} exists already.`, 'uniqueness');
  if (change.externalId) {
    const [byExternal] = await tx.select({ id: userTable.id }).from(userTable).where(and(eq(userTable.organizationId, organizationId), eq(userTable.externalId, change.externalId)));
    if (byExternal && byExternal.id !== selfId) throw new ScimError(409, `A user with externalId ${change.externalId} exists already.`, 'uniqueness');
  }
}

// ---------------------------------------------------------------------------------------------- users

type ScimCaller = Pick<ScimToken, 'id' | 'organizationId'>;

async function createUser(caller: ScimCaller, change: UserChange): Promise<UserFacts> {
  // Hashing and the hooks' file reads happen before the write lock is taken.
  const passwordHash = await hashPassword(randomToken(32));
  await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const t = now();
    await checkUnique(tx, caller.organizationId, change);
    await checkManager(tx, caller.organizationId, change.managerId);
    const role = change.role ?? 'learner';
    if (role !== 'learner' && role !== 'manager') throw new ScimError(400, 'Users made over SCIM are learners or managers.', 'mutability');
    const [user] = await tx
      .insert(userTable)
      .values({
        id: newId(),
        organizationId: caller.organizationId,
        email: change.email,
        name: change.name,
        passwordHash,
        role,
        job: role === 'manager' ? 'manager' : 'rep',
        hireDate: change.hireDate ?? new Date(t).toISOString().slice(0, 10),
        active: change.active,
        externalId: change.externalId,
        managerId: change.managerId ?? null,
        createdAt: t,
      })
      .returning();
    await onAccountCreated(tx, user!);
    await writeAudit(tx, { organizationId: caller.organizationId, actorId: null, action: 'scim.user.created', target: user!.id, detail: { token: caller.id, email: change.email, role, hireDate: user!.hireDate, active: change.active } });
    return oneUser(tx, caller.organizationId, user!.id);
  });
}

/** PUT, and PATCH once applied: the user becomes what `change` says (what it leaves undefined is kept). */
async function updateUser(caller: ScimCaller, request: Request, id: string, change: (current: Resource) => UserChange, action: string): Promise<UserFacts> {
  await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const t = now();
    const before = await oneUser(tx, caller.organizationId, id);
    const current = userResource(before, base());
    checkIfMatch(request, current);
    const next = change(current);
    await checkUnique(tx, caller.organizationId, next, id);
    await checkManager(tx, caller.organizationId, next.managerId, id);
    const managed = before.role === 'learner' || before.role === 'manager';
    if (!managed && next.role && next.role !== before.role) throw new ScimError(400, 'Admins and trainers keep their role: change it on /admin/users.', 'mutability');
    await tx
      .update(userTable)
      .set({
        email: next.email,
        name: next.name,
        externalId: next.externalId,
        active: next.active,
        ...(next.hireDate ? { hireDate: next.hireDate } : {}),
        ...(next.managerId !== undefined ? { managerId: next.managerId } : {}),
      })
      .where(eq(userTable.id, id));
    // Deactivation ends every session at once (validateSessionToken also refuses an inactive account's).
    if (!next.active) await tx.delete(sessionTable).where(eq(sessionTable.userId, id));
    if (managed && next.role && next.role !== before.role) {
      if (next.role !== 'learner' && next.role !== 'manager') throw new ScimError(400, 'role must be learner or manager.', 'mutability');
      await changeRole(tx, caller.organizationId, before, next.role, t);
    }
    await applyReportingLine(tx, caller.organizationId, id, t);
    const after = await oneUser(tx, caller.organizationId, id);
    const verb = before.active && !after.active ? 'scim.user.deactivated' : !before.active && after.active ? 'scim.user.reactivated' : action;
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: verb,
      target: id,
      detail: { token: caller.id, before: summary(before), after: summary(after) },
    });
    return after;
  });
}

function summary(u: UserFacts) {
  return { email: u.email, name: u.name, role: u.role, active: u.active, hireDate: u.hireDate, managerId: u.managerId, teams: u.groups.map((g) => g.id) };
}

async function deactivateUser(caller: ScimCaller, request: Request, id: string): Promise<void> {
  await writeTransaction(async (tx) => {
    const before = await oneUser(tx, caller.organizationId, id);
    checkIfMatch(request, userResource(before, base()));
    await tx.update(userTable).set({ active: false }).where(eq(userTable.id, id));
    await tx.delete(sessionTable).where(eq(sessionTable.userId, id));
    await writeAudit(tx, { organizationId: caller.organizationId, actorId: null, action: 'scim.user.deleted', target: id, detail: { token: caller.id, email: before.email, kept: 'deactivated; records kept' } });
  });
}

// ---------------------------------------------------------------------------------------------- groups

async function setMembers(tx: Tx, organizationId: string, teamId: string, wanted: string[], t: number): Promise<{ added: string[]; removed: string[] }> {
  const users = wanted.length
    ? await tx.select({ id: userTable.id, role: userTable.role }).from(userTable).where(and(eq(userTable.organizationId, organizationId), inArray(userTable.id, wanted)))
    : [];
  const unknown = wanted.filter((id) => !users.some((u) => u.id === id));
  if (unknown.length) throw new ScimError(400, `No such users: ${unknown.join(', ')}.`, 'invalidValue');
  const current = new Set((await tx.select({ userId: membershipTable.userId }).from(membershipTable).where(eq(membershipTable.teamId, teamId))).map((m) => m.userId));
  const removed = [...current].filter((id) => !wanted.includes(id));
  const added = users.filter((u) => !current.has(u.id));
  for (const id of removed) await tx.delete(membershipTable).where(and(eq(membershipTable.userId, id), eq(membershipTable.teamId, teamId)));
  for (const u of added) {
    await joinTeam(tx, u, teamId, t);
    await applyReportingLine(tx, organizationId, u.id, t);
  }
  return { added: added.map((u) => u.id), removed };
}

async function checkTeamName(tx: Tx, organizationId: string, name: string, externalId: string | null, selfId?: string): Promise<void> {
  const [byName] = await tx.select({ id: teamTable.id }).from(teamTable).where(and(eq(teamTable.organizationId, organizationId), eq(teamTable.name, name)));
  if (byName && byName.id !== selfId) throw new ScimError(409, `A group named ${name} exists already.`, 'uniqueness');
  if (externalId) {
    const [byExternal] = await tx.select({ id: teamTable.id }).from(teamTable).where(and(eq(teamTable.organizationId, organizationId), eq(teamTable.externalId, externalId)));
    if (byExternal && byExternal.id !== selfId) throw new ScimError(409, `A group with externalId ${externalId} exists already.`, 'uniqueness');
  }
}

async function createGroup(caller: ScimCaller, body: unknown): Promise<GroupFacts> {
  const g = readGroup(body);
  await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const t = now();
    await checkTeamName(tx, caller.organizationId, g.name, g.externalId);
    const id = newId();
    await tx.insert(teamTable).values({ id, organizationId: caller.organizationId, name: g.name, externalId: g.externalId, createdAt: t });
    const changes = await setMembers(tx, caller.organizationId, id, g.memberIds ?? [], t);
    await writeAudit(tx, { organizationId: caller.organizationId, actorId: null, action: 'scim.group.created', target: id, detail: { token: caller.id, name: g.name, ...changes } });
    return oneGroup(tx, caller.organizationId, id);
  });
}

async function updateGroup(caller: ScimCaller, request: Request, id: string, next: (current: Resource) => unknown): Promise<GroupFacts> {
  await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const t = now();
    const before = await oneGroup(tx, caller.organizationId, id);
    const current = groupResource(before, base());
    checkIfMatch(request, current);
    const g = readGroup(next(current));
    await checkTeamName(tx, caller.organizationId, g.name, g.externalId, id);
    await tx.update(teamTable).set({ name: g.name, externalId: g.externalId }).where(eq(teamTable.id, id));
    const changes = g.memberIds ? await setMembers(tx, caller.organizationId, id, g.memberIds, t) : { added: [], removed: [] };
    await writeAudit(tx, { organizationId: caller.organizationId, actorId: null, action: 'scim.group.updated', target: id, detail: { token: caller.id, name: g.name, renamedFrom: before.name === g.name ? undefined : before.name, ...changes } });
    return oneGroup(tx, caller.organizationId, id);
  });
}

/** Empties the team and removes it; a team an invite or a sign-on provider still names stays (409), emptied of nobody. */
async function deleteGroup(caller: ScimCaller, request: Request, id: string): Promise<void> {
  await writeTransaction(async (tx) => {
    const before = await oneGroup(tx, caller.organizationId, id);
    checkIfMatch(request, groupResource(before, base()));
    const [invite] = await tx.select({ id: inviteTable.id }).from(inviteTable).where(eq(inviteTable.teamId, id)).limit(1);
    const [provider] = await tx.select({ id: ssoProviderTable.id }).from(ssoProviderTable).where(eq(ssoProviderTable.defaultTeamId, id)).limit(1);
    if (invite || provider) throw new ScimError(409, 'This team is named by invites or a sign-on provider, so it is kept: remove its members instead.', 'mutability');
    await tx.delete(membershipTable).where(eq(membershipTable.teamId, id));
    await tx.delete(teamTable).where(eq(teamTable.id, id));
    await writeAudit(tx, { organizationId: caller.organizationId, actorId: null, action: 'scim.group.deleted', target: id, detail: { token: caller.id, name: before.name, members: before.members.map((m) => m.id) } });
  });
}

// ---------------------------------------------------------------------------------------------- the handler

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(scim\+)?json\b/i.test(type)) throw new ScimError(415, 'Send the body as application/scim+json.', 'invalidSyntax');
  try {
    return await request.json();
  } catch {
    throw new ScimError(400, 'The body is not JSON.', 'invalidSyntax');
  }
}

/** Applies PATCH operations to the resource as shown (scim-patch), refusing what the RFC calls a bad PatchOp. */
function patched(resource: Resource, body: unknown): Resource {
  const ops = readPatch(body);
  try {
    return scimPatch(structuredClone(resource) as Resource & { schemas: string[]; meta: { created: Date; lastModified: Date } }, ops as never, { mutateDocument: true, treatMissingAsAdd: true });
  } catch (error) {
    if (error instanceof PatchError) throw new ScimError(400, error.message, (error.scimCode as never) ?? 'invalidValue');
    throw error;
  }
}

function fromUniqueViolation(error: unknown): never {
  if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) throw new ScimError(409, 'That resource exists already.', 'uniqueness');
  throw error;
}

export async function handleScim(request: Request, path: string, token: ScimToken | undefined): Promise<Response> {
  try {
    if (!token) {
      const res = reply(401, errorBody(new ScimError(401, 'A valid SCIM bearer token is required.')));
      res.headers.set('www-authenticate', 'Bearer realm="scim"');
      return res;
    }
    return await route(request, path.split('/').filter(Boolean), token);
  } catch (error) {
    if (error instanceof ScimError) return reply(error.status, errorBody(error));
    throw error;
  }
}

async function route(request: Request, [collection, id, ...rest]: string[], token: ScimToken): Promise<Response> {
  const method = request.method;
  const discovery = discoveryResources(base());
  if (collection && collection in discovery) {
    if (method !== 'GET') throw new ScimError(405, `${collection} is read-only.`);
    const found = discovery[collection as keyof typeof discovery](id);
    if (!found) throw new ScimError(404, `No ${collection} ${id}.`);
    return reply(200, found);
  }
  if ((collection !== 'Users' && collection !== 'Groups') || rest.length) throw new ScimError(404, 'No such SCIM endpoint.');
  const scope = collection === 'Users' ? 'users' : 'groups';
  if (!token.scopes.includes(scope)) throw new ScimError(403, `This token may not use ${collection}.`);
  const users = collection === 'Users';
  const url = new URL(request.url);

  if (!id) {
    if (method === 'GET') {
      const filter = readFilter(url.searchParams.get('filter'));
      const paging = readPaging(url.searchParams);
      const fast = simpleEquality(filter, users ? ['id', 'userName', 'externalId'] : ['id', 'displayName', 'externalId']);
      const test = matches(filter);
      const all = users
        ? (await loadUsers(getDb(), token.organizationId, fast)).map((u) => userResource(u, base()))
        : (await loadGroups(getDb(), token.organizationId, fast)).map((g) => groupResource(g, base()));
      return reply(200, listResponse(all.filter(test), paging));
    }
    if (method === 'POST') {
      const body = await readBody(request);
      const created = users
        ? userResource(await createUser(token, readUser(body)).catch(fromUniqueViolation), base())
        : groupResource(await createGroup(token, body).catch(fromUniqueViolation), base());
      const res = reply(201, created, created.meta.version);
      res.headers.set('location', created.meta.location);
      return res;
    }
    throw new ScimError(405, `${method} is not supported on ${collection}.`);
  }

  let resource: ReturnType<typeof userResource> | ReturnType<typeof groupResource>;
  switch (method) {
    case 'GET': {
      resource = users ? userResource(await oneUser(getDb(), token.organizationId, id), base()) : groupResource(await oneGroup(getDb(), token.organizationId, id), base());
      if (request.headers.get('if-none-match') === resource.meta.version) return new Response(null, { status: 304, headers: { etag: resource.meta.version } });
      return reply(200, resource, resource.meta.version);
    }
    case 'PUT': {
      const body = await readBody(request);
      resource = users
        ? userResource(await updateUser(token, request, id, () => readUser(body), 'scim.user.replaced').catch(fromUniqueViolation), base())
        : groupResource(await updateGroup(token, request, id, () => body).catch(fromUniqueViolation), base());
      return reply(200, resource, resource.meta.version);
    }
    case 'PATCH': {
      const body = await readBody(request);
      resource = users
        ? userResource(await updateUser(token, request, id, (current) => readUser(patched(current, body)), 'scim.user.patched').catch(fromUniqueViolation), base())
        : groupResource(await updateGroup(token, request, id, (current) => patched(current, body)).catch(fromUniqueViolation), base());
      return reply(200, resource, resource.meta.version);
    }
    case 'DELETE':
      if (users) await deactivateUser(token, request, id);
      else await deleteGroup(token, request, id);
      return new Response(null, { status: 204 });
    default:
      throw new ScimError(405, `${method} is not supported.`);
  }
}
