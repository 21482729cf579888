/**
 * What other systems and people see at the edges, against the built server: content negotiation by quality values
 * and noindex on the public certificate check; error pages that name the path asked for and carry their status's
 * reason phrase; reminder-email choices on /account and the one-click unsubscribe (RFC 8058, cross-site, signed
 * out) without JavaScript; LRS credentials made on /admin/lrs-credentials and used by an LRS-style client with
 * HTTP Basic against /api/xapi/statements (scope, since, limit=0, every answer JSON with the xAPI version header).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { signUnsubscribeToken } from '../../src/features/notifications/notifications';
import {
  demo,
  DEMO_PASSWORD,
  e2eDb,
  newClient,
  one,
  signedIn,
  TEAM_A,
  TEAM_B,
  teamId,
  userId,
} from '../helpers/e2e-world';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FOREIGN = 'https://evil.example';

/** axe runs as a script in the page, so it looks at the same URL in a JavaScript-enabled twin of the context. */
async function expectNoViolations(page: Page, what: string) {
  const browser = page.context().browser()!;
  const twin = await browser.newContext({ storageState: await page.context().storageState() });
  const checked = await twin.newPage();
  await checked.goto(page.url());
  const { violations } = await new AxeBuilder({ page: checked }).withTags(TAGS).analyze();
  await twin.close();
  expect(violations.map((v) => `${what}: ${v.id} ${v.help}`)).toEqual([]);
}

