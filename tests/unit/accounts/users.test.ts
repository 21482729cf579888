import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../db/client';
import { auditLogTable, sessionTable, teamTable, userTable } from '../../../db/schema';
import { AccountError } from '~/features/accounts/accounts';
import { changePassword, endOtherSessions, endSession, listSessions } from '~/features/accounts/account.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { getUser, listUsers, setUserActive, updateUser } from '~/features/accounts/users.server';
import { validateSessionToken, type SessionUser } from '~/lib/server/session';
import { DEMO_PASSWORD, freshDemoDb, userByEmail } from '../../helpers/accounts';

async function teamIds() {
  const rows = await getDb().select().from(teamTable);
  return Object.fromEntries(rows.map((t) => [t.name, t.id])) as Record<'Billing Support' | 'Technical Support', string>;
}

async function signedIn(email: string, password = DEMO_PASSWORD) {
  const r = await signIn({
    email,
    password,
    ip: '192.0.2.1',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  });
  if (!r.ok) throw new Error(`could not sign in ${email}`);
  return r;
}

describe('admin user management', () => {
  let admin: SessionUser;
  beforeEach(async () => {
    await freshDemoDb();
    admin = await userByEmail('admin@demo.test');
  });

  it('lists the organization with teams', async () => {
    const users = await listUsers(admin.organizationId);
    const teams = await teamIds();
    expect(users).toHaveLength(10);
    expect(users.find((u) => u.email === 'manager1@demo.test')).toMatchObject({
      role: 'manager',
      job: 'manager',
      manages: [teams['Billing Support']],
      teamId: null,
    });
    expect(users.find((u) => u.email === 'rep4@demo.test')).toMatchObject({
      role: 'learner',
      teamId: teams['Technical Support'],
      manages: [],
    });
  });

  it('moves a learner to another team and promotes one to manager, with audit rows', async () => {
    const teams = await teamIds();
    const rep = await userByEmail('rep1@demo.test');
    await updateUser(admin, rep.id, {
      role: 'learner',
      teamId: teams['Technical Support'],
      manages: [],
      hireDate: null,
    });
    expect(await getUser(admin.organizationId, rep.id)).toMatchObject({
      teamId: teams['Technical Support'],
      hireDate: rep.hireDate,
    });
    await updateUser(admin, rep.id, {
      role: 'manager',
      teamId: null,
      manages: [teams['Billing Support'], teams['Technical Support']],
      hireDate: '2024-03-01',
    });
    expect(await getUser(admin.organizationId, rep.id)).toMatchObject({
      role: 'manager',
      job: 'manager',
      teamId: null,
      hireDate: '2024-03-01',
    });
    expect((await getUser(admin.organizationId, rep.id))?.manages.sort()).toEqual(Object.values(teams).sort());
    const audit = await getDb().select().from(auditLogTable).where(eq(auditLogTable.target, rep.id));
    expect(audit.map((a) => a.action)).toEqual(['user.updated', 'user.updated']);
    expect(audit[1]?.actorId).toBe(admin.id);
  });

  it('refuses a team of another organization or a made-up one', async () => {
    const rep = await userByEmail('rep1@demo.test');
    await expect(
      updateUser(admin, rep.id, { role: 'learner', teamId: 'nope', manages: [], hireDate: null }),
    ).rejects.toMatchObject({
      status: 400,
      field: 'teamId',
    });
  });

  it('deactivating ends every session of the user and stops sign-in; reactivating allows it again', async () => {
    const rep = await userByEmail('rep2@demo.test');
    const a = await signedIn('rep2@demo.test');
    const b = await signedIn('rep2@demo.test');
    await setUserActive(admin, rep.id, false);
    expect((await validateSessionToken(a.token)).session).toBeNull();
    expect((await validateSessionToken(b.token)).session).toBeNull();
    expect(await getDb().select().from(sessionTable).where(eq(sessionTable.userId, rep.id))).toHaveLength(0);
    expect(
      (await signIn({ email: 'rep2@demo.test', password: DEMO_PASSWORD, ip: '192.0.2.2', userAgent: null })).ok,
    ).toBe(false);
    await setUserActive(admin, rep.id, true);
    expect(
      (await signIn({ email: 'rep2@demo.test', password: DEMO_PASSWORD, ip: '192.0.2.2', userAgent: null })).ok,
    ).toBe(true);
    const actions = (await getDb().select().from(auditLogTable).where(eq(auditLogTable.target, rep.id))).map(
      (r) => r.action,
    );
    expect(actions).toEqual(['user.deactivated', 'user.reactivated']);
  });

  it('does not let admins change or deactivate themselves, nor touch unknown users', async () => {
    await expect(setUserActive(admin, admin.id, false)).rejects.toMatchObject({ status: 403 });
    await expect(
      updateUser(admin, admin.id, { role: 'learner', teamId: null, manages: [], hireDate: null }),
    ).rejects.toBeInstanceOf(AccountError);
    await expect(setUserActive(admin, 'no-such-user', false)).rejects.toMatchObject({ status: 404 });
    const [me] = await getDb().select().from(userTable).where(eq(userTable.id, admin.id));
    expect(me).toMatchObject({ role: 'admin', active: true });
  });
});

