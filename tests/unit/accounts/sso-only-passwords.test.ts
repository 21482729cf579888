/**
 * A domain whose sign-on provider allows no passwords gets none anywhere: an invite for it is accepted without a
 * password (the person then signs in through the provider, which links the account by its email), and
 * forgot-password answers as always but issues no reset link, and an old link sets no password.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../db/client';
import {
  passwordResetTable,
  sessionTable,
  ssoDomainTable,
  ssoProviderTable,
  teamTable,
  userTable,
} from '../../../db/schema';
import { AccountError } from '~/features/accounts/accounts';
import { acceptInvite, acceptInviteThroughProvider, createInvite } from '~/features/accounts/invites.server';
import { requestPasswordReset, resetPassword } from '~/features/accounts/password-reset.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { now } from '~/lib/server/clock';
import { newId, randomToken, sha256Hex } from '~/lib/server/ids';
import { freshDemoDb, userByEmail } from '../../helpers/accounts';

async function ssoOnly(domain: string) {
  const admin = await userByEmail('admin@demo.test');
  const id = newId();
  await getDb().insert(ssoProviderTable).values({
    id,
    organizationId: admin.organizationId,
    name: 'Contoso',
    issuer: 'https://idp.example.com',
    clientId: 'c',
    clientSecretSealed: 'sealed',
    passwordsAllowed: false,
    createAccounts: false,
    createdBy: admin.id,
    createdAt: now(),
  });
  await getDb().insert(ssoDomainTable).values({ domain, providerId: id });
}

async function refusal(p: Promise<unknown>): Promise<AccountError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AccountError);
  return e as AccountError;
}

beforeEach(async () => {
  await freshDemoDb();
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe('a domain that signs in only through its provider', () => {
  it('an invite for it sets no password: accepted with one it is refused; accepted through the provider, no password signs in', async () => {
    await ssoOnly('contoso.com');
    const admin = await userByEmail('admin@demo.test');
    const [billing] = await getDb().select().from(teamTable).where(eq(teamTable.name, 'Billing Support'));
    const { token } = await createInvite(admin, {
      email: 'amira@contoso.com',
      role: 'learner',
      teamId: billing!.id,
      hireDate: '2026-01-05',
    });
    const refused = await refusal(acceptInvite(token, { name: 'Amira Haddad', password: 'moss lantern quietly 84' }));
    expect(refused.message).toMatch(/company account/);
    expect(await getDb().select().from(userTable).where(eq(userTable.email, 'amira@contoso.com'))).toEqual([]);

    const user = await acceptInviteThroughProvider(token, { name: 'Amira Haddad' });
    expect(user).toMatchObject({ email: 'amira@contoso.com', role: 'learner' });
    expect(await getDb().select().from(sessionTable).where(eq(sessionTable.userId, user.id))).toEqual([]);
    expect(
      (
        await signIn({
          email: 'amira@contoso.com',
          password: 'moss lantern quietly 84',
          ip: '192.0.2.50',
          userAgent: null,
        })
      ).ok,
    ).toBe(false);
  });

  it('forgot-password answers as always but issues no link, and a link from before the provider sets no password', async () => {
    const user = await userByEmail('rep3@demo.test');
    const old = randomToken(20);
    await getDb()
      .insert(passwordResetTable)
      .values({
        id: newId(),
        userId: user.id,
        tokenHash: sha256Hex(old),
        createdAt: now(),
        expiresAt: now() + 30 * 60 * 1000,
      });
    await ssoOnly('demo.test');
    expect(await requestPasswordReset('rep3@demo.test', '192.0.2.51', 'https://academy.example.com')).toEqual({
      ok: true,
    });
    expect(await requestPasswordReset('nobody@demo.test', '192.0.2.51', 'https://academy.example.com')).toEqual({
      ok: true,
    });
    expect(await getDb().select().from(passwordResetTable).where(eq(passwordResetTable.userId, user.id))).toHaveLength(
      1,
    );
    await refusal(resetPassword(old, 'copper kettle morning 51'));
    expect(
      (
        await signIn({
          email: 'rep3@demo.test',
          password: 'copper kettle morning 51',
          ip: '192.0.2.52',
          userAgent: null,
        })
      ).ok,
    ).toBe(false);
  });
});
