/**
 * The SCIM 2.0 service (/scim/v2, RFC 7644) over our users and teams: `handleScim` takes the request and the
 * caller's token (already authenticated or not) and answers in the RFC's shapes, errors included. Every write is one
 * write transaction with its audit row (actor: none; detail: the token), so a refused request changes nothing; a
 * `If-Match` that is not the current ETag is refused (412) inside that transaction.
 *
 * Users: created like an invited person (a password nobody knows, the onboarding assignments of their job from
 * their hire date, through the same account hook); `active: false` and DELETE deactivate — sessions end at once,
 * every record stays — and after DELETE the user is 404 to SCIM until the same person is POSTed again. Groups are teams; see scim.ts for how membership maps to members and managers.
 */
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { scimPatch, ScimError as PatchError } from 'scim-patch';
import { getDb, type Tx } from '../../../db/client';
import { inviteTable, membershipTable, sessionTable, ssoProviderTable, teamTable, userTable } from '../../../db/schema';
import { markChanged } from '../accounts/change-times.server';
import { prepareAccountHooks } from '../assignments/hooks';
import { loadTracks } from '../assignments/track-source';
import { writeAudit } from '../../lib/server/audit';
import { now } from '../../lib/server/clock';
import { newId, randomToken } from '../../lib/server/ids';
import { hashPassword } from '../../lib/server/password';
import { siteBaseUrl } from '../../lib/server/site';
import { writeTransaction } from '../../lib/server/write-lock';
import type { Track } from '../content/schema';
import type { ScimToken } from './scim-tokens.server';
import { discoveryResources } from './scim-discovery';
import {
  applyReportingLine,
  changeRole,
  checkIfMatch,
  checkManager,
  checkUnique,
  joinTeam,
  loadGroups,
  loadUsers,
  oneGroup,
  oneUser,
} from './scim-store.server';
import {
  checkPatchPaths,
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

type Resource = Record<string, unknown> & { meta: unknown };

const base = () => `${siteBaseUrl()}/scim/v2`;

function reply(status: number, body?: object, etag?: string): Response {
  const headers: Record<string, string> = { 'content-type': SCIM_CONTENT_TYPE };
  if (etag) headers.etag = etag;
  return new Response(body ? JSON.stringify(body) : null, { status, headers });
}

// ---------------------------------------------------------------------------------------------- users

type ScimCaller = Pick<ScimToken, 'id' | 'organizationId'>;

/**
 * SCIM manages learners and managers only. An admin's or trainer's email, active flag or team changed by a bearer
 * token would let whoever holds it take the account over (reset the password of a new address) or lock the
 * organization out past the last-admin guard on /admin/users, so every such write is refused before anything changes.
 */
function checkManaged(user: { role: string }): void {
  if (user.role !== 'learner' && user.role !== 'manager')
    throw new ScimError(403, 'Admins and trainers are managed on /admin/users, not over SCIM.');
}

async function createUser(caller: ScimCaller, change: UserChange): Promise<UserFacts> {
  // Hashing and the hooks' and tracks' file reads happen before the write lock is taken.
  const passwordHash = await hashPassword(randomToken(32));
  const hooks = await prepareAccountHooks();
  const tracks = await loadTracks();
  return writeTransaction(async (tx) => {
    const t = now();
    const revived = await reviveDeletedUser(tx, caller, change, t, tracks);
    if (revived) return revived;
    await checkUnique(tx, caller.organizationId, change);
    await checkManager(tx, caller.organizationId, change.managerId);
    const role = change.role ?? 'learner';
    if (role !== 'learner' && role !== 'manager')
      throw new ScimError(400, 'Users made over SCIM are learners or managers.', 'mutability');
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
    await hooks.onAccountCreated(tx, user!);
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: 'scim.user.created',
      target: user!.id,
      detail: { token: caller.id, email: change.email, role, hireDate: user!.hireDate, active: change.active },
    });
    return oneUser(tx, caller.organizationId, user!.id);
  });
}

