/**
 * Single sign-on against a real OpenID provider (oidc-provider, tests/helpers/oidc-idp.mjs) on 127.0.0.1, in
 * Chromium: an admin adds it on /admin/sso for contoso.test (passwords not allowed there, new accounts in Billing
 * Support), then people sign in through the provider's own pages. Each refusal — consent denied, a tampered,
 * expired or wrongly addressed ID token, a replayed callback, an email of another domain or an unverified one —
 * must leave the person signed out with the reason on the sign-in page, and make no account.
 */
import { expect, test, type Page } from '@playwright/test';
import { startIdp, type TestIdp } from '../helpers/oidc-idp';
import {
  createInviteLink,
  DEMO_PASSWORD,
  demo,
  e2eDb,
  invitePerson,
  one,
  signedIn,
  TEAM_A,
  teamId,
} from '../helpers/e2e-world';

const appPort = Number(process.env.E2E_PORT ?? 4391);
let idp: TestIdp;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright, baseURL }) => {
  idp = await startIdp({ port: appPort + 1, redirectUri: `${baseURL}/sso/callback` });
  const admin = await signedIn(playwright, baseURL!, demo.admin);
  const res = await admin.post('/admin/sso', {
    form: {
      intent: 'save',
      name: 'Contoso',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: 'contoso.test',
      createAccounts: 'on',
      defaultTeamId: await teamId(TEAM_A),
    },
  });
  expect(res.status(), await res.text()).toBe(303);
  await admin.dispose();
});

test.afterAll(async () => {
  await idp?.stop();
});

async function accountCount(email: string): Promise<number> {
  return Number((await one('SELECT count(*) AS n FROM user WHERE email = ?', [email])).n);
}

/** From the sign-in page to the provider's pages; `consent: false` cancels there. Resolves back on our site. */
async function signInThroughIdp(page: Page, email: string, opts: { login?: string; consent?: boolean } = {}) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Use your company account' }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name=login]').fill(opts.login ?? email);
  await page.locator('input[name=password]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  if (opts.consent === false) await page.getByRole('link', { name: '[ Cancel ]' }).click();
  else await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.port === String(appPort) && !url.pathname.startsWith('/sso/'));
}

async function expectSignedOut(page: Page, message: RegExp) {
  await expect(page).toHaveURL(/\/login\?sso=/);
  await expect(page.getByRole('alert')).toContainText(message);
  await page.goto('/learn');
  await expect(page).toHaveURL(/\/login\?next=%2Flearn/);
}

test('a new hire signs in with the company account: an account is made in the default team with onboarding, and sign-out ends our session', async ({
  page,
}) => {
  const email = 'ana.new@contoso.test';
  let callback = '';
  page.on('request', (r) => {
    if (r.url().includes('/sso/callback')) callback = r.url();
  });
  // Passwords are not allowed for contoso.test: the ordinary "Sign in" button goes to the provider too.
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const user = await one<{ id: string; role: string }>('SELECT id, role FROM user WHERE email = ?', [email]);
  expect(user.role).toBe('learner');
  expect(
    (await one('SELECT team_id FROM membership WHERE user_id = ? AND kind = ?', [user.id, 'member'])).team_id,
  ).toBe(await teamId(TEAM_A));
  expect(
    Number((await one("SELECT count(*) AS n FROM assignment WHERE user_id = ? AND kind = 'onboarding'", [user.id])).n),
  ).toBeGreaterThan(0);
  expect(
    Number(
      (
        await one("SELECT count(*) AS n FROM audit_log WHERE action = 'sso.account-created' AND actor_id = ?", [
          user.id,
        ])
      ).n,
    ),
  ).toBe(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed-out/);
  await page.goto('/learn');
  await expect(page).toHaveURL(/\/login\?next=/);

  // The provider's answer again (its code and state): it worked once and is refused now.
  expect(callback).toContain('code=');
  await page.goto(callback);
  await expectSignedOut(page, /expired or was already used/);
  expect(await accountCount(email)).toBe(1);
});