/** A browser without JavaScript, signed in as `email` (or signed out). */
async function noJs(browser: Browser, baseURL: string, email?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  if (email) {
    const res = await context.request.post('/login', {
      form: { email, password: DEMO_PASSWORD },
      headers: { origin: baseURL },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(303);
  }
  return context;
}

test('the certificate check negotiates by quality values, 404s in the format asked for, and stays out of search engines', async ({
  playwright,
  baseURL,
}) => {
  const anon = await newClient(playwright, baseURL!);
  const { code } = await one<{ code: string }>(
    'SELECT code FROM certificate WHERE revoked_at IS NULL ORDER BY issued_at LIMIT 1',
  );
  const get = (path: string, accept?: string) => anon.get(path, accept === undefined ? {} : { headers: { accept } });

  const browser = await get(`/verify/${code}`, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
  expect(browser.headers()['content-type']).toMatch(/text\/html/);
  expect(browser.headers()['x-robots-tag']).toBe('noindex');
  expect(await browser.text()).toContain('<meta name="robots" content="noindex">');
  for (const accept of ['*/*', 'text/html;q=0.1, application/json', 'application/ld+json']) {
    const res = await get(`/verify/${code}`, accept);
    expect(res.headers()['content-type'], accept).toMatch(/application\/json/);
    expect(res.headers()['x-robots-tag']).toBe('noindex');
  }
  const missing = await get('/verify/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'application/json');
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: 'There is no certificate with this code.' });
  const missingPage = await get('/verify/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'text/html');
  expect(missingPage.status()).toBe(404);
  expect(missingPage.headers()['content-type']).toMatch(/text\/html/);
  const noTrack = await get('/achievements/no-such-track', '*/*');
  expect(noTrack.status()).toBe(404);
  expect(await noTrack.json()).toEqual({ error: 'There is no such achievement.' });
});

test('error pages name the path asked for and say their status in words', async ({ playwright, baseURL }) => {
  const anon = await newClient(playwright, baseURL!);
  const notFound = await anon.get('/no/such/page', { headers: { accept: 'text/html' } });
  expect(notFound.status()).toBe(404);
  expect(notFound.statusText()).toBe('Not Found');
  const text = await notFound.text();
  expect(text).toContain('<code>/no/such/page</code>');
  expect(text).not.toContain('<code>/404</code>');
  const rep = await signedIn(playwright, baseURL!, 'rep1@demo.test');
  const forbidden = await rep.get('/admin/users');
  expect(forbidden.status()).toBe(403);
  expect(forbidden.statusText()).toBe('Forbidden');
  expect(await forbidden.text()).toContain('<code>/admin/users</code>');
});

test('reminder-email choices on /account and the one-click unsubscribe, without JavaScript', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await noJs(browser, baseURL!, 'rep3@demo.test');
  const page = await context.newPage();
  await page.goto('/account');
  const section = page.getByRole('region', { name: 'Reminder emails' });
  await expect(section.getByRole('checkbox', { name: 'A training is overdue' })).toBeChecked();
  await expect(section.getByRole('radio', { name: 'One email for each reminder' })).toBeChecked();
  await expectNoViolations(page, '/account');
  await section.getByRole('checkbox', { name: 'A training is overdue' }).uncheck();
  await section.getByRole('radio', { name: 'One summary a week' }).check();
  await section.getByRole('button', { name: 'Save email choices' }).click();
  await expect(page.getByRole('status')).toHaveText('Your email choices are saved.');
  await page.reload();
  await expect(section.getByRole('checkbox', { name: 'A training is overdue' })).not.toBeChecked();
  await expect(section.getByRole('checkbox', { name: 'A training is due within a week' })).toBeChecked();
  await expect(section.getByRole('radio', { name: 'One summary a week' })).toBeChecked();

  // The link from an email, signed out: a page first (GET changes nothing), then the mail provider's one-click
  // POST from its own servers — cross-site, without an Origin.
  const db = e2eDb();
  await db.execute({
    sql: "INSERT OR IGNORE INTO site_secret (name, value, created_at) VALUES ('unsubscribe', ?, ?)",
    args: [Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'), Date.now()],
  });
  const { value } = await one<{ value: string }>("SELECT value FROM site_secret WHERE name = 'unsubscribe'");
  const token = signUnsubscribeToken(new Uint8Array(Buffer.from(value, 'base64url')), await userId('rep3@demo.test'));
  const signedOut = await noJs(browser, baseURL!);
  const landing = await signedOut.newPage();
  await landing.goto(`/unsubscribe/${token}`);
  await expect(landing.getByRole('heading', { level: 1 })).toHaveText('Stop reminder emails');
  await expectNoViolations(landing, '/unsubscribe');
  await page.reload();
  await expect(section.getByRole('checkbox', { name: 'A training is due within a week' })).toBeChecked();

  const provider = await playwright.request.newContext({ baseURL: baseURL! });
  const oneClick = await provider.post(`/unsubscribe/${token}`, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(oneClick.status()).toBe(200);
  expect(await oneClick.text()).toContain('No more reminder emails');
  await page.reload();
  for (const name of [
    'A training is due within a week',
    'A training is overdue',
    'A certificate expires within 30 days',
    'A certificate has expired',
  ]) {
    await expect(section.getByRole('checkbox', { name })).not.toBeChecked();
  }
  // Only that route takes cross-site posts: the account form does not.
  const foreign = await provider.post('/account', {
    form: { intent: 'notifications', frequency: 'each' },
    headers: { origin: FOREIGN },
  });
  expect(foreign.status()).toBe(403);
  expect((await provider.post(`/unsubscribe/${token}x`, { form: { 'List-Unsubscribe': 'One-Click' } })).status()).toBe(
    404,
  );
  await Promise.all([context.close(), signedOut.close(), provider.dispose()]);
});

test('an admin makes a team-scoped LRS credential; an LRS-style client reads with it over HTTP Basic until it is revoked', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const context = await noJs(browser, baseURL!, demo.admin);
  const page = await context.newPage();
  await page.goto('/admin/lrs-credentials');
  await expectNoViolations(page, '/admin/lrs-credentials');
  // A name no other spec uses: the fuzzing, which runs first on the same database, makes 'Company LRS' credentials.
  await page.getByRole('textbox', { name: 'Name' }).fill('Quality office LRS');
  await page.getByRole('radio', { name: 'Only these teams’ members:' }).check();
  await page.getByRole('checkbox', { name: TEAM_A }).check();
  await page.getByRole('button', { name: 'Make credential' }).click();
  const created = page.getByRole('status');
  await expect(created).toContainText('“Quality office LRS” is ready');
  const key = (await created.locator('dd code').nth(0).textContent())!;
  const secret = (await created.locator('dd code').nth(1).textContent())!;
  expect(key).toMatch(/^lrs_/);
  expect(secret.length).toBeGreaterThanOrEqual(40);
  await expectNoViolations(page, '/admin/lrs-credentials with a credential listed');
  // Shown once: not on the next visit, nor stored.
  await page.goto('/admin/lrs-credentials');
  await expect(page.getByRole('row', { name: /Quality office LRS/ })).toContainText(TEAM_A);
  expect(await page.content()).not.toContain(secret);
  const { secret_hash } = await one<{ secret_hash: string }>('SELECT secret_hash FROM lrs_credential WHERE key = ?', [
    key,
  ]);
  expect(secret_hash).not.toContain(secret);

  const lrs = await playwright.request.newContext({ baseURL: baseURL! });
  const basic = (user: string, pass: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    'x-experience-api-version': '1.0.3',
  });
  const read = (query: string, user = key, pass = secret) =>
    lrs.get(`/api/xapi/statements${query}`, { headers: basic(user, pass) });
  const expectXapiJson = (res: Awaited<ReturnType<typeof read>>) => {
    expect(res.headers()['x-experience-api-version']).toBe('1.0.3');
    expect(res.headers()['content-type']).toMatch(/application\/json/);
  };

  const all = await read('?limit=0');
  expect(all.status()).toBe(200);
  expectXapiJson(all);
  const body = (await all.json()) as { statements: { actor: { mbox: string }; stored: string }[]; more: string };
  expect(body.statements.length).toBeGreaterThan(0);
  expect(body.statements.length).toBeLessThanOrEqual(500);
  const members = await e2eDb().execute({
    sql: "SELECT u.email FROM membership m JOIN user u ON u.id = m.user_id WHERE m.team_id = ? AND m.kind = 'member'",
    args: [await teamId(TEAM_A)],
  });
  const teamAEmails = new Set(members.rows.map((r) => `mailto:${String(r.email)}`));
  expect(teamAEmails.has('mailto:rep1@demo.test')).toBe(true);
  expect(body.statements.every((s) => teamAEmails.has(s.actor.mbox))).toBe(true);
  // limit=0 is the server's maximum, not an error, and not the default page of 100.
  const paged: unknown[] = [];
  for (let next: string | undefined = '/api/xapi/statements?limit=50'; next;) {
    const page50 = (await (await lrs.get(next, { headers: basic(key, secret) })).json()) as {
      statements: unknown[];
      more: string;
    };
    paged.push(...page50.statements);
    next = page50.more || undefined;
  }
  expect(body.statements).toHaveLength(Math.min(500, paged.length));
  // since: stored strictly after the instant given.
  const boundary = body.statements[Math.floor(body.statements.length / 2)]!.stored;
  const after = (await (await read(`?limit=0&since=${encodeURIComponent(boundary)}`)).json()) as {
    statements: { stored: string }[];
  };
  expect(after.statements.every((s) => Date.parse(s.stored) > Date.parse(boundary))).toBe(true);

  const otherTeam = await read(`?team=${await teamId(TEAM_B)}`);
  expect(otherTeam.status()).toBe(403);
  expectXapiJson(otherTeam);
  const wrong = await read('', key, 'not-the-secret');
  expect(wrong.status()).toBe(401);
  expectXapiJson(wrong);
  expect(wrong.headers()['www-authenticate']).toMatch(/^Basic realm=/);
  const bad = await read('?limit=ten');
  expect(bad.status()).toBe(400);
  expectXapiJson(bad);

  const nobody = await lrs.get('/api/xapi/statements');
  expect(nobody.status()).toBe(401);
  expectXapiJson(nobody);
  expect(nobody.headers()['www-authenticate']).toMatch(/^Basic realm=/);
  const learner = await signedIn(playwright, baseURL!, 'rep1@demo.test');
  const refused = await learner.get('/api/xapi/statements');
  expect(refused.status()).toBe(403);
  expectXapiJson(refused);

  await page.getByRole('button', { name: 'Revoke “Quality office LRS”' }).click();
  await expect(page.getByRole('status')).toContainText('The credential is revoked');
  expect((await read('')).status()).toBe(401);
  await Promise.all([context.close(), lrs.dispose()]);
});