/** PUT, and PATCH once applied: the user becomes what `change` says (what it leaves undefined is kept). */
async function updateUser(
  caller: ScimCaller,
  request: Request,
  id: string,
  change: (current: Resource) => UserChange,
  action: string,
): Promise<UserFacts> {
  // A promotion assigns the manager track: the tracks are read before the write lock is taken.
  const tracks = await loadTracks();
  return writeTransaction(async (tx) => {
    const t = now();
    const before = await oneUser(tx, caller.organizationId, id);
    checkManaged(before);
    const current = userResource(before, base());
    checkIfMatch(request, current);
    const next = change(current);
    await checkUnique(tx, caller.organizationId, next, id);
    await checkManager(tx, caller.organizationId, next.managerId, id);
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
    if (next.role && next.role !== before.role) {
      if (next.role !== 'learner' && next.role !== 'manager')
        throw new ScimError(400, 'role must be learner or manager.', 'mutability');
      await changeRole(tx, caller.organizationId, before, next.role, t, tracks);
    }
    await applyReportingLine(tx, caller.organizationId, id, t);
    const after = await markUserChange(tx, caller.organizationId, before, t);
    const verb =
      before.active && !after.active
        ? 'scim.user.deactivated'
        : !before.active && after.active
          ? 'scim.user.reactivated'
          : action;
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

/**
 * The same person (externalId; userName when neither has one) POSTed after a SCIM DELETE gets their old account back, records and all,
 * as the POST says. Entra (restoring a deleted user) and Okta (re-assigning the app) look the person up by filter,
 * find nobody — a deleted user is 404 — and POST: a 409 would leave them stuck, and emails are unique here, so a
 * second account for the person cannot exist anyway.
 */
async function reviveDeletedUser(
  tx: Tx,
  caller: ScimCaller,
  change: UserChange,
  t: number,
  tracks: Track[],
): Promise<UserFacts | undefined> {
  const [gone] = await tx
    .select({ id: userTable.id, role: userTable.role })
    .from(userTable)
    .where(
      and(
        eq(userTable.organizationId, caller.organizationId),
        isNotNull(userTable.scimDeletedAt),
        // The directory object is the person; an address can pass to a newcomer, who must not get a departed
        // colleague's records. So: the externalId when the provider sends one, the email only when neither has one.
        change.externalId
          ? eq(userTable.externalId, change.externalId)
          : and(eq(userTable.email, change.email), isNull(userTable.externalId)),
      ),
    )
    .limit(1);
  if (!gone) {
    const [holder] = await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(
        and(
          eq(userTable.organizationId, caller.organizationId),
          eq(userTable.email, change.email),
          isNotNull(userTable.scimDeletedAt),
        ),
      );
    if (holder)
      throw new ScimError(
        409,
        `${change.email} belongs to a deleted account of another person (another externalId): an admin can give that account another email on /admin/users.`,
        'uniqueness',
      );
    return undefined;
  }
  checkManaged(gone);
  await checkUnique(tx, caller.organizationId, change, gone.id);
  await checkManager(tx, caller.organizationId, change.managerId, gone.id);
  await tx
    .update(userTable)
    .set({
      scimDeletedAt: null,
      email: change.email,
      name: change.name,
      externalId: change.externalId,
      active: change.active,
      ...(change.hireDate ? { hireDate: change.hireDate } : {}),
      managerId: change.managerId ?? null,
    })
    .where(eq(userTable.id, gone.id));
  const before = await oneUser(tx, caller.organizationId, gone.id);
  if (change.role && change.role !== before.role) {
    if (change.role !== 'learner' && change.role !== 'manager')
      throw new ScimError(400, 'role must be learner or manager.', 'mutability');
    await changeRole(tx, caller.organizationId, before, change.role, t, tracks);
  }
  await applyReportingLine(tx, caller.organizationId, gone.id, t);
  const after = await markUserChange(tx, caller.organizationId, before, t, true);
  await writeAudit(tx, {
    organizationId: caller.organizationId,
    actorId: null,
    action: 'scim.user.restored',
    target: gone.id,
    detail: { token: caller.id, after: summary(after) },
  });
  return after;
}

/** Marks the user changed when what SCIM shows of them did, and the teams whose members (or their names) changed. */
async function markUserChange(
  tx: Tx,
  organizationId: string,
  before: UserFacts,
  t: number,
  always = false,
): Promise<UserFacts> {
  const after = await oneUser(tx, organizationId, before.id);
  if (!always && etagOf(userResource(before, '')) === etagOf(userResource(after, ''))) return after;
  const was = new Set(before.groups.map((g) => g.id));
  const is = new Set(after.groups.map((g) => g.id));
  const teams =
    always || before.name !== after.name ? [...was, ...is] : [...was, ...is].filter((id) => was.has(id) !== is.has(id));
  await markChanged(tx, t, { users: [before.id], teams });
  return oneUser(tx, organizationId, before.id);
}

function summary(u: UserFacts) {
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    hireDate: u.hireDate,
    managerId: u.managerId,
    teams: u.groups.map((g) => g.id),
  };
}

async function deactivateUser(caller: ScimCaller, request: Request, id: string): Promise<void> {
  await writeTransaction(async (tx) => {
    const before = await oneUser(tx, caller.organizationId, id);
    checkManaged(before);
    checkIfMatch(request, userResource(before, base()));
    const t = now();
    await tx.update(userTable).set({ active: false, scimDeletedAt: t, updatedAt: t }).where(eq(userTable.id, id));
    await markChanged(tx, t, { teams: before.groups.map((g) => g.id) });
    await tx.delete(sessionTable).where(eq(sessionTable.userId, id));
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: 'scim.user.deleted',
      target: id,
      detail: { token: caller.id, email: before.email, kept: 'deactivated; records kept; SCIM answers 404' },
    });
  });
}

