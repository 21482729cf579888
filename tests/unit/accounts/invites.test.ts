import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../db/client';
import { auditLogTable, inviteTable, membershipTable, teamTable, userTable } from '../../../db/schema';
import { AccountError, INVITE_LIFETIME } from '~/features/accounts/accounts';
import {
  acceptInvite,
  BulkInviteError,
  createBulkInvites,
  createInvite,
  findInvite,
  listInvites,
  resendInvite,
  revokeInvite,
} from '~/features/accounts/invites.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { prepareAccountHooks } from '~/features/assignments/hooks';
import { setClockOffset } from '~/lib/server/clock';
import { sha256Hex } from '~/lib/server/ids';
import type { SessionUser } from '~/lib/server/session';
import { freshDemoDb, userByEmail } from '../../helpers/accounts';

const onAccountCreated = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('~/features/assignments/hooks', () => ({ prepareAccountHooks: vi.fn(async () => ({ onAccountCreated })) }));
process.env.FRONTLINE_TEST_CLOCK = '1';

const NEW_PASSWORD = 'amber kettle orbit 42';

async function teamId(name: string): Promise<string> {
  const [t] = await getDb().select().from(teamTable).where(eq(teamTable.name, name));
  return t!.id;
}

async function count(table: typeof userTable | typeof inviteTable | typeof membershipTable | typeof auditLogTable) {
  const [row] = await getDb()
    .select({ n: sql<number>`count(*)` })
    .from(table);
  return row!.n;
}

async function refusal(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof AccountError)) throw new Error(`expected an AccountError, got ${String(e)}`);
  return e;
}