test('an authorization code used once is refused by the provider when replayed inside a fresh sign-in: a clear failure, no session', async ({
  page,
}) => {
  const email = 'rita.replay@contoso.test';
  let callback = '';
  page.on('request', (r) => {
    if (r.url().includes('/sso/callback')) callback = r.url();
  });
  await signInThroughIdp(page, email);
  await expect(page).toHaveURL(/\/learn$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed-out/);
  const used = new URL(callback);
  expect(used.searchParams.get('code')).toBeTruthy();

  // A fresh sign-in gives a new state that our server accepts; the old code is sent with it instead of a new one,
  // so it reaches the provider's token endpoint a second time (RFC 6749 §4.1.2: the provider must refuse it).
  // Without the provider's session cookie the provider stops at its login page, where the new state is read.
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  const authorization = page.waitForRequest(
    (r) => r.url().startsWith(idp.issuer) && new URL(r.url()).searchParams.has('state'),
  );
  await page.getByRole('button', { name: 'Use your company account' }).click();
  const fresh = new URL((await authorization).url()).searchParams.get('state')!;
  await page.waitForURL(`${idp.issuer}/**`);
  expect(fresh).toBeTruthy();
  expect(fresh).not.toBe(used.searchParams.get('state'));
  used.searchParams.set('state', fresh);
  const response = await page.goto(used.href);
  expect(response!.status()).toBeLessThan(500);
  await expectSignedOut(page, /could not be verified/);
  const refusal = await one<{ detail: string }>(
    "SELECT detail FROM audit_log WHERE action = 'sso.refused' ORDER BY created_at DESC LIMIT 1",
  );
  expect(refusal.detail).toMatch(/invalid_grant|grant request is invalid/i);
  expect(await accountCount(email)).toBe(1);
});

test('a first sign-in links the existing account with the same verified email', async ({
  page,
  playwright,
  baseURL,
}) => {
  const inviter = await signedIn(playwright, baseURL!, demo.admin);
  const person = await invitePerson(playwright, baseURL!, inviter, { name: 'Lina Link', teamId: await teamId(TEAM_A) });
  const email = 'lina.link@contoso.test';
  // The invited account moves to the company address (as when the company adopts single sign-on).
  await e2eDb().execute({ sql: 'UPDATE user SET email = ? WHERE id = ?', args: [email, person.id] });
  await signInThroughIdp(page, email);
  await expect(page).toHaveURL(/\/learn$/);
  expect(await accountCount(email)).toBe(1);
  expect((await one('SELECT user_id FROM sso_identity WHERE subject = ?', [email])).user_id).toBe(person.id);
  await inviter.dispose();
  await person.ctx.dispose();
});

test('an invite to the company domain asks for no password: the person names themself and signs in through the provider', async ({
  page,
  playwright,
  baseURL,
}) => {
  const inviter = await signedIn(playwright, baseURL!, demo.admin);
  const email = `ines.invite.${Date.now()}@contoso.test`;
  const token = await createInviteLink(inviter, { email, teamId: await teamId(TEAM_A) });
  await page.goto(`/invite/${token}`);
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await page.getByLabel('Your name').fill('Ines Invite');
  await page.getByRole('button', { name: 'Continue with Contoso' }).click();
  await page.waitForURL(`${idp.issuer}/**`);
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.port === String(appPort) && !url.pathname.startsWith('/sso/'));
  await expect(page).toHaveURL(/\/learn$/);
  const account = await one('SELECT id, name FROM user WHERE email = ?', [email]);
  expect(account.name).toBe('Ines Invite');
  expect((await one('SELECT user_id FROM sso_identity WHERE subject = ?', [email])).user_id).toBe(account.id);
  expect((await one('SELECT used_by FROM invite WHERE email = ?', [email])).used_by).toBe(account.id);
  await inviter.dispose();
});

test('cancelling at the provider leaves the person signed out', async ({ page }) => {
  await signInThroughIdp(page, 'carl.cancel@contoso.test', { consent: false });
  await expectSignedOut(page, /cancelled/);
  expect(await accountCount('carl.cancel@contoso.test')).toBe(0);
});

for (const mode of ['tampered', 'wrong-audience', 'expired'] as const) {
  test(`an ID token that is ${mode} is refused`, async ({ page }) => {
    const email = `token.${mode}@contoso.test`;
    await idp.spoilNextIdToken(mode);
    await signInThroughIdp(page, email);
    await expectSignedOut(page, /could not be verified/);
    expect(await accountCount(email)).toBe(0);
    expect(await accountCount('ceo@contoso.test')).toBe(0);
  });
}

test('ID tokens are judged by the server’s clock: a server clock two hours ahead finds a fresh token expired', async ({
  page,
}) => {
  const email = 'clara.clock@contoso.test';
  expect((await page.request.post('/api/test/clock', { data: { offsetMs: 2 * 60 * 60 * 1000 } })).status()).toBe(200);
  try {
    await signInThroughIdp(page, email);
    await expectSignedOut(page, /could not be verified/);
  } finally {
    await page.request.post('/api/test/clock', { data: { offsetMs: 0 } });
  }
  expect(await accountCount(email)).toBe(0);
});

test('an email of another domain, or an unverified one, neither signs in nor makes an account', async ({ page }) => {
  await signInThroughIdp(page, 'olga.other@contoso.test', { login: 'olga.other@elsewhere.test' });
  await expectSignedOut(page, /not one this provider signs in for/);
  expect(await accountCount('olga.other@elsewhere.test')).toBe(0);

  await page.context().clearCookies();
  await signInThroughIdp(page, 'una.unverified@contoso.test', { login: 'unverified:una.unverified@contoso.test' });
  await expectSignedOut(page, /not verified/);
  expect(await accountCount('una.unverified@contoso.test')).toBe(0);
});

