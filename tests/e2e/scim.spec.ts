/**
 * SCIM over HTTP against the built server, as an identity provider calls it: an admin makes a token on
 * /admin/scim-tokens in Chromium (a plain form, no JavaScript needed), the provider uses it with no cookie and no
 * Origin (so neither the session nor the CSRF check may stand in its way, and a session must not stand in for it),
 * and revoking it on the page refuses it at once. The admin pages for providers and tokens are axe clean.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { demo, DEMO_PASSWORD, one, signedIn } from '../helpers/e2e-world';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCIM_JSON = { 'content-type': 'application/scim+json' };

async function expectAxeClean(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(
    violations.map((v) => `${what}: ${v.id} ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

async function signInAdmin(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(demo.admin);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
}

/** The forms are used with JavaScript off; axe (which runs as a script) looks at the same pages in a second tab. */
async function noScriptAdmin(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAdmin(page);
  return { page, close: () => context.close() };
}

/** axe on the HTML the script-less tab got, written into a page of the same origin (so its stylesheets load). */
async function axeOf(page: Page, html: string, what: string) {
  if (!page.url().startsWith('http')) await page.goto('/404');
  await page.setContent(html);
  await expectAxeClean(page, what);
}

test('an admin makes a SCIM token without JavaScript; the provider provisions with it; revoking refuses it', async ({
  page: axePage,
  browser,
  playwright,
  baseURL,
}) => {
  const { page, close } = await noScriptAdmin(browser);
  await page.goto('/admin/scim-tokens');
  await axeOf(axePage, await page.content(), '/admin/scim-tokens');
  await page.getByLabel('Name').fill('Entra ID provisioning');
  await page.getByRole('button', { name: 'Make token' }).click();
  await expect(page.getByRole('heading', { name: '“Entra ID provisioning” is ready' })).toBeVisible();
  const token = (await page.locator('code', { hasText: /^scim_/ }).textContent())!;
  await axeOf(axePage, await page.content(), '/admin/scim-tokens after making a token');
  expect(Number((await one('SELECT count(*) AS n FROM scim_token WHERE token_hash = ?', [token])).n)).toBe(0);

  // The provider: no cookies, no Origin header.
  const idp = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const created = await idp.post('/scim/v2/Users', {
    headers: SCIM_JSON,
    data: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'http.hire@contoso.test',
      displayName: 'Hana Hire',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  expect(created.headers()['content-type']).toMatch(/application\/scim\+json/);
  const { id } = (await created.json()) as { id: string };
  // DELETE carries no body and no content type: the origin check would refuse it from a browser.
  expect((await idp.delete(`/scim/v2/Users/${id}`)).status()).toBe(204);
  expect(Number((await one('SELECT active FROM user WHERE id = ?', [id])).active)).toBe(0);

  // A session is no SCIM credential.
  const admin = await signedIn(playwright, baseURL!, demo.admin);
  const withSession = await admin.get('/scim/v2/Users');
  expect(withSession.status()).toBe(401);
  expect(await withSession.json()).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: '401',
  });

  await page.getByRole('button', { name: 'Revoke “Entra ID provisioning”' }).click();
  await expect(page.getByRole('status')).toContainText('revoked');
  expect((await idp.get('/scim/v2/Users')).status()).toBe(401);
  expect(
    Number(
      (
        await one(
          "SELECT count(*) AS n FROM audit_log WHERE action IN ('scim-token.created', 'scim-token.revoked', 'scim.user.created', 'scim.user.deleted')",
        )
      ).n,
    ),
  ).toBeGreaterThanOrEqual(4);
  await idp.dispose();
  await admin.dispose();
  await close();
});

test('the single sign-on page works without JavaScript and is axe clean, refusals included', async ({
  page: axePage,
  browser,
}) => {
  const { page, close } = await noScriptAdmin(browser);
  await page.goto('/admin/sso');
  await axeOf(axePage, await page.content(), '/admin/sso');
  await page.getByLabel('Name').fill('Fabrikam');
  await page.getByLabel('Issuer URL').fill('http://idp.fabrikam.test');
  await page.getByLabel('Client ID').fill('academy');
  await page.getByLabel('Email domains').fill('fabrikam.test');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByText('The issuer must be an https:// URL')).toBeVisible();
  await expect(page.getByText('Enter the client secret.')).toHaveCount(0);
  await axeOf(axePage, await page.content(), '/admin/sso with errors');
  await page.getByLabel('Issuer URL').fill('https://idp.fabrikam.test');
  await page.getByLabel('Client secret').fill('fabrikam-secret');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await expect(page.getByRole('status')).toContainText('The provider is saved');
  const row = page.getByRole('row', { name: /Fabrikam/ });
  await expect(row).toContainText('fabrikam.test');
  // The secret is sealed at rest: not in the database as typed.
  const stored = await one<{ client_secret_sealed: string }>(
    "SELECT client_secret_sealed FROM sso_provider WHERE name = 'Fabrikam'",
  );
  expect(stored.client_secret_sealed).toMatch(/^v1\./);
  expect(stored.client_secret_sealed).not.toContain('fabrikam-secret');
  await page.getByRole('button', { name: 'Delete “Fabrikam”' }).click();
  await expect(page.getByRole('status')).toContainText('deleted');
  await close();
});