describe('invites', () => {
  let admin: SessionUser;
  let billingManager: SessionUser;
  let billing: string;
  let technical: string;

  beforeEach(async () => {
    await freshDemoDb();
    setClockOffset(0);
    onAccountCreated.mockClear();
    vi.mocked(prepareAccountHooks).mockClear();
    admin = await userByEmail('admin@demo.test');
    billingManager = await userByEmail('manager1@demo.test');
    billing = await teamId('Billing Support');
    technical = await teamId('Technical Support');
  });
  afterEach(() => setClockOffset(0));

  const learnerInvite = (email: string, team: string) => ({
    email,
    role: 'learner' as const,
    teamId: team,
    hireDate: '2026-01-05',
  });

  it('stores only the hash of the link token, valid for 7 days, with an audit row', async () => {
    const { token, expiresAt } = await createInvite(admin, learnerInvite('new@demo.test', billing));
    const [row] = await getDb().select().from(inviteTable);
    expect(row?.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(expiresAt - row!.createdAt).toBe(INVITE_LIFETIME);
    const [audit] = await getDb().select().from(auditLogTable).where(eq(auditLogTable.action, 'invite.created'));
    expect(audit).toMatchObject({ actorId: admin.id, target: row!.id });
  });

  it('lets a manager invite learners to their own team only', async () => {
    await createInvite(billingManager, learnerInvite('mine@demo.test', billing));
    const other = await refusal(createInvite(billingManager, learnerInvite('theirs@demo.test', technical)));
    expect(other).toMatchObject({ status: 403, field: 'teamId' });
    const asTrainer = await refusal(
      createInvite(billingManager, { email: 't@demo.test', role: 'trainer', teamId: null, hireDate: null }),
    );
    expect(asTrainer).toMatchObject({ status: 403, field: 'role' });
    expect(await count(inviteTable)).toBe(1);
  });

  it('lets an admin invite to any team and any role; learners and trainers invite nobody', async () => {
    await createInvite(admin, learnerInvite('a@demo.test', technical));
    await createInvite(admin, { email: 'm@demo.test', role: 'manager', teamId: technical, hireDate: null });
    await createInvite(admin, { email: 't@demo.test', role: 'trainer', teamId: null, hireDate: null });
    const rep = await userByEmail('rep1@demo.test');
    expect(await refusal(createInvite(rep, learnerInvite('x@demo.test', billing)))).toMatchObject({ status: 403 });
    const trainer = await userByEmail('trainer@demo.test');
    expect(await refusal(createInvite(trainer, learnerInvite('x@demo.test', billing)))).toMatchObject({ status: 403 });
  });

  it('refuses to invite an email that already has an account', async () => {
    expect(await refusal(createInvite(admin, learnerInvite('rep2@demo.test', billing)))).toMatchObject({
      status: 409,
      field: 'email',
    });
  });

  it('accepting creates the user, the membership and marks the invite used, then the person can sign in', async () => {
    const { token } = await createInvite(billingManager, learnerInvite('newbie@demo.test', billing));
    expect(await findInvite(token)).toMatchObject({
      state: 'valid',
      email: 'newbie@demo.test',
      teamName: 'Billing Support',
    });
    const user = await acceptInvite(token, { name: 'Nia Newbie', password: NEW_PASSWORD });
    expect(user).toMatchObject({
      email: 'newbie@demo.test',
      role: 'learner',
      job: 'rep',
      hireDate: '2026-01-05',
      active: true,
    });
    const memberships = await getDb().select().from(membershipTable).where(eq(membershipTable.userId, user.id));
    expect(memberships).toMatchObject([{ teamId: billing, kind: 'member' }]);
    const [invite] = await getDb().select().from(inviteTable);
    expect(invite).toMatchObject({ usedBy: user.id, usedAt: expect.any(Number) });
    expect(onAccountCreated).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ id: user.id }));
    // The hooks' disk reads happen before the write transaction, not while it holds the lock.
    expect(vi.mocked(prepareAccountHooks).mock.invocationCallOrder[0]).toBeLessThan(
      onAccountCreated.mock.invocationCallOrder[0]!,
    );
    const audit = await getDb().select().from(auditLogTable).where(eq(auditLogTable.action, 'invite.accepted'));
    expect(audit).toHaveLength(1);
    expect(
      (await signIn({ email: 'newbie@demo.test', password: NEW_PASSWORD, ip: '192.0.2.5', userAgent: null })).ok,
    ).toBe(true);
  });

  it('makes an invited manager the manager of the team', async () => {
    const { token } = await createInvite(admin, {
      email: 'boss@demo.test',
      role: 'manager',
      teamId: technical,
      hireDate: null,
    });
    const user = await acceptInvite(token, { name: 'Bo Boss', password: NEW_PASSWORD });
    expect(user.job).toBe('manager');
    const memberships = await getDb().select().from(membershipTable).where(eq(membershipTable.userId, user.id));
    expect(memberships).toMatchObject([{ teamId: technical, kind: 'manager' }]);
  });

  it('works once: a second use is refused as used', async () => {
    const { token } = await createInvite(admin, learnerInvite('once@demo.test', billing));
    await acceptInvite(token, { name: 'Olly Once', password: NEW_PASSWORD });
    expect(await refusal(acceptInvite(token, { name: 'Olly Again', password: NEW_PASSWORD }))).toMatchObject({
      status: 410,
    });
    expect((await findInvite(token))?.state).toBe('used');
    expect(await count(userTable)).toBe(11);
  });

  it('two simultaneous acceptances create exactly one account', async () => {
    const { token } = await createInvite(admin, learnerInvite('race@demo.test', billing));
    const results = await Promise.allSettled([
      acceptInvite(token, { name: 'Tab One', password: NEW_PASSWORD }),
      acceptInvite(token, { name: 'Tab Two', password: NEW_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await getDb().select().from(userTable).where(eq(userTable.email, 'race@demo.test'))).toHaveLength(1);
  });

  it('expires after 7 days', async () => {
    const { token } = await createInvite(admin, learnerInvite('late@demo.test', billing));
    setClockOffset(INVITE_LIFETIME - 1000);
    expect((await findInvite(token))?.state).toBe('valid');
    setClockOffset(INVITE_LIFETIME);
    expect((await findInvite(token))?.state).toBe('expired');
    expect(await refusal(acceptInvite(token, { name: 'Lee Late', password: NEW_PASSWORD }))).toMatchObject({
      status: 410,
    });
    expect(await count(userTable)).toBe(10);
  });

  it('answers unknown and malformed tokens with 404', async () => {
    expect(await findInvite('a'.repeat(32))).toBeNull();
    expect(await findInvite('../../etc/passwd')).toBeNull();
    expect(await refusal(acceptInvite('b'.repeat(32), { name: 'X', password: NEW_PASSWORD }))).toMatchObject({
      status: 404,
    });
  });

  it('refuses a weak password on the password field and writes nothing', async () => {
    const { token } = await createInvite(admin, learnerInvite('weak@demo.test', billing));
    expect(await refusal(acceptInvite(token, { name: 'Wes Weak', password: 'password123' }))).toMatchObject({
      status: 400,
      field: 'password',
    });
    expect((await findInvite(token))?.state).toBe('valid');
  });

  it('is atomic: if any step fails, no user, membership or used mark is left behind', async () => {
    const { token } = await createInvite(admin, learnerInvite('atomic@demo.test', billing));
    const before = {
      users: await count(userTable),
      memberships: await count(membershipTable),
      audit: await count(auditLogTable),
    };
    onAccountCreated.mockRejectedValueOnce(new Error('assignments exploded'));
    await expect(acceptInvite(token, { name: 'Ari Atomic', password: NEW_PASSWORD })).rejects.toThrow(
      'assignments exploded',
    );
    expect({
      users: await count(userTable),
      memberships: await count(membershipTable),
      audit: await count(auditLogTable),
    }).toEqual(before);
    const [invite] = await getDb()
      .select()
      .from(inviteTable)
      .where(and(eq(inviteTable.email, 'atomic@demo.test')));
    expect(invite).toMatchObject({ usedAt: null, usedBy: null });
    // And the link still works afterwards.
    await acceptInvite(token, { name: 'Ari Atomic', password: NEW_PASSWORD });
  });

  it('lists invites in scope: admins see all, managers their teams', async () => {
    await createInvite(admin, learnerInvite('billing@demo.test', billing));
    await createInvite(admin, learnerInvite('technical@demo.test', technical));
    expect((await listInvites(admin)).map((i) => i.email).sort()).toEqual(['billing@demo.test', 'technical@demo.test']);
    expect((await listInvites(billingManager)).map((i) => i.email)).toEqual(['billing@demo.test']);
  });
  it('bulk: all or nothing; every line refused for an account or a waiting invite is named', async () => {
    await createInvite(billingManager, learnerInvite('waiting@demo.test', billing));
    const before = await count(inviteTable);
    const rows = [
      { line: 1, email: 'fresh@demo.test', hireDate: null },
      { line: 2, email: 'rep1@demo.test', hireDate: null },
      { line: 3, email: 'waiting@demo.test', hireDate: '2026-02-01' },
    ];
    const e = await createBulkInvites(
      billingManager,
      { role: 'learner', teamId: billing, hireDate: '2026-01-05' },
      rows,
    ).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BulkInviteError);
    expect((e as BulkInviteError).errors.map((x) => x.line)).toEqual([2, 3]);
    expect(await count(inviteTable)).toBe(before);
    const made = await createBulkInvites(billingManager, { role: 'learner', teamId: billing, hireDate: '2026-01-05' }, [
      rows[0]!,
      { line: 4, email: 'dated@demo.test', hireDate: '2026-02-01' },
    ]);
    expect(made.map((m) => m.email)).toEqual(['fresh@demo.test', 'dated@demo.test']);
    const dated = await getDb().select().from(inviteTable).where(eq(inviteTable.email, 'dated@demo.test'));
    expect(dated[0]!.hireDate).toBe('2026-02-01');
  });

  it('a revoked link answers 410; a resent one replaces the old link; another team’s manager finds neither', async () => {
    const first = await createInvite(billingManager, learnerInvite('later@demo.test', billing));
    const technicalManager = await userByEmail('manager2@demo.test');
    expect(await refusal(resendInvite(technicalManager, first.id))).toMatchObject({ status: 404 });
    const again = await resendInvite(billingManager, first.id);
    expect(again.token).not.toBe(first.token);
    expect(await findInvite(first.token)).toBeNull();
    expect((await findInvite(again.token))?.state).toBe('valid');
    await revokeInvite(billingManager, first.id);
    expect((await findInvite(again.token))?.state).toBe('revoked');
    expect(await refusal(acceptInvite(again.token, { name: 'Late', password: NEW_PASSWORD }))).toMatchObject({
      status: 410,
    });
    expect(await refusal(revokeInvite(billingManager, first.id))).toMatchObject({ status: 409 });
  });
});