test('an address without a provider is told to use its password', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('rep1@demo.test');
  await page.getByRole('button', { name: 'Use your company account' }).click();
  await expect(page.getByRole('alert')).toContainText('not set up');
});

test('a provider that cannot be reached gets a message, not an error page, and the sign-in page still loads', async ({
  page,
  playwright,
  baseURL,
}) => {
  const admin = await signedIn(playwright, baseURL!, demo.admin);
  const saved = await admin.post('/admin/sso', {
    form: {
      intent: 'save',
      name: 'Down Corp',
      issuer: `http://127.0.0.1:${appPort + 2}`,
      clientId: 'x',
      clientSecret: 'y',
      domains: 'down.test',
      defaultTeamId: '',
    },
  });
  expect(saved.status()).toBe(303);
  try {
    await page.goto('/login');
    await page.getByLabel('Email').fill('dora@down.test');
    await page.getByRole('button', { name: 'Use your company account' }).click();
    await expect(page.getByRole('alert')).toContainText('Down Corp');
    await expect(page.getByRole('alert')).toContainText('cannot be reached');
  } finally {
    const { id } = await one<{ id: string }>("SELECT id FROM sso_provider WHERE name = 'Down Corp'");
    expect((await admin.post('/admin/sso', { form: { intent: 'delete', id } })).status()).toBe(303);
    await admin.dispose();
  }
});

test('an admin edits a provider with JavaScript off: name and domains change, the secret is kept, and a domain another provider owns is refused clearly', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const login = await context.request.post('/login', {
    form: { email: demo.admin, password: DEMO_PASSWORD },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(303);
  const page = await context.newPage();
  await page.goto('/admin/sso');
  await page.getByLabel('Name').fill('Fabrikam');
  await page.getByLabel('Issuer URL').fill('https://login.fabrikam.test');
  await page.getByLabel('Client ID').fill('fabrikam-client');
  await page.getByLabel('Client secret').fill('fabrikam-secret');
  await page.getByLabel('Email domains').fill('fabrikam.test');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByRole('status')).toContainText('The provider is saved');

  const before = await one<{ id: string; client_secret_sealed: string }>(
    "SELECT id, client_secret_sealed FROM sso_provider WHERE name = 'Contoso'",
  );
  await page.getByRole('link', { name: 'Edit “Contoso”' }).click();
  await expect(page.getByRole('heading', { name: 'Edit “Contoso”' })).toBeVisible();
  await expect(page.getByLabel('Email domains')).toHaveValue('contoso.test');
  await page.getByLabel('Name').fill('Contoso (Entra ID)');
  await page.getByLabel('Email domains').fill('contoso.test, contoso-labs.test');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toContainText('The provider is updated');
  const row = page.getByRole('row', { name: /Contoso \(Entra ID\)/ });
  await expect(row).toContainText('contoso-labs.test, contoso.test');
  const after = await one<{ id: string; client_secret_sealed: string }>(
    'SELECT id, client_secret_sealed FROM sso_provider WHERE id = ?',
    [before.id],
  );
  expect(after.client_secret_sealed).toBe(before.client_secret_sealed);

  // A domain Fabrikam signs in for: refused on the field, the form stays the edit form, nothing changes.
  await page.getByRole('link', { name: 'Edit “Contoso (Entra ID)”' }).click();
  await page.getByLabel('Email domains').fill('contoso.test fabrikam.test');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Another provider signs in fabrikam.test already.')).toBeVisible();
  await expect(page.getByLabel('Email domains')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('heading', { name: 'Edit “Contoso (Entra ID)”' })).toBeVisible();
  await expect(page.getByLabel('Email domains')).toHaveValue('contoso.test fabrikam.test');
  const domains = await e2eDb().execute({
    sql: 'SELECT domain, provider_id FROM sso_domain ORDER BY domain',
    args: [],
  });
  expect(domains.rows.filter((d) => d.provider_id === before.id).map((d) => d.domain)).toEqual([
    'contoso-labs.test',
    'contoso.test',
  ]);
  expect(domains.rows.find((d) => d.domain === 'fabrikam.test')!.provider_id).not.toBe(before.id);

  await context.close();

  // People of the new domain now go to the provider.
  const visitor = await browser.newPage();
  await visitor.goto('/login');
  await visitor.getByLabel('Email').fill('lab.person@contoso-labs.test');
  await visitor.getByRole('button', { name: 'Use your company account' }).click();
  await visitor.waitForURL(`${idp.issuer}/**`);
  await visitor.close();
});
