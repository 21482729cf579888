/**
 * The per-person write limit against built servers of its own (the shared e2e server lifts it, see
 * playwright.config.ts): one at the default limit for a script's burst of parallel writes, one with a limit of two
 * writes a minute (a burst of one, then one every 30 seconds) so the messages a person sees can be checked without
 * a race against the refill: in the island, in the no-JS form, and on a page form.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { callAction, decodeActionReply, DEMO_PASSWORD, signedIn } from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';
import { builtDist, startServer, type RunningServer } from '../helpers/server';

test.describe.configure({ mode: 'serial' });

const ROLEPLAY = 'late-delivery-promise';
const MESSAGE =
  /That was a lot of changes in a short time, so this one was not saved\. Wait (a second|\d+ seconds) and try again\./;
let dir: string;
let atDefault: RunningServer;
let strict: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'fa-rate-limit-'));
  const dist = builtDist();
  [atDefault, strict] = await Promise.all([
    startServer({ dist, dbFile: join(dir, 'default.db') }),
    startServer({ dist, dbFile: join(dir, 'strict.db'), env: { WRITE_RATE_LIMIT: '2' } }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([atDefault?.stop(), strict?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test('a burst of parallel writes by one person: the first 30 pass, the rest get 429 with Retry-After; others are unaffected', async ({
  playwright,
}) => {
  const script = await signedIn(playwright, atDefault.url, 'rep1@demo.test');
  const other = await signedIn(playwright, atDefault.url, 'rep2@demo.test');
  const began = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 45 }, () => callAction(script, 'roleplay.start', [['roleplay', ROLEPLAY]])),
  );
  const seconds = (performance.now() - began) / 1000;
  const ok = answers.filter((r) => r.status() === 200);
  const refused = answers.filter((r) => r.status() === 429);
  expect(ok.length + refused.length).toBe(45);
  // A burst of 30, plus what the bucket refilled (one a second) while the requests were being answered.
  expect(ok.length).toBeGreaterThanOrEqual(30);
  expect(ok.length).toBeLessThanOrEqual(30 + Math.ceil(seconds));
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) {
    expect(Number(r.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
    const body = (await r.json()) as { code: string; message: string };
    expect(body.code).toBe('TOO_MANY_REQUESTS');
    expect(body.message).toMatch(MESSAGE);
  }
  // All the starts that got through resumed one run: parallel starts never make two.
  const runIds = new Set(
    await Promise.all(ok.map(async (r) => (decodeActionReply(await r.text()) as { runId: string }).runId)),
  );
  expect(runIds.size).toBe(1);
  // Someone else writes as usual.
  expect((await callAction(other, 'roleplay.start', [['roleplay', ROLEPLAY]])).status()).toBe(200);
  await Promise.all([script.dispose(), other.dispose()]);
});

async function signIn(browser: Browser, email: string, javaScriptEnabled: boolean): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: strict.url, javaScriptEnabled })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

/** Uses up the person's one write (the strict server refills one every 30 seconds). */
async function spendTheWrite(api: APIRequestContext) {
  const first = await callAction(api, 'roleplay.start', [['roleplay', ROLEPLAY]]);
  expect([200, 429]).toContain(first.status());
  expect((await callAction(api, 'roleplay.start', [['roleplay', ROLEPLAY]])).status()).toBe(429);
}

test('over the limit, the island, the no-JS form and a page form each say so, and nothing is saved', async ({
  browser,
  playwright,
}) => {
  const api = await signedIn(playwright, strict.url, 'rep3@demo.test');
  // A run to reply in (the one write this minute may go on it).
  expect((await callAction(api, 'roleplay.start', [['roleplay', ROLEPLAY]])).status()).toBe(200);
  await spendTheWrite(api);

  // The island: the reply is refused with the message; the replies stay there to try again later.
  const page = await signIn(browser, 'rep3@demo.test', true);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await waitForHydration(page);
  const replies = page.getByRole('group', { name: 'Your reply' });
  await replies.getByRole('button').first().click();
  await expect(page.getByRole('alert')).toContainText(MESSAGE);
  await expect(replies.getByRole('button')).not.toHaveCount(0);
  await expect(page.locator('input[name="step"]')).toHaveValue('0');

  // The no-JS form: the page comes back with 429, the message where the form shows its errors.
  const plain = await signIn(browser, 'rep3@demo.test', false);
  await plain.goto(`/roleplays/${ROLEPLAY}`);
  const [posted] = await Promise.all([
    plain.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('_action=roleplay.choose')),
    plain.getByRole('group', { name: 'Your reply' }).getByRole('button').first().click(),
  ]);
  expect(posted.status()).toBe(429);
  expect(Number(posted.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
  await expect(plain.getByRole('alert')).toContainText(MESSAGE);
  await expect(plain.locator('input[name="step"]')).toHaveValue('0');

  // A page form (not an action): the 429 page with the message and a way back.
  const account = await api.post('/account', { form: { intent: 'end-others' } });
  expect(account.status()).toBe(429);
  expect(Number(account.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
  const html = await account.text();
  expect(html).toContain('Too many changes at once');
  expect(html).toMatch(MESSAGE);

  // Reading is never limited.
  expect((await api.get(`/roleplays/${ROLEPLAY}`)).status()).toBe(200);
  await api.dispose();
});
