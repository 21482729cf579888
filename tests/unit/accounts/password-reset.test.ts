/**
 * Resetting a password through a reset link: the new password meets the same rules as every other one (the person's
 * own name and organisation are context words), the link works once, and every session ends.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../db/client';
import { organizationTable, passwordResetTable, sessionTable } from '../../../db/schema';
import { AccountError } from '~/features/accounts/accounts';
import { RESET_MAIL_LIMIT, RESET_PAIR_LIMIT } from '~/features/accounts/password-reset';
import { requestPasswordReset, resetPassword } from '~/features/accounts/password-reset.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { now } from '~/lib/server/clock';
import { newId, randomToken, sha256Hex } from '~/lib/server/ids';
import * as writeLock from '~/lib/server/write-lock';
import { freshDemoDb, userByEmail } from '../../helpers/accounts';

async function linkFor(email: string): Promise<string> {
  const user = await userByEmail(email);
  // Tokens have the shape the reset page accepts (base32, 20 bytes); only the hash is stored.
  const token = randomToken(20);
  await getDb()
    .insert(passwordResetTable)
    .values({
      id: newId(),
      userId: user.id,
      tokenHash: sha256Hex(token),
      createdAt: now(),
      expiresAt: now() + 30 * 60 * 1000,
    });
  return token;
}

async function refusal(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AccountError);
  return e as AccountError;
}

describe('resetting a password from a link', () => {
  beforeEach(async () => {
    await freshDemoDb();
  });

  it("refuses the person's own name and their organisation's name as the new password, and keeps the link", async () => {
    const user = await userByEmail('rep1@demo.test');
    const [org] = await getDb().select().from(organizationTable).where(eq(organizationTable.id, user.organizationId));
    const token = await linkFor('rep1@demo.test');
    const first = user.name.split(' ')[0]!.toLowerCase();
    expect((await refusal(resetPassword(token, `${first}${first}2026`))).status).toBe(400);
    expect((await refusal(resetPassword(token, `${org!.name.toLowerCase()} 2026`))).status).toBe(400);
    // Still usable: a refused password spends nothing.
    await resetPassword(token, 'moss lantern quietly 84');
    expect(
      (
        await signIn({
          email: 'rep1@demo.test',
          password: 'moss lantern quietly 84',
          ip: '192.0.2.40',
          userAgent: null,
        })
      ).ok,
    ).toBe(true);
  });

  it('works once and ends every session the person had', async () => {
    const user = await userByEmail('rep2@demo.test');
    const token = await linkFor('rep2@demo.test');
    await resetPassword(token, 'copper kettle morning 51');
    expect(await getDb().select().from(sessionTable).where(eq(sessionTable.userId, user.id))).toEqual([]);
    expect((await refusal(resetPassword(token, 'another fine phrase 19'))).status).toBe(410);
  });
});

describe('asking for a link', () => {
  beforeEach(async () => {
    await freshDemoDb();
    // No SMTP in unit tests: the link is not mailed, and says so on the console.
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const ask = (email: string, ip: string) => requestPasswordReset(email, ip, 'https://academy.example.com');
  const openLinks = async (email: string) => {
    const user = await userByEmail(email);
    return (await getDb().select().from(passwordResetTable).where(eq(passwordResetTable.userId, user.id))).filter(
      (r) => r.usedAt === null && r.expiresAt > now(),
    );
  };

  it('does the same database work for an unknown email as for a known one: one write transaction, no more', async () => {
    const writes = vi.spyOn(writeLock, 'writeTransaction');
    expect(await ask('nobody@demo.test', '192.0.2.10')).toEqual({ ok: true });
    const unknown = writes.mock.calls.length;
    writes.mockClear();
    expect(await ask('rep3@demo.test', '192.0.2.10')).toEqual({ ok: true });
    expect(writes.mock.calls.length).toBe(unknown);
    expect(unknown).toBe(1);
    expect(await openLinks('rep3@demo.test')).toHaveLength(1);
  });

  it("someone spamming a person's email from many addresses cannot stop that person getting a link", async () => {
    // 60 requests at once from 20 addresses: each address reaches its limit for that email.
    const spam = await Promise.all(Array.from({ length: 60 }, (_, i) => ask('rep4@demo.test', `203.0.113.${i % 20}`)));
    expect(spam.filter((o) => o.ok)).toHaveLength(20 * RESET_PAIR_LIMIT);
    // The inbox is not buried: a few links a window, whoever asks.
    expect(await openLinks('rep4@demo.test')).toHaveLength(RESET_MAIL_LIMIT);
    // The owner, from home, is answered like anyone (no 429), and holds valid links in the inbox.
    expect(await ask('rep4@demo.test', '192.0.2.44')).toEqual({ ok: true });
    const links = await openLinks('rep4@demo.test');
    expect(links.length).toBeGreaterThan(0);
    // The same spam from the owner's own address is what blocks that address for that email, no more.
    for (let i = 1; i < RESET_PAIR_LIMIT; i++) await ask('rep4@demo.test', '192.0.2.44');
    expect((await ask('rep4@demo.test', '192.0.2.44')).ok).toBe(false);
    expect((await ask('rep5@demo.test', '192.0.2.44')).ok).toBe(true);
  });
});

describe("a reset is the owner's way past guessing from many addresses", () => {
  beforeEach(async () => {
    await freshDemoDb();
  });

  const guessFromEverywhere = (email: string, from: number, count = 30) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        signIn({ email, password: `wrong ${from + i}`, ip: `2001:db8:${from + i}::1`, userAgent: 'attacker' }),
      ),
    );

  it('the browser that reset the password signs in at once while the guessing goes on; a new browser is pointed to the reset', async () => {
    await guessFromEverywhere('rep5@demo.test', 0);
    // A new browser, right password: slowed down by the account's key, and told so.
    const stranger = await signIn({
      email: 'rep5@demo.test',
      password: 'frontline-demo-2026',
      ip: '192.0.2.70',
      userAgent: 'owner',
    });
    expect(stranger).toMatchObject({ ok: false, reason: 'throttled', account: true });
    const { deviceCookie } = await resetPassword(await linkFor('rep5@demo.test'), 'harbour lamp thistle 62');
    // The attack goes on, in parallel with the owner's sign-in from the browser that reset it.
    const [owner] = await Promise.all([
      signIn({
        email: 'rep5@demo.test',
        password: 'harbour lamp thistle 62',
        ip: '192.0.2.70',
        userAgent: 'owner',
        deviceCookie,
      }),
      guessFromEverywhere('rep5@demo.test', 100),
    ]);
    expect(owner.ok).toBe(true);
  });

  it('a new password revokes the device cookies issued before it', async () => {
    const office = '198.51.100.90';
    const before = await signIn({
      email: 'rep6@demo.test',
      password: 'frontline-demo-2026',
      ip: office,
      userAgent: 'laptop',
    });
    if (!before.ok) throw new Error('sign-in failed');
    const { deviceCookie } = await resetPassword(await linkFor('rep6@demo.test'), 'walnut ferry signal 37');
    // The office address is blocked by a stranger's guesses: only a known device of the account gets through.
    for (let i = 0; i < 20; i++)
      await signIn({ email: `guess${i}@demo.test`, password: 'wrong', ip: office, userAgent: 'stranger' });
    const withCookie = (cookie: string) =>
      signIn({
        email: 'rep6@demo.test',
        password: 'walnut ferry signal 37',
        ip: office,
        userAgent: 'laptop',
        deviceCookie: cookie,
      });
    expect(await withCookie(before.deviceCookie)).toMatchObject({ ok: false, reason: 'throttled', account: false });
    expect((await withCookie(deviceCookie)).ok).toBe(true);
  });
});