// ---------------------------------------------------------------------------------------------- groups

async function setMembers(
  tx: Tx,
  organizationId: string,
  teamId: string,
  wanted: string[],
  t: number,
): Promise<{ added: string[]; removed: string[] }> {
  const users = wanted.length
    ? await tx
        .select({ id: userTable.id, role: userTable.role })
        .from(userTable)
        .where(
          and(
            eq(userTable.organizationId, organizationId),
            inArray(userTable.id, wanted),
            isNull(userTable.scimDeletedAt),
          ),
        )
    : [];
  const unknown = wanted.filter((id) => !users.some((u) => u.id === id));
  if (unknown.length) throw new ScimError(400, `No such users: ${unknown.join(', ')}.`, 'invalidValue');
  // A user the provider deleted is not shown as a member, so a replace of the members leaves their row alone.
  const current = new Set(
    (
      await tx
        .select({ userId: membershipTable.userId })
        .from(membershipTable)
        .innerJoin(userTable, eq(membershipTable.userId, userTable.id))
        .where(and(eq(membershipTable.teamId, teamId), isNull(userTable.scimDeletedAt)))
    ).map((m) => m.userId),
  );
  const removed = [...current].filter((id) => !wanted.includes(id));
  const added = users.filter((u) => !current.has(u.id));
  // Admins' and trainers' teams are theirs to keep (see checkManaged): neither added nor removed over SCIM.
  added.forEach(checkManaged);
  if (removed.length) {
    const leaving = await tx.select({ role: userTable.role }).from(userTable).where(inArray(userTable.id, removed));
    leaving.forEach(checkManaged);
  }
  for (const id of removed)
    await tx.delete(membershipTable).where(and(eq(membershipTable.userId, id), eq(membershipTable.teamId, teamId)));
  for (const u of added) {
    // A learner joining leaves their old team: that team's members change too.
    const left = await tx
      .select({ teamId: membershipTable.teamId })
      .from(membershipTable)
      .where(and(eq(membershipTable.userId, u.id), eq(membershipTable.kind, 'member')));
    await joinTeam(tx, u, teamId, t);
    await applyReportingLine(tx, organizationId, u.id, t);
    if (u.role === 'learner') await markChanged(tx, t, { teams: left.map((l) => l.teamId) });
  }
  if (removed.length || added.length)
    await markChanged(tx, t, { users: [...removed, ...added.map((u) => u.id)], teams: [teamId] });
  return { added: added.map((u) => u.id), removed };
}

