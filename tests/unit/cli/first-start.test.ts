/**
 * A production site's first start and first admin, as a sysadmin meets them: no demo accounts with the published
 * password, and `npm run admin:create`'s link is the only way into the new admin account.
 */
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../db/client';
import { DEMO_PASSWORD } from '~/cli/seed/demo';
import { organizationTable, userTable } from '../../../db/schema';
import { prepareDatabase } from '~/cli/serve';
import { createAdmin } from '~/features/accounts/first-admin.server';
import { resetPassword } from '~/features/accounts/password-reset.server';
import { signIn } from '~/features/accounts/sign-in.server';
import { freshDb } from '../../helpers/db';

const production = { NODE_ENV: 'production', SITE_URL: 'https://academy.example.com' };
const saved = { ...process.env };
const signInAs = (email: string, password: string) => signIn({ email, password, ip: '192.0.2.1', userAgent: 'vitest' });

describe('the first start of a production site', () => {
  beforeEach(async () => {
    await freshDb();
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    process.env = { ...saved, DATABASE_URL: process.env.DATABASE_URL };
    vi.restoreAllMocks();
  });

  it('seeds no demo accounts, and says how to make the first admin', async () => {
    Object.assign(process.env, production);
    await prepareDatabase();
    expect((await getDb().select({ n: count() }).from(userTable))[0]!.n).toBe(0);
    expect((await signInAs('admin@demo.test', DEMO_PASSWORD)).ok).toBe(false);
    expect(vi.mocked(console.log).mock.calls.flat().join('\n')).toContain('npm run admin:create');
  });

  it('seeds the demo when FRONTLINE_DEMO=1 asks for it', async () => {
    Object.assign(process.env, production, { FRONTLINE_DEMO: '1' });
    await prepareDatabase();
    expect((await signInAs('admin@demo.test', DEMO_PASSWORD)).ok).toBe(true);
  });
});

describe('admin:create', () => {
  beforeEach(freshDb);

  it('makes the organization and an admin nobody can sign in as until the one-time link sets a password', async () => {
    const made = await createAdmin({ email: 'boss@example.com', name: 'Bo Boss', organization: 'Acme Support' });
    expect(made).toMatchObject({ created: true, organization: 'Acme Support' });
    expect(made.setPasswordPath).toMatch(/^\/reset-password\/[a-z2-7]{32}$/);
    expect((await getDb().select({ n: count() }).from(organizationTable))[0]!.n).toBe(1);
    const token = made.setPasswordPath.split('/').at(-1)!;
    await resetPassword(token, 'quiet harbor lamp 42');
    const signedIn = await signInAs('boss@example.com', 'quiet harbor lamp 42');
    expect(signedIn).toMatchObject({ ok: true, role: 'admin' });
    // The link is spent.
    await expect(resetPassword(token, 'another harbor lamp 43')).rejects.toThrow(/used already/);
  });

  it('needs an organization name on an empty database; joins the only one after; refuses a non-admin email', async () => {
    await expect(createAdmin({ email: 'a@example.com', name: 'A' })).rejects.toThrow(/--organization/);
    await createAdmin({ email: 'a@example.com', name: 'A', organization: 'Acme' });
    expect(await createAdmin({ email: 'b@example.com', name: 'B' })).toMatchObject({
      created: true,
      organization: 'Acme',
    });
    // The same admin again: a fresh link, no second account.
    expect(await createAdmin({ email: 'a@example.com', name: 'A' })).toMatchObject({ created: false });
    expect((await getDb().select({ n: count() }).from(userTable))[0]!.n).toBe(2);
    await getDb().update(userTable).set({ role: 'learner' }).where(eq(userTable.email, 'b@example.com'));
    await expect(createAdmin({ email: 'b@example.com', name: 'B' })).rejects.toThrow(/not an active admin/);
  });
});
