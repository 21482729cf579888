/**
 * When a page fails unexpectedly, people see the site's own page, in its frame, with a reference support can look
 * up in the logs (the request id every log line of that request carries) and nothing of the error itself. The
 * failure is forced through GET /api/test/error, which exists only on a server run with FRONTLINE_TEST_CLOCK=1.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { demo, DEMO_PASSWORD } from '../helpers/e2e-world';

test('an unexpected error shows the branded 500 page with the request id, no stack trace, and axe finds nothing', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext();
  const signIn = await context.request.post('/login', {
    form: { email: demo.managerA, password: DEMO_PASSWORD },
    headers: { origin: baseURL! },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBe(303);
  const page = await context.newPage();
  // A request id sent by the client is never shown back as ours.
  await page.setExtraHTTPHeaders({ 'x-request-id': 'spoofed-id' });
  const res = await page.goto('/api/test/error');
  expect(res!.status()).toBe(500);
  await expect(page.getByRole('heading', { level: 1, name: 'Something went wrong' })).toBeVisible();
  // The site's frame: header with the person's navigation, and the footer.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team', exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText('Frontline Academy');
  // The reference is the id the server logged this request under (also sent as X-Request-Id).
  const id = res!.headers()['x-request-id'];
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('request-id')).toHaveText(id!);
  // Nothing of the error: neither its message nor a stack frame.
  const html = await res!.text();
  expect(html).not.toContain('Test failure on purpose');
  expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|\.mjs:\d+/);
  expect(html).not.toContain('spoofed-id');
  // Security headers as on every page.
  expect(res!.headers()['content-security-policy']).toBeTruthy();
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(violations.map((v) => v.id)).toEqual([]);
  await context.close();
});

test('signed out, the error page still shows in the site frame', async ({ page }) => {
  const res = await page.goto('/api/test/error');
  expect(res!.status()).toBe(500);
  await expect(page.getByRole('heading', { level: 1, name: 'Something went wrong' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
});