async function checkTeamName(
  tx: Tx,
  organizationId: string,
  name: string,
  externalId: string | null,
  selfId?: string,
): Promise<void> {
  const [byName] = await tx
    .select({ id: teamTable.id })
    .from(teamTable)
    .where(and(eq(teamTable.organizationId, organizationId), eq(teamTable.name, name)));
  if (byName && byName.id !== selfId) throw new ScimError(409, `A group named ${name} exists already.`, 'uniqueness');
  if (externalId) {
    const [byExternal] = await tx
      .select({ id: teamTable.id })
      .from(teamTable)
      .where(and(eq(teamTable.organizationId, organizationId), eq(teamTable.externalId, externalId)));
    if (byExternal && byExternal.id !== selfId)
      throw new ScimError(409, `A group with externalId ${externalId} exists already.`, 'uniqueness');
  }
}

async function createGroup(caller: ScimCaller, body: unknown): Promise<GroupFacts> {
  const g = readGroup(body);
  return writeTransaction(async (tx) => {
    const t = now();
    await checkTeamName(tx, caller.organizationId, g.name, g.externalId);
    const id = newId();
    await tx
      .insert(teamTable)
      .values({ id, organizationId: caller.organizationId, name: g.name, externalId: g.externalId, createdAt: t });
    const changes = await setMembers(tx, caller.organizationId, id, g.memberIds ?? [], t);
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: 'scim.group.created',
      target: id,
      detail: { token: caller.id, name: g.name, ...changes },
    });
    return oneGroup(tx, caller.organizationId, id);
  });
}

async function updateGroup(
  caller: ScimCaller,
  request: Request,
  id: string,
  next: (current: Resource) => unknown,
): Promise<GroupFacts> {
  return writeTransaction(async (tx) => {
    const t = now();
    const before = await oneGroup(tx, caller.organizationId, id);
    const current = groupResource(before, base());
    checkIfMatch(request, current);
    const g = readGroup(next(current));
    await checkTeamName(tx, caller.organizationId, g.name, g.externalId, id);
    await tx.update(teamTable).set({ name: g.name, externalId: g.externalId }).where(eq(teamTable.id, id));
    const changes = g.memberIds
      ? await setMembers(tx, caller.organizationId, id, g.memberIds, t)
      : { added: [], removed: [] };
    // A rename shows in every member's `groups` too.
    if (g.name !== before.name || g.externalId !== before.externalId)
      await markChanged(tx, t, { teams: [id], users: g.name !== before.name ? before.members.map((m) => m.id) : [] });
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: 'scim.group.updated',
      target: id,
      detail: {
        token: caller.id,
        name: g.name,
        renamedFrom: before.name === g.name ? undefined : before.name,
        ...changes,
      },
    });
    return oneGroup(tx, caller.organizationId, id);
  });
}

/** Empties the team and removes it; a team an invite or a sign-on provider still names stays (409), emptied of nobody. */
async function deleteGroup(caller: ScimCaller, request: Request, id: string): Promise<void> {
  await writeTransaction(async (tx) => {
    const before = await oneGroup(tx, caller.organizationId, id);
    checkIfMatch(request, groupResource(before, base()));
    const [invite] = await tx
      .select({ id: inviteTable.id })
      .from(inviteTable)
      .where(eq(inviteTable.teamId, id))
      .limit(1);
    const [provider] = await tx
      .select({ id: ssoProviderTable.id })
      .from(ssoProviderTable)
      .where(eq(ssoProviderTable.defaultTeamId, id))
      .limit(1);
    if (invite || provider)
      throw new ScimError(
        409,
        'This team is named by invites or a sign-on provider, so it is kept: remove its members instead.',
        'mutability',
      );
    await tx.delete(membershipTable).where(eq(membershipTable.teamId, id));
    await tx.delete(teamTable).where(eq(teamTable.id, id));
    await markChanged(tx, now(), { users: before.members.map((m) => m.id) });
    await writeAudit(tx, {
      organizationId: caller.organizationId,
      actorId: null,
      action: 'scim.group.deleted',
      target: id,
      detail: { token: caller.id, name: before.name, members: before.members.map((m) => m.id) },
    });
  });
}

