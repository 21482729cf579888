/**
 * Resetting a password through a reset link: the new password meets the same rules as every other one (the person's
 * own name and organisation are context words), the link works once, and every session ends.
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../../db/client';
import { organizationTable, passwordResetTable, sessionTable } from '../../../../db/schema';
import { AccountError } from '~/features/accounts/accounts';
import { resetPassword } from '~/features/accounts/password-reset.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { now } from '~/lib/server/clock';
import { newId, randomToken, sha256Hex } from '~/lib/server/ids';
import { freshDemoDb, userByEmail } from '../../../helpers/accounts';

async function linkFor(email: string): Promise<string> {
  const user = await userByEmail(email);
  // Tokens have the shape the reset page accepts (base32, 20 bytes); only the hash is stored.
  const token = randomToken(20);
  await getDb()
    .insert(passwordResetTable)
    .values({ id: newId(), userId: user.id, tokenHash: sha256Hex(token), createdAt: now(), expiresAt: now() + 30 * 60 * 1000 });
  return token;
}

async function refusal(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(() => null, (x: unknown) => x);
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
    expect((await signIn({ email: 'rep1@demo.test', password: 'moss lantern quietly 84', ip: '192.0.2.40', userAgent: null })).ok).toBe(true);
  });

  it('works once and ends every session the person had', async () => {
    const user = await userByEmail('rep2@demo.test');
    const token = await linkFor('rep2@demo.test');
    await resetPassword(token, 'copper kettle morning 51');
    expect(await getDb().select().from(sessionTable).where(eq(sessionTable.userId, user.id))).toEqual([]);
    expect((await refusal(resetPassword(token, 'another fine phrase 19'))).status).toBe(410);
  });
});
