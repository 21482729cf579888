/**
 * Accounts in a real browser against the built server (demo data, movable clock): sign-in for every role,
 * wrong passwords, throttling, next=, sign-out, 403, invites and ending sessions.
 */
import { expect, test, type Page } from '@playwright/test';

const PASSWORD = 'frontline-demo-2026';
const MINUTE = 60 * 1000;

async function signIn(page: Page, email: string, password = PASSWORD) {
  if (!page.url().includes('/login')) await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState();
  return response;
}

const homes = [
  { role: 'admin', email: 'admin@demo.test', name: 'Ada Admin', home: '/admin/users' },
  { role: 'trainer', email: 'trainer@demo.test', name: 'Theo Trainer', home: '/trainer' },
  { role: 'manager', email: 'manager1@demo.test', name: 'Mia Chen', home: '/team' },
  { role: 'learner', email: 'rep1@demo.test', name: 'Ravi Patel', home: '/learn' },
];

for (const { role, email, name, home } of homes) {
  test(`a demo ${role} signs in and lands on their home (${home})`, async ({ page }) => {
    const response = await signIn(page, email);
    expect(response.status()).toBe(303);
    expect(new URL(response.headers()['location']!, page.url()).pathname).toBe(home);
    await expect(page).toHaveURL(home);
    await expect(page.getByRole('banner')).toContainText(name);
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });
}

test('a wrong password and an unknown email get the same message; empty fields get field errors', async ({ page }) => {
  const wrong = await signIn(page, 'rep2@demo.test', 'not-the-password');
  expect(wrong.status()).toBe(400);
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');
  await expect(page.getByLabel('Email')).toHaveValue('rep2@demo.test');
  await expect(page.getByLabel('Password')).toHaveValue('');

  const unknown = await signIn(page, 'nobody@demo.test', 'not-the-password');
  expect(unknown.status()).toBe(400);
  await expect(page.getByRole('alert')).toHaveText('That email and password do not match an account.');

  const empty = await signIn(page, '', '');
  expect(empty.status()).toBe(400);
  await expect(page.getByText('Enter an email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('repeated wrong passwords are throttled (429) and the right one works after the window', async ({ page }) => {
  try {
    for (let i = 0; i < 5; i++) expect((await signIn(page, 'rep5@demo.test', `wrong-${i}`)).status()).toBe(400);
    const blocked = await signIn(page, 'rep5@demo.test');
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(0);
    await expect(page.getByRole('alert')).toContainText('Too many sign-in attempts');

    const moved = await page.request.post('/api/test/clock', { data: { offsetMs: 16 * MINUTE } });
    expect(moved.ok()).toBe(true);
    const after = await signIn(page, 'rep5@demo.test');
    expect(after.status()).toBe(303);
    await expect(page).toHaveURL('/learn');
  } finally {
    await page.request.post('/api/test/clock', { data: { offsetMs: 0 } });
  }
});

test('next= returns to the page asked for, but only same-site paths', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL('/login?next=%2Faccount');
  await signIn(page, 'rep3@demo.test');
  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');

  await page.context().clearCookies();
  await page.goto('/login?next=//evil.example/steal');
  await signIn(page, 'admin@demo.test');
  await expect(page).toHaveURL('/admin/users');
});

test('signing out ends the session', async ({ page }) => {
  await signIn(page, 'rep4@demo.test');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?signed-out/);
  await expect(page.getByRole('status')).toHaveText('You are signed out.');
  await page.goto('/account');
  await expect(page).toHaveURL('/login?next=%2Faccount');
});

test('a wrong role gets a 403 page', async ({ page }) => {
  await signIn(page, 'rep6@demo.test');
  const asLearner = await page.goto('/admin/users');
  expect(asLearner?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("You don't have access to this page");

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'trainer@demo.test');
  expect((await page.goto('/team/invites'))?.status()).toBe(403);
});

test('a tampered session cookie or an unknown invite gets a clear page, not an error', async ({
  page,
  context,
  baseURL,
}) => {
  await context.addCookies([{ name: 'session', value: 'x'.repeat(32) + '%00<script>', url: baseURL! }]);
  await page.goto('/account');
  await expect(page).toHaveURL('/login?next=%2Faccount');

  const unknown = await page.goto('/invite/' + 'a'.repeat(32));
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This invite link isn’t valid');
});

test('invite → set name and password → sign in; the link then no longer works', async ({ page }) => {
  const email = `invitee-${Date.now()}@demo.test`;
  await signIn(page, 'manager1@demo.test');
  await page.goto('/team/invites');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Team').selectOption({ label: 'Billing Support' });
  await page.getByRole('button', { name: 'Create invite link' }).click();
  await expect(page.getByRole('heading', { name: `Invite created for ${email}` })).toBeVisible();
  const link = await page.getByLabel('Invite link').inputValue();
  expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
  await expect(page.getByRole('table')).toContainText(email);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up your account');
  await expect(page.getByText('Billing Support')).toBeVisible();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await page.getByLabel('Your name').fill('Ines Invitee');
  await page.getByLabel('Password', { exact: true }).fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('This password is too common')).toBeVisible();
  // NIST SP 800-63B's context words and patterns, each refused with its reason (the demo organization is Northwind Support).
  for (const [weak, reason] of [
    ['Northwind Support 2026', 'your organization'],
    ['ines.invitee!', 'your name or email'],
    ['abcdefgh', 'a sequence'],
    ['        ', 'more than a few different characters'],
  ]) {
    await page.getByLabel('Password', { exact: true }).fill(weak!);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText(reason!)).toBeVisible();
  }
  await page.getByLabel('Password', { exact: true }).fill('lantern orbit velvet 9');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Accepting signs the new person in: straight to their learning page.
  await expect(page).toHaveURL('/learn');
  await expect(page.getByRole('banner')).toContainText('Ines Invitee');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, email, 'lantern orbit velvet 9');
  await expect(page).toHaveURL('/learn');

  const reused = await page.goto(link);
  expect(reused?.status()).toBe(410);
  await expect(page.getByText('already been used')).toBeVisible();
});

test('a person ends their other sessions from /account', async ({ browser }) => {
  const laptop = await browser.newPage();
  const phone = await browser.newPage();
  await signIn(laptop, 'rep2@demo.test');
  await signIn(phone, 'rep2@demo.test');
  await laptop.goto('/account');
  await expect(laptop.getByRole('cell', { name: 'This device' })).toHaveCount(1);
  await laptop.getByRole('button', { name: 'Sign out all other devices' }).click();
  await expect(laptop.getByRole('status')).toHaveText('You are signed out everywhere else.');
  await phone.goto('/account');
  await expect(phone).toHaveURL('/login?next=%2Faccount');
  await laptop.close();
  await phone.close();
});

test('an admin deactivates someone: their session ends at once', async ({ browser }) => {
  const adminPage = await browser.newPage();
  const repPage = await browser.newPage();
  await signIn(repPage, 'rep3@demo.test');
  await signIn(adminPage, 'admin@demo.test');
  await adminPage.getByRole('link', { name: 'Jonas Berg' }).click();
  await adminPage.getByRole('button', { name: 'Deactivate Jonas Berg' }).click();
  await expect(adminPage.getByRole('status')).toContainText('Deactivated');
  await repPage.goto('/account');
  await expect(repPage).toHaveURL('/login?next=%2Faccount');
  await adminPage.getByRole('button', { name: 'Reactivate Jonas Berg' }).click();
  await expect(adminPage.getByRole('status')).toContainText('Reactivated');
  await adminPage.close();
  await repPage.close();
});
