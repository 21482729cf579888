/**
 * Hostile-input basics against the built server: security headers on every kind of response (pages, redirects,
 * error pages, static files, early refusals, a malformed address), a CSP that still lets the islands hydrate in a real browser,
 * cross-origin form posts refused (src/lib/server/origin-check.ts, Astro's checkOrigin with one exemption), and oversized or length-less bodies refused before they
 * are read.
 */
import { expect, test, type APIResponse } from '@playwright/test';

const PASSWORD = 'frontline-demo-2026';
const FOREIGN = 'https://evil.example';

function expectSecurityHeaders(res: APIResponse, what: string) {
  const h = res.headers();
  const csp = h['content-security-policy'] ?? '';
  expect(csp, `${what}: CSP`).toContain("default-src 'self'");
  expect(csp, `${what}: CSP scripts`).toMatch(/script-src 'self'/);
  expect(csp, `${what}: CSP framing`).toContain("frame-ancestors 'none'");
  expect(csp, `${what}: CSP objects`).toContain("object-src 'none'");
  expect(h['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toMatch(
    /^(same-origin|strict-origin|strict-origin-when-cross-origin|no-referrer)$/,
  );
}

test('security headers on pages, redirects, error pages, static files and refusals', async ({ request, baseURL }) => {
  const login = await request.get('/login');
  expect(login.status()).toBe(200);
  expectSecurityHeaders(login, 'page');

  const redirect = await request.get('/', { maxRedirects: 0 });
  expect(redirect.status()).toBe(303);
  expectSecurityHeaders(redirect, 'sign-in redirect');

  const missing = await request.get('/no-such-page');
  expect(missing.status()).toBe(404);
  expectSecurityHeaders(missing, '404 page');

  const unsigned = await request.post('/_actions/quiz.start', {
    multipart: { quiz: 'x' },
    headers: { origin: baseURL!, accept: 'application/json' },
  });
  expect(unsigned.status()).toBe(401);
  expectSecurityHeaders(unsigned, '401 from an action');

  const css = /href="(\/_astro\/[^"]+\.css)"/.exec(await login.text())?.[1];
  expect(css).toBeTruthy();
  const asset = await request.get(css!);
  expect(asset.status()).toBe(200);
  expectSecurityHeaders(asset, 'static file');
  expect(asset.headers()['cache-control'], 'hashed bundle').toBe('public, max-age=31536000, immutable');

  const badAddress = await request.get('/%E0%A4%A');
  expect(badAddress.status()).toBe(400);
  expect(await badAddress.text()).toMatch(/address is not valid/);
  expectSecurityHeaders(badAddress, 'malformed address');

  const foreign = await request.post('/login', {
    form: { email: 'rep1@demo.test', password: PASSWORD },
    headers: { origin: FOREIGN },
  });
  expect(foreign.status()).toBe(403);
  expectSecurityHeaders(foreign, 'cross-origin refusal');
});

test('a learner gets 403 with headers on a page for another role', async ({ request, baseURL }) => {
  const signIn = await request.post('/login', {
    form: { email: 'rep6@demo.test', password: PASSWORD },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBe(303);
  const forbidden = await request.get('/admin/users');
  expect(forbidden.status()).toBe(403);
  expectSecurityHeaders(forbidden, '403 page');
});

test('cross-origin form posts are refused with 403 and change nothing', async ({ request, baseURL }) => {
  // Sign-in form: a foreign Origin gets 403 even with the right password, and no session cookie.
  const login = await request.post('/login', {
    form: { email: 'rep6@demo.test', password: PASSWORD },
    headers: { origin: FOREIGN },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(403);
  expect(login.headers()['set-cookie']).toBeUndefined();

  // Actions, as a signed-in learner: urlencoded, multipart and text/plain (what a hostile page's form can send).
  const ok = await request.post('/login', {
    form: { email: 'rep6@demo.test', password: PASSWORD },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(ok.status()).toBe(303);
  const quizPage = '/quizzes/never-leave-hanging-quiz';
  const before = await request.get(quizPage);
  expect(before.status()).toBe(200);
  expect(await before.text(), 'no attempt open before').not.toContain('<astro-island');
  for (const body of [
    { form: { quiz: 'never-leave-hanging-quiz' } },
    { multipart: { quiz: 'never-leave-hanging-quiz' } },
    { data: 'quiz=never-leave-hanging-quiz', headers: { 'content-type': 'text/plain' } },
  ]) {
    const res = await request.post('/_actions/quiz.start', {
      ...body,
      headers: { ...('headers' in body ? body.headers : {}), origin: FOREIGN, accept: 'application/json' },
    });
    expect(res.status(), JSON.stringify(body)).toBe(403);
  }
  // Still no attempt in progress: nothing was started.
  expect(await (await request.get(quizPage)).text()).not.toContain('<astro-island');
});

test('oversized bodies are refused early (413), bodies without a length too (411)', async ({ baseURL }) => {
  const big = 'a'.repeat(300 * 1024);
  const res = await fetch(`${baseURL}/login`, {
    method: 'POST',
    body: big,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL! },
  });
  expect(res.status).toBe(413);
  expect(res.headers.get('connection')).toBe('close');
  expect(await res.text()).toMatch(/too large/i);

  // Streamed with no Content-Length (chunked): refused before reading, not buffered without bound.
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('email=a%40b.c'));
      controller.close();
    },
  });
  const chunked = await fetch(`${baseURL}/login`, {
    method: 'POST',
    body: stream,
    duplex: 'half',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL! },
  } as RequestInit);
  expect(chunked.status).toBe(411);
});

test('an action body over the action limit is refused with 413 for a signed-in learner', async ({
  request,
  baseURL,
}) => {
  const ok = await request.post('/login', {
    form: { email: 'rep6@demo.test', password: PASSWORD },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(ok.status()).toBe(303);
  const res = await request.post('/_actions/quiz.start', {
    form: { quiz: 'q'.repeat(100 * 1024) },
    headers: { origin: baseURL!, accept: 'application/json' },
  });
  expect(res.status()).toBe(413);
});

test('the CSP lets the islands hydrate: a lesson island becomes interactive with no policy violation', async ({
  page,
}) => {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill('rep6@demo.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/learn');
  await page.goto('/modules/active-listening');
  const island = page.locator('astro-island').first();
  await expect(island).toHaveCount(1);
  await island.scrollIntoViewIfNeeded();
  // Astro drops `ssr` once the component has hydrated in the browser.
  await expect(island).not.toHaveAttribute('ssr', /.*/, { timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(consoleErrors.filter((t) => /Content Security Policy/i.test(t))).toEqual([]);
});
