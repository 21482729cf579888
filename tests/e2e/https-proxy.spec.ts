/**
 * The deployment the README describes, for real: the built app behind Caddy terminating TLS (`tls internal`), with
 * SITE_URL=https://…, production cookies (`__Host-session`, Secure) and NODE_ENV=production. Chromium signs in,
 * takes a quiz through the island (action posts) and signs out through a page form, all over https. Before the
 * origin check compared the browser's https Origin with SITE_URL, every POST here was refused with 403.
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
    env: { NODE_ENV: 'production', SITE_URL: `https://localhost:${port}`, INSECURE_COOKIES: '0', TRUST_PROXY: '1' },
  });
  proxy = await startCaddy({ port, upstreamPort: app.port });
});

test.afterAll(async () => {
  await proxy?.stop();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function httpsPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: proxy.url, ignoreHTTPSErrors: true });
  return { context, page: await context.newPage() };
}

test('over https behind Caddy: sign in, take a quiz in the island, sign out with the page form', async ({ browser }) => {
  const { context, page } = await httpsPage(browser);
  await page.goto('/login');
  await page.getByLabel('Email').fill('rep1@demo.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${proxy.url}/learn`);
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: '__Host-session', secure: true, httpOnly: true, path: '/' });

  const quiz = [...(await realContent()).quizzes.keys()][0]!;
  await page.goto(`/quizzes/${quiz}`);
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

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed-out/);
  await expect(page.getByRole('status')).toContainText('You are signed out');
  await context.close();
});

test('over https: HSTS and the hashed CSP on pages; a post from the http origin the app itself sees is refused', async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: proxy.url, ignoreHTTPSErrors: true });
  const login = await api.get('/login');
  expect(login.status()).toBe(200);
  expect(login.headers()['strict-transport-security']).toBe('max-age=31536000');
  expect(login.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
  expect(login.headers()['content-security-policy']).not.toContain("'unsafe-inline'; style-src 'self'");
  const http = await api.post('/login', {
    form: { email: 'rep2@demo.test', password: DEMO_PASSWORD },
    headers: { origin: `http://localhost:${proxy.port}` },
    maxRedirects: 0,
  });
  expect(http.status()).toBe(403);
  const https = await api.post('/login', { form: { email: 'rep2@demo.test', password: DEMO_PASSWORD }, headers: { origin: proxy.url }, maxRedirects: 0 });
  expect(https.status()).toBe(303);
  await api.dispose();
});