describe('own account', () => {
  let rep: SessionUser;
  beforeEach(async () => {
    await freshDemoDb();
    rep = await userByEmail('rep3@demo.test');
  });

  it('lists own sessions with device and marks the current one', async () => {
    const here = await signedIn('rep3@demo.test');
    await signedIn('rep3@demo.test');
    await signedIn('rep4@demo.test');
    const sessions = await listSessions(rep.id, here.session.id);
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ current: true, device: 'Firefox on Linux' });
  });

  it('ends one other session, but never the current one or someone else’s', async () => {
    const here = await signedIn('rep3@demo.test');
    const there = await signedIn('rep3@demo.test');
    const someoneElse = await signedIn('rep4@demo.test');
    expect(await endSession(rep.id, here.session.id, here.session.id)).toBe(false);
    expect(await endSession(rep.id, here.session.id, someoneElse.session.id)).toBe(false);
    expect(await endSession(rep.id, here.session.id, there.session.id)).toBe(true);
    expect((await validateSessionToken(here.token)).session).not.toBeNull();
    expect((await validateSessionToken(there.token)).session).toBeNull();
    expect((await validateSessionToken(someoneElse.token)).session).not.toBeNull();
  });

  it('ends all other sessions', async () => {
    const here = await signedIn('rep3@demo.test');
    await signedIn('rep3@demo.test');
    await signedIn('rep3@demo.test');
    expect(await endOtherSessions(rep.id, here.session.id)).toBe(2);
    expect(await listSessions(rep.id, here.session.id)).toMatchObject([{ current: true }]);
  });

  it('changing the password needs the current one, ends other sessions and keeps this one', async () => {
    const here = await signedIn('rep3@demo.test');
    const other = await signedIn('rep3@demo.test');
    await expect(
      changePassword(rep, here.session.id, { currentPassword: 'wrong', newPassword: 'new pass phrase 77' }),
    ).rejects.toMatchObject({
      field: 'currentPassword',
    });
    await expect(
      changePassword(rep, here.session.id, { currentPassword: DEMO_PASSWORD, newPassword: 'short' }),
    ).rejects.toMatchObject({
      field: 'newPassword',
    });
    expect((await validateSessionToken(other.token)).session).not.toBeNull();

    await changePassword(rep, here.session.id, { currentPassword: DEMO_PASSWORD, newPassword: 'new pass phrase 77' });
    expect((await validateSessionToken(here.token)).session).not.toBeNull();
    expect((await validateSessionToken(other.token)).session).toBeNull();
    expect((await signIn({ email: rep.email, password: DEMO_PASSWORD, ip: '192.0.2.3', userAgent: null })).ok).toBe(
      false,
    );
    expect(
      (await signIn({ email: rep.email, password: 'new pass phrase 77', ip: '192.0.2.3', userAgent: null })).ok,
    ).toBe(true);
  });

  it('changing the password revokes the device cookies issued before it; this browser gets a fresh one', async () => {
    const office = '198.51.100.61';
    const before = await signIn({ email: rep.email, password: DEMO_PASSWORD, ip: office, userAgent: 'laptop' });
    if (!before.ok) throw new Error('sign-in failed');
    const { deviceCookie } = await changePassword(rep, before.session.id, {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'amber quarry lantern 35',
    });
    // A stranger blocks the office address: only a known device of the account still gets through.
    for (let i = 0; i < 20; i++)
      await signIn({ email: `guess${i}@demo.test`, password: 'wrong', ip: office, userAgent: 'stranger' });
    const from = (cookie: string) =>
      signIn({
        email: rep.email,
        password: 'amber quarry lantern 35',
        ip: office,
        userAgent: 'laptop',
        deviceCookie: cookie,
      });
    expect(await from(before.deviceCookie)).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await from(deviceCookie)).ok).toBe(true);
  });
});