// ---------------------------------------------------------------------------------------------- the handler

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(scim\+)?json\b/i.test(type))
    throw new ScimError(415, 'Send the body as application/scim+json.', 'invalidSyntax');
  try {
    return await request.json();
  } catch {
    throw new ScimError(400, 'The body is not JSON.', 'invalidSyntax');
  }
}

/** Applies PATCH operations to the resource as shown (scim-patch), refusing what the RFC calls a bad PatchOp. */
function patched(resource: Resource, body: unknown, type: 'User' | 'Group'): Resource {
  const ops = readPatch(body);
  checkPatchPaths(ops, type, resource);
  try {
    return scimPatch(
      structuredClone(resource) as Resource & { schemas: string[]; meta: { created: Date; lastModified: Date } },
      ops as never,
      { mutateDocument: true, treatMissingAsAdd: true },
    );
  } catch (error) {
    if (error instanceof PatchError)
      throw new ScimError(400, error.message, (error.scimCode as never) ?? 'invalidValue');
    throw error;
  }
}

function fromUniqueViolation(error: unknown): never {
  if (error instanceof Error && /UNIQUE constraint failed/.test(error.message))
    throw new ScimError(409, 'That resource exists already.', 'uniqueness');
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
  if ((collection !== 'Users' && collection !== 'Groups') || rest.length)
    throw new ScimError(404, 'No such SCIM endpoint.');
  const scope = collection === 'Users' ? 'users' : 'groups';
  if (!token.scopes.includes(scope)) throw new ScimError(403, `This token may not use ${collection}.`);
  const users = collection === 'Users';
  const url = new URL(request.url);

  if (!id) {
    if (method === 'GET') {
      const filter = readFilter(url.searchParams.get('filter'), users ? 'User' : 'Group');
      const paging = readPaging(url.searchParams);
      // userName is matched without case in SQL too (emails are stored lower-cased); a team's displayName is not
      // indexed that way, so that filter reads the organization's teams.
      const fast = simpleEquality(filter, users ? ['id', 'userName', 'externalId'] : ['id', 'externalId']);
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
      resource = users
        ? userResource(await oneUser(getDb(), token.organizationId, id), base())
        : groupResource(await oneGroup(getDb(), token.organizationId, id), base());
      if (request.headers.get('if-none-match') === resource.meta.version)
        return new Response(null, { status: 304, headers: { etag: resource.meta.version } });
      return reply(200, resource, resource.meta.version);
    }
    case 'PUT': {
      const body = await readBody(request);
      resource = users
        ? userResource(
            await updateUser(token, request, id, () => readUser(body), 'scim.user.replaced').catch(fromUniqueViolation),
            base(),
          )
        : groupResource(await updateGroup(token, request, id, () => body).catch(fromUniqueViolation), base());
      return reply(200, resource, resource.meta.version);
    }
    case 'PATCH': {
      const body = await readBody(request);
      resource = users
        ? userResource(
            await updateUser(
              token,
              request,
              id,
              (current) => readUser(patched(current, body, 'User')),
              'scim.user.patched',
            ).catch(fromUniqueViolation),
            base(),
          )
        : groupResource(
            await updateGroup(token, request, id, (current) => patched(current, body, 'Group')).catch(
              fromUniqueViolation,
            ),
            base(),
          );
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
