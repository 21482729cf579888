/**
 * The deployment the README describes, for real: the built app behind Caddy terminating TLS (`tls internal`), with
 * SITE_URL=https://…, production cookies (`__Host-session`, Secure) and NODE_ENV=production. Chromium signs in,
 * takes a quiz through the island (action posts) and signs out through a page form, all over https. Before the
 * origin check compared the browser's https Origin with SITE_URL, every POST here was refused with 403.
 * FRONTLINE_DEMO=1 because a production start seeds no demo people otherwise (tests/unit/cli/first-start.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { startCaddy, proxyPort, type RunningProxy } from '../helpers/caddy';
import { DEMO_PASSWORD, realContent } from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';
import { builtDist, startServer, type RunningServer } from '../helpers/server';

test.describe.configure({ mode: 'serial' });

let dir: string;
let app: RunningServer;
let proxy: RunningProxy;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'fa-https-'));
  const port = await proxyPort();
  app = await startServer({
    dist: builtDist(),
    dbFile: join(dir, 'https.db'),
    env: {
      NODE_ENV: 'production',
      FRONTLINE_DEMO: '1',
      SITE_URL: `https://localhost:${port}`,
      INSECURE_COOKIES: '0',
      TRUST_PROXY: '1',
    },
  });
  proxy = await startCaddy({ port, upstreamPort: app.port });
});

test.afterAll(async () => {
  await proxy?.stop();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The sources of a Content-Security-Policy's script-src directive. */
function scriptSrc(policy: string | null | undefined): string[] {
  const directive = policy
    ?.split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'script-src');
  if (!directive) throw new Error(`no script-src in ${policy}`);
  return directive.slice(1);
}

async function httpsPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: proxy.url, ignoreHTTPSErrors: true });
  return { context, page: await context.newPage() };
}

test('over https behind Caddy: sign in, take a quiz in the island, sign out with the page form', async ({
  browser,
}) => {
  const { context, page } = await httpsPage(browser);
  await page.goto('/login');
  await page.getByLabel('Email').fill('rep1@demo.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${proxy.url}/learn`);
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: '__Host-session', secure: true, httpOnly: true, path: '/' });

  // The page runs its scripts under a policy that allows no inline script: the island hydrates and works, and the
  // browser refuses nothing (Chromium reports every CSP refusal on the console).
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  const quiz = [...(await realContent()).quizzes.keys()][0]!;
  const quizPage = await page.goto(`/quizzes/${quiz}`);
  expect(scriptSrc(await quizPage!.headerValue('content-security-policy'))).not.toContain("'unsafe-inline'");
  await page.getByRole('button', { name: 'Start the quiz', exact: true }).click();
  await waitForHydration(page);
  await expect(page.getByText(/^Question 1 of \d+/)).toBeVisible();
  while (await page.getByRole('button', { name: 'Next', exact: true }).isVisible()) {
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await page.getByRole('button', { name: 'Review and submit', exact: true }).click();
  await page.getByRole('button', { name: /^Submit with \d+ unanswered$/ }).click();
  await expect(page).toHaveURL(/\/attempts\//);
  await expect(page.getByText('Not passed', { exact: true }).first()).toBeVisible();

  expect(refused).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed-out/);
  await expect(page.getByRole('status')).toContainText('You are signed out');
  await context.close();
});

test('over https: HSTS and the hashed CSP on pages; a post from the http origin the app itself sees is refused', async ({
  playwright,
}) => {
  const api = await playwright.request.newContext({ baseURL: proxy.url, ignoreHTTPSErrors: true });
  const login = await api.get('/login');
  expect(login.status()).toBe(200);
  expect(login.headers()['strict-transport-security']).toBe('max-age=31536000');
  const script = scriptSrc(login.headers()['content-security-policy']);
  expect(script[0]).toBe("'self'");
  expect(script.slice(1).length).toBeGreaterThan(0);
  for (const source of script.slice(1)) expect(source).toMatch(/^'sha(256|384|512)-[A-Za-z0-9+/]+=*'$/);
  const http = await api.post('/login', {
    form: { email: 'rep2@demo.test', password: DEMO_PASSWORD },
    headers: { origin: `http://localhost:${proxy.port}` },
    maxRedirects: 0,
  });
  expect(http.status()).toBe(403);
  const https = await api.post('/login', {
    form: { email: 'rep2@demo.test', password: DEMO_PASSWORD },
    headers: { origin: proxy.url },
    maxRedirects: 0,
  });
  expect(https.status()).toBe(303);
  await api.dispose();
});
