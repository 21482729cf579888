/**
 * SCIM 2.0 against a real database holding the demo organization, with the request sequences Entra ID and Okta
 * document: a person's whole employment (hire with a hire date → onboarding; a team; a move; promotion to manager;
 * leaving), errors in RFC 7644's format that change nothing, ETags, paging, and two creations of one person racing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { assignmentTable, auditLogTable, membershipTable, sessionTable, teamTable, userTable } from '../../db/schema';
import { handleScim } from '../../src/features/scim/scim.server';
import { authenticateScim, createScimToken, revokeScimToken } from '../../src/features/scim/scim-tokens.server';
import { onboardingTracks } from '../../src/features/assignments/assignments';
import { loadTracks } from '../../src/features/assignments/track-source';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/lib/server/session';
import { setClockOffset } from '../../src/lib/server/clock';
import { updateUser as adminUpdateUser } from '../../src/features/accounts/users.server';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const FRONTLINE = 'urn:ietf:params:scim:schemas:extension:frontline:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const today = new Date().toISOString().slice(0, 10);

let bearer: string;

beforeEach(async () => {
  await freshDemoDb();
  const admin = await userByEmail('admin@demo.test');
  bearer = (await createScimToken(admin, { name: 'IdP', scopes: ['users', 'groups'] })).token;
});

async function scim(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  token = bearer,
) {
  const request = new Request(`http://localhost/scim/v2/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const res = await handleScim(
    request,
    path.split('?')[0]!,
    await authenticateScim(request.headers.get('authorization')),
  );
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    type: res.headers.get('content-type'),
    json: text ? JSON.parse(text) : undefined,
  };
}

async function teamByName(name: string) {
  const [t] = await getDb().select().from(teamTable).where(eq(teamTable.name, name));
  return t!;
}

async function membershipsOf(userId: string) {
  const rows = await getDb()
    .select({ kind: membershipTable.kind, team: teamTable.name })
    .from(membershipTable)
    .innerJoin(teamTable, eq(membershipTable.teamId, teamTable.id))
    .where(eq(membershipTable.userId, userId));
  return rows.map((r) => `${r.kind}:${r.team}`).sort();
}

async function onboardingOf(userId: string) {
  return getDb()
    .select()
    .from(assignmentTable)
    .where(and(eq(assignmentTable.userId, userId), eq(assignmentTable.kind, 'onboarding')));
}

async function counts() {
  const db = getDb();
  return {
    users: (await db.select().from(userTable)).length,
    memberships: (await db.select().from(membershipTable)).length,
    teams: (await db.select().from(teamTable)).length,
    assignments: (await db.select().from(assignmentTable)).length,
  };
}

describe('Entra ID’s sequence: a whole employment', () => {
  it('hire → team → move → manager → leave', async () => {
    const email = 'amira.haddad@contoso.com';
    // Entra first looks the person up by the matching attribute.
    const lookup = await scim('GET', `Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(lookup.json).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim('POST', 'Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, FRONTLINE],
      externalId: 'amira.haddad',
      userName: email,
      active: true,
      displayName: 'Amira Haddad',
      emails: [{ primary: true, type: 'work', value: email }],
      name: { formatted: 'Amira Haddad', familyName: 'Haddad', givenName: 'Amira' },
      [FRONTLINE]: { hireDate: today, role: 'learner' },
    });
    expect(created.status).toBe(201);
    expect(created.type).toMatch(/application\/scim\+json/);
    expect(created.etag).toMatch(/^W\/"/);
    const id = created.json.id as string;

    // Onboarding exactly as an invited rep hired today gets it: each mandatory rep track, due its days after hiring.
    const tracks = onboardingTracks('rep', await loadTracks());
    const onboarding = await onboardingOf(id);
    expect(onboarding.map((a) => a.trackId).sort()).toEqual(tracks.map((t) => t.id).sort());
    for (const t of tracks) {
      expect(onboarding.find((a) => a.trackId === t.id)!.dueAt).toBe(
        Date.parse(`${today}T23:59:59.999Z`) + t.dueDays! * 86_400_000,
      );
    }

    // Groups: Entra finds the group, then adds the member with an Operations PATCH.
    const billing = (await scim('GET', `Groups?filter=${encodeURIComponent('displayName eq "Billing Support"')}`)).json
      .Resources[0];
    const tech = await teamByName('Technical Support');
    expect(
      (
        await scim('PATCH', `Groups/${billing.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
        })
      ).status,
    ).toBe(200);
    expect(await membershipsOf(id)).toEqual(['member:Billing Support']);

    // A move: removed from one group, added to the other.
    expect(
      (
        await scim('PATCH', `Groups/${billing.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'Remove', path: `members[value eq "${id}"]` }],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await scim('PATCH', `Groups/${tech.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }],
        })
      ).status,
    ).toBe(200);
    expect(await membershipsOf(id)).toEqual(['member:Technical Support']);

    // The enterprise manager (Omar manages Technical Support) is kept and shown.
    const omar = await userByEmail('manager2@demo.test');
    const withManager = await scim('PATCH', `Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: omar.id }],
    });
    expect(withManager.json[ENTERPRISE].manager.value).toBe(omar.id);

    // Promotion: the role attribute; they now manage the team they were in and get the manager track.
    const promoted = await scim('PATCH', `Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: `${FRONTLINE}:role`, value: 'manager' }],
    });
    expect(promoted.status).toBe(200);
    expect(await membershipsOf(id)).toEqual(['manager:Technical Support']);
    const managerTracks = onboardingTracks('manager', await loadTracks()).map((t) => t.id);
    expect((await onboardingOf(id)).map((a) => a.trackId)).toEqual(expect.arrayContaining(managerTracks));

    // Leaving: Entra sends active as the string "False". Sessions end at once; records stay.
    const token = generateSessionToken();
    await createSession(token, id);
    const before = (await onboardingOf(id)).length;
    const left = await scim('PATCH', `Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(left.json.active).toBe(false);
    expect(await getDb().select().from(sessionTable).where(eq(sessionTable.userId, id))).toEqual([]);
    expect((await validateSessionToken(token)).user).toBeNull();
    expect((await onboardingOf(id)).length).toBe(before);

    const actions = (await getDb().select().from(auditLogTable).where(eq(auditLogTable.target, id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['scim.user.created', 'scim.user.patched', 'scim.user.deactivated']),
    );
  });
});

describe('Okta’s sequence: a whole employment', () => {
  it('hire → pushed group → promotion by PUT → deactivation → DELETE keeps the records', async () => {
    const email = 'kenji.mori@contoso.com';
    expect(
      (await scim('GET', `Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`)).json
        .totalResults,
    ).toBe(0);
    const user = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', FRONTLINE],
      userName: email,
      name: { givenName: 'Kenji', familyName: 'Mori' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Kenji Mori',
      locale: 'en-US',
      externalId: '00u1abcd',
      groups: [],
      password: 'okta-sends-one',
      active: true,
      [FRONTLINE]: { hireDate: today },
    };
    const created = await scim('POST', 'Users', user);
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await onboardingOf(id)).length).toBeGreaterThan(0);

    // Group push: the group is created, then members are added with a PATCH.
    const group = await scim('POST', 'Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Tokyo Desk',
      members: [],
    });
    expect(group.status).toBe(201);
    await scim('PATCH', `Groups/${group.json.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: email }] }],
    });
    expect(await membershipsOf(id)).toEqual(['member:Tokyo Desk']);
    const renamed = await scim('PATCH', `Groups/${group.json.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { id: group.json.id, displayName: 'Tokyo Support Desk' } }],
    });
    expect(renamed.json.displayName).toBe('Tokyo Support Desk');
    expect(renamed.json.members).toEqual([expect.objectContaining({ value: id })]);

    // Okta updates a profile with PUT of the whole user.
    const put = await scim('PUT', `Users/${id}`, { ...user, id, [FRONTLINE]: { hireDate: today, role: 'manager' } });
    expect(put.status).toBe(200);
    expect(await membershipsOf(id)).toEqual(['manager:Tokyo Support Desk']);

    // Deactivation: a PATCH without a path.
    const off = await scim('PATCH', `Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.json.active).toBe(false);
    expect((await scim('DELETE', `Users/${id}`)).status).toBe(204);
    const [row] = await getDb().select().from(userTable).where(eq(userTable.id, id));
    expect(row!.active).toBe(false);
    expect((await onboardingOf(id)).length).toBeGreaterThan(0);
  });
});

describe('RFC 7644 §3.6: a deleted user is gone to SCIM, kept here, and revived by a later POST', () => {
  it('DELETE → 404, not listed, records kept, sessions ended → POST again restores the same account', async () => {
    const email = 'lena.berg@contoso.com';
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', FRONTLINE],
      externalId: 'lena.berg',
      userName: email,
      name: { givenName: 'Lena', familyName: 'Berg' },
      emails: [{ primary: true, value: email, type: 'work' }],
      active: true,
      [FRONTLINE]: { hireDate: today },
    };
    const id = (await scim('POST', 'Users', body)).json.id as string;
    const group = await scim('POST', 'Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Oslo Desk',
      members: [{ value: id }],
    });
    const onboarding = (await onboardingOf(id)).length;
    expect(onboarding).toBeGreaterThan(0);
    const token = generateSessionToken();
    await createSession(token, id);

    expect((await scim('DELETE', `Users/${id}`)).status).toBe(204);
    expect((await scim('GET', `Users/${id}`)).status).toBe(404);
    expect(
      (
        await scim('PATCH', `Users/${id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', value: { active: true } }],
        })
      ).status,
    ).toBe(404);
    expect((await scim('DELETE', `Users/${id}`)).status).toBe(404);
    expect((await scim('GET', `Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)).json.totalResults).toBe(
      0,
    );
    expect(
      (await scim('GET', `Users?filter=${encodeURIComponent('externalId eq "lena.berg"')}`)).json.totalResults,
    ).toBe(0);
    expect((await scim('GET', 'Users?count=1000')).json.Resources.map((u: { id: string }) => u.id)).not.toContain(id);
    expect((await scim('GET', `Groups/${group.json.id}`)).json.members).toEqual([]);
    // Nor can a group take them back in.
    expect(
      (
        await scim('PATCH', `Groups/${group.json.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
        })
      ).status,
    ).toBe(400);

    const [row] = await getDb().select().from(userTable).where(eq(userTable.id, id));
    expect(row).toMatchObject({ active: false, email });
    expect(await validateSessionToken(token)).toMatchObject({ user: null });
    expect((await onboardingOf(id)).length).toBe(onboarding);
    expect(await membershipsOf(id)).toEqual(['member:Oslo Desk']);

    // The provider restores the person: it finds nobody by filter, then POSTs them again.
    const again = await scim('POST', 'Users', { ...body, name: { givenName: 'Lena', familyName: 'Berg-Nilsen' } });
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ id, userName: email, active: true, name: { formatted: 'Lena Berg-Nilsen' } });
    expect((await scim('GET', `Users/${id}`)).status).toBe(200);
    expect((await onboardingOf(id)).length).toBe(onboarding);
    expect((await getDb().select().from(userTable).where(eq(userTable.email, email))).length).toBe(1);
  });

  it('a POST revives by externalId when the provider sends one; a reused email of another person inherits nothing', async () => {
    const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
    const departed = (
      await scim('POST', 'Users', { schemas: [core], userName: 'alex@contoso.com', externalId: 'obj-1' })
    ).json.id as string;
    expect((await scim('DELETE', `Users/${departed}`)).status).toBe(204);
    const [kept] = await getDb().select().from(userTable).where(eq(userTable.id, departed));

    // A new Alex gets the address: another object in the directory, so not the departed colleague's account.
    for (const body of [
      { schemas: [core], userName: 'alex@contoso.com', externalId: 'obj-2' },
      { schemas: [core], userName: 'alex@contoso.com' },
    ]) {
      const newcomer = await scim('POST', 'Users', body);
      expect(newcomer, JSON.stringify(body)).toMatchObject({
        status: 409,
        json: { scimType: 'uniqueness', detail: expect.stringMatching(/deleted/) },
      });
    }
    expect(await getDb().select().from(userTable).where(eq(userTable.id, departed))).toEqual([kept]);

    // The same directory object comes back, under a new address: their own account, records and all.
    const back = await scim('POST', 'Users', {
      schemas: [core],
      userName: 'alex.new@contoso.com',
      externalId: 'obj-1',
    });
    expect(back).toMatchObject({ status: 201, json: { id: departed, userName: 'alex.new@contoso.com' } });

    // Neither side has an externalId: the userName is all there is to go on.
    const plain = (await scim('POST', 'Users', { schemas: [core], userName: 'sam@contoso.com' })).json.id as string;
    await scim('DELETE', `Users/${plain}`);
    expect(await scim('POST', 'Users', { schemas: [core], userName: 'Sam@Contoso.com' })).toMatchObject({
      status: 201,
      json: { id: plain },
    });
  });
});

describe('meta.lastModified moves with the resource, and the ETag with it', () => {
  beforeEach(() => {
    process.env.FRONTLINE_TEST_CLOCK = '1';
  });
  afterEach(() => setClockOffset(0));

  it('SCIM writes and an admin’s edit on /admin/users change lastModified on both sides of a membership; a no-op does not', async () => {
    const email = 'ola.nord@contoso.com';
    const user = (
      await scim('POST', 'Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: email,
        name: { givenName: 'Ola', familyName: 'Nord' },
        active: true,
      })
    ).json;
    expect(user.meta.lastModified).toBe(user.meta.created);
    const group = (
      await scim('POST', 'Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Bergen Desk',
        members: [],
      })
    ).json;

    const HOUR = 3_600_000;
    // lastModified is when the clock said the change happened (within the test's own minute).
    const expectAt = (lastModified: string, hours: number) =>
      expect(Math.abs(Date.parse(lastModified) - (Date.now() + hours * HOUR))).toBeLessThan(60_000);
    const read = async () => ({
      user: (await scim('GET', `Users/${user.id}`)).json,
      group: (await scim('GET', `Groups/${group.id}`)).json,
    });

    setClockOffset(1 * HOUR);
    await scim('PATCH', `Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
    });
    let now = await read();
    expectAt(now.user.meta.lastModified, 1);
    expectAt(now.group.meta.lastModified, 1);
    expect(now.user.meta.version).not.toBe(user.meta.version);

    // The same PUT again changes nothing a client sees: neither the version nor lastModified moves.
    setClockOffset(2 * HOUR);
    const before = now;
    const { meta: _, ...same } = now.user;
    expect((await scim('PUT', `Users/${user.id}`, same)).json.meta).toEqual(before.user.meta);

    setClockOffset(3 * HOUR);
    await scim('PATCH', `Users/${user.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Ola Nordmann' }],
    });
    now = await read();
    expectAt(now.user.meta.lastModified, 3);
    // The group shows its members' names, so it changed too.
    expectAt(now.group.meta.lastModified, 3);
    expect(now.group.meta.version).not.toBe(before.group.meta.version);

    // An admin moves the person to another team on /admin/users.
    setClockOffset(4 * HOUR);
    const admin = await userByEmail('admin@demo.test');
    const billing = await teamByName('Billing Support');
    await adminUpdateUser(admin, user.id, { role: 'learner', teamId: billing.id, manages: [], hireDate: null });
    now = await read();
    expectAt(now.user.meta.lastModified, 4);
    expectAt(now.group.meta.lastModified, 4);
    expect(now.group.members).toEqual([]);
    expectAt((await scim('GET', `Groups/${billing.id}`)).json.meta.lastModified, 4);
  });
});

describe('a promotion to manager gives the manager track, whichever way it comes', () => {
  it('promoted on /admin/users or over SCIM: the same manager-track onboarding, due from the promotion day', async () => {
    const admin = await userByEmail('admin@demo.test');
    const managerTracks = onboardingTracks('manager', await loadTracks());
    expect(managerTracks.length).toBeGreaterThan(0);
    const billing = await teamByName('Billing Support');
    const byAdmin = await userByEmail('rep1@demo.test');
    const bySCIM = await userByEmail('rep4@demo.test');

    await adminUpdateUser(admin, byAdmin.id, { role: 'manager', teamId: null, manages: [billing.id], hireDate: null });
    await scim('PATCH', `Users/${bySCIM.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: `${FRONTLINE}:role`, value: 'manager' }],
    });

    for (const id of [byAdmin.id, bySCIM.id]) {
      const given = (await onboardingOf(id)).filter((a) => managerTracks.some((t) => t.id === a.trackId));
      expect(given.map((a) => a.trackId).sort()).toEqual(managerTracks.map((t) => t.id).sort());
      for (const a of given) {
        const days = managerTracks.find((t) => t.id === a.trackId)!.dueDays;
        expect(Math.abs(a.dueAt - (Date.now() + days * 86_400_000))).toBeLessThan(86_400_000);
        expect(a.mandatory).toBe(true);
      }
    }
    // Saving the same manager again on /admin/users does not assign it twice.
    await adminUpdateUser(admin, byAdmin.id, { role: 'manager', teamId: null, manages: [billing.id], hireDate: null });
    expect((await onboardingOf(byAdmin.id)).filter((a) => managerTracks.some((t) => t.id === a.trackId)).length).toBe(
      managerTracks.length,
    );
  });
});

describe('refusals in RFC 7644’s format change nothing', () => {
  it('bad tokens, scopes, filters, bodies and versions', async () => {
    const start = await counts();
    const noToken = await scim('GET', 'Users', undefined, {}, 'scim_not-a-token');
    expect(noToken).toMatchObject({
      status: 401,
      json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' },
    });

    const admin = await userByEmail('admin@demo.test');
    const usersOnly = await createScimToken(admin, { name: 'users only', scopes: ['users'] });
    expect((await scim('GET', 'Groups', undefined, {}, usersOnly.token)).status).toBe(403);
    await revokeScimToken(admin, usersOnly.row.id);
    expect((await scim('GET', 'Users', undefined, {}, usersOnly.token)).status).toBe(401);

    expect((await scim('GET', `Users?filter=${encodeURIComponent('userName eq')}`)).json).toMatchObject({
      status: '400',
      scimType: 'invalidFilter',
    });
    expect((await scim('POST', 'Users', '{not json')).json).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect((await scim('POST', 'Users', { userName: 'not-an-email' })).json).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
    });

    const rep = await userByEmail('rep1@demo.test');
    expect(
      (await scim('PATCH', `Users/${rep.id}`, { schemas: [PATCH], Operations: [{ op: 'explode', path: 'active' }] }))
        .json,
    ).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect(
      (await scim('PATCH', `Users/${rep.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] })).json,
    ).toMatchObject({ status: '400' });
    expect(
      (
        await scim('PATCH', `Users/${rep.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'active', value: 'maybe' }],
        })
      ).json,
    ).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(
      (
        await scim(
          'PATCH',
          `Users/${rep.id}`,
          { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] },
          { 'if-match': 'W/"stale"' },
        )
      ).json,
    ).toMatchObject({ status: '412' });
    expect((await scim('GET', 'Users/nobody')).json).toMatchObject({ status: '404' });
    const team = await teamByName('Billing Support');
    expect(
      (
        await scim('PATCH', `Groups/${team.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'add', path: 'members', value: [{ value: 'nobody' }] }],
        })
      ).json,
    ).toMatchObject({ status: '400', scimType: 'invalidValue' });

    expect(await counts()).toEqual(start);
    const [still] = await getDb().select().from(userTable).where(eq(userTable.id, rep.id));
    expect(still!.active).toBe(true);
  });

  it('a rename onto another group’s name is a uniqueness conflict', async () => {
    const team = await teamByName('Billing Support');
    const res = await scim('PATCH', `Groups/${team.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Technical Support' }],
    });
    expect(res.json).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });
});

describe('reading', () => {
  it('pages, filters on externalId, and answers If-None-Match with 304', async () => {
    const all = await scim('GET', 'Users?count=2&startIndex=3');
    expect(all.json).toMatchObject({ startIndex: 3, itemsPerPage: 2 });
    expect(all.json.totalResults).toBeGreaterThan(4);
    const created = await scim('POST', 'Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ext@contoso.com',
      externalId: 'E-1',
    });
    const found = await scim('GET', `Users?filter=${encodeURIComponent('externalId eq "E-1"')}`);
    expect(found.json.Resources.map((r: { id: string }) => r.id)).toEqual([created.json.id]);
    const one = await scim('GET', `Users/${created.json.id}`);
    expect(one.etag).toBe(created.etag);
    expect((await scim('GET', `Users/${created.json.id}`, undefined, { 'if-none-match': one.etag! })).status).toBe(304);
    for (const path of ['ServiceProviderConfig', 'ResourceTypes', 'Schemas', `Schemas/${FRONTLINE}`])
      expect((await scim('GET', path)).status, path).toBe(200);
  });
});

describe('a race', () => {
  it('the same person POSTed twice at once is created once; the other gets 409', async () => {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'twice@contoso.com',
      externalId: 'T-2',
    };
    const results = await Promise.all([scim('POST', 'Users', body), scim('POST', 'Users', body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.json.scimType).toBe('uniqueness');
    expect((await getDb().select().from(userTable).where(eq(userTable.email, 'twice@contoso.com'))).length).toBe(1);
  });
});

describe('SCIM manages learners and managers only: admins and trainers are out of its reach', () => {
  it('every write touching an admin or trainer is refused with 403 and changes nothing', async () => {
    const admin = await userByEmail('admin@demo.test');
    const trainer = await userByEmail('trainer@demo.test');
    const team = await teamByName('Billing Support');
    const start = await counts();
    const before = await getDb().select().from(userTable);
    for (const target of [admin, trainer]) {
      const attempts = [
        await scim('PATCH', `Users/${target.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'userName', value: 'attacker@evil.test' }],
        }),
        await scim('PATCH', `Users/${target.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        }),
        await scim('PUT', `Users/${target.id}`, {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'attacker@evil.test',
          active: true,
          name: { formatted: 'X' },
        }),
        await scim('DELETE', `Users/${target.id}`),
        await scim('PATCH', `Groups/${team.id}`, {
          schemas: [PATCH],
          Operations: [{ op: 'add', path: 'members', value: [{ value: target.id }] }],
        }),
      ];
      for (const res of attempts)
        expect(res).toMatchObject({
          status: 403,
          json: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '403',
            detail: expect.stringMatching(/admin/i),
          },
        });
    }
    expect(await counts()).toEqual(start);
    expect(await getDb().select().from(userTable)).toEqual(before);
    const audit = await getDb().select().from(auditLogTable);
    expect(audit.filter((a) => a.action.startsWith('scim.'))).toEqual([]);
    // The admin still signs in as before: nothing SCIM sent reached their account.
    const [still] = await getDb().select().from(userTable).where(eq(userTable.id, admin.id));
    expect(still).toMatchObject({ email: 'admin@demo.test', active: true, scimDeletedAt: null });
  });
});

describe('PATCH operations that cannot apply are 400s that change nothing', () => {
  it('a null value (for a path, or for the whole resource) is invalidValue, not a 500', async () => {
    const rep = await userByEmail('rep1@demo.test');
    const before = await getDb().select().from(userTable);
    for (const op of [
      { op: 'replace', path: 'name', value: null },
      { op: 'replace', value: null },
    ]) {
      expect(await scim('PATCH', `Users/${rep.id}`, { schemas: [PATCH], Operations: [op] })).toMatchObject({
        status: 400,
        json: { status: '400', scimType: 'invalidValue' },
      });
    }
    expect(await getDb().select().from(userTable)).toEqual(before);
  });

  it('a path the schema lacks is invalidPath, a read-only one mutability; what Entra and Okta send still applies', async () => {
    const rep = await userByEmail('rep1@demo.test');
    const team = await teamByName('Billing Support');
    const start = await counts();
    const before = await getDb().select().from(userTable);
    const refused: [string, object, string][] = [
      ['Users', { op: 'replace', path: 'nonsense', value: 'x' }, 'invalidPath'],
      ['Users', { op: 'add', path: 'name.nickName', value: 'x' }, 'invalidPath'],
      ['Users', { op: 'replace', value: { nonsense: 'x' } }, 'invalidPath'],
      ['Users', { op: 'replace', path: 'id', value: 'other' }, 'mutability'],
      ['Users', { op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }, 'mutability'],
      ['Users', { op: 'add', path: 'groups', value: [{ value: team.id }] }, 'mutability'],
      ['Users', { op: 'replace', value: { id: 'other' } }, 'mutability'],
      ['Groups', { op: 'replace', path: 'userName', value: 'x' }, 'invalidPath'],
      ['Groups', { op: 'remove', path: 'meta.lastModified' }, 'mutability'],
    ];
    for (const [collection, op, scimType] of refused) {
      const target = collection === 'Users' ? rep.id : team.id;
      expect(
        await scim('PATCH', `${collection}/${target}`, { schemas: [PATCH], Operations: [op] }),
        JSON.stringify(op),
      ).toMatchObject({ status: 400, json: { status: '400', scimType } });
    }
    expect(await counts()).toEqual(start);
    expect(await getDb().select().from(userTable)).toEqual(before);
    const accepted = [
      { op: 'Replace', path: 'name.givenName', value: 'Robin' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'rep1@demo.test' },
      { op: 'Remove', path: `${ENTERPRISE}:manager` },
      { op: 'replace', path: `${FRONTLINE}:hireDate`, value: '2026-01-05' },
      { op: 'replace', value: { active: true, displayName: 'Robin Rep', [FRONTLINE]: { role: 'learner' } } },
    ];
    for (const op of accepted)
      expect(
        (await scim('PATCH', `Users/${rep.id}`, { schemas: [PATCH], Operations: [op] })).status,
        JSON.stringify(op),
      ).toBe(200);
  });
});

describe('filters (RFC 7644 §3.4.2.2)', () => {
  const list = async (collection: string, filter: string) =>
    scim('GET', `${collection}?filter=${encodeURIComponent(filter)}`);

  it('an unknown attribute or a value of the wrong type is invalidFilter, not an empty list', async () => {
    for (const filter of [
      'foo eq "x"',
      'userName eq 5',
      'active eq "yes"',
      'name eq "x"',
      'emails[foo eq "x"]',
      'name.nickName eq "x"',
      `${ENTERPRISE}:boss eq "x"`,
    ]) {
      expect(await list('Users', filter), filter).toMatchObject({
        status: 400,
        json: { status: '400', scimType: 'invalidFilter' },
      });
    }
    expect(await list('Groups', 'userName eq "x"')).toMatchObject({ status: 400, json: { scimType: 'invalidFilter' } });
    // What Entra and Okta send, and the schema's own attributes, still work.
    for (const filter of [
      'userName eq "rep1@demo.test"',
      'active eq true',
      'emails[type eq "work" and value co "rep1"]',
      'name.familyName pr',
      `${ENTERPRISE}:manager.value pr`,
      `${FRONTLINE}:role eq "learner"`,
      'meta.lastModified gt "2000-01-01T00:00:00Z"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "rep1@demo.test"',
    ]) {
      expect((await list('Users', filter)).status, filter).toBe(200);
    }
    expect((await list('Groups', 'displayName eq "Billing Support" and members.value pr')).status).toBe(200);
  });

  it('userName and a group’s displayName match whatever their case (caseExact false): Entra sends the UPN as typed', async () => {
    const created = await scim('POST', 'Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'Amira.Haddad@Contoso.com',
      externalId: 'A-1',
    });
    expect(created.status).toBe(201);
    for (const filter of [
      'userName eq "Amira.Haddad@Contoso.com"',
      'userName eq "AMIRA.HADDAD@contoso.com"',
      'userName sw "Amira."',
      'emails[value eq "Amira.Haddad@Contoso.com"]',
      'userName eq "Amira.Haddad@Contoso.com" and active eq true',
    ]) {
      expect(
        (await list('Users', filter)).json.Resources.map((r: { id: string }) => r.id),
        filter,
      ).toEqual([created.json.id]);
    }
    // externalId is caseExact: another case is another person.
    expect((await list('Users', 'externalId eq "a-1"')).json.totalResults).toBe(0);
    const team = await teamByName('Billing Support');
    for (const filter of [
      'displayName eq "billing support"',
      'displayName eq "BILLING SUPPORT" or displayName eq "x"',
    ]) {
      expect(
        (await list('Groups', filter)).json.Resources.map((r: { id: string }) => r.id),
        filter,
      ).toEqual([team.id]);
    }
  });
});
