/**
 * What managers do for people, and the account flows around them, against a built server of its own with SMTP
 * set (a real SMTP server process, tests/helpers/smtp-sink.mjs) and a movable clock, on a fresh demo database, so
 * the reminders, invites and password changes here touch no other spec's people:
 * - reminders (nudges) from /team, once per person and day, also under a burst of parallel clicks; by email too;
 * - moving a due date from a person's page (validated, audited);
 * - a pending review opened from the person's page, the review count in the nav, a score that explains itself;
 * - invites emailed, resent, revoked (410), in bulk with per-line errors, and signed in once accepted;
 * - "Forgot password?": same answer for every email, single-use 30-minute links, throttled, sessions ended;
 * - charts: "not enough history yet", colours with words; item analysis marks thin samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { expect, test, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { callAction, decodeActionReply, DEMO_PASSWORD, NEW_PASSWORD, newClient, signedIn } from '../helpers/e2e-world';
import { startSmtpSink, type SmtpSink } from '../helpers/processes';
import { builtDist, startServer, type RunningServer } from '../helpers/server';

test.describe.configure({ mode: 'serial' });

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
let server: RunningServer;
let smtp: SmtpSink;
let db: Client;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'fa-manager-actions-'));
  smtp = await startSmtpSink();
  server = await startServer({
    dist: builtDist(),
    dbFile: join(dir, 'app.db'),
    env: {
      SMTP_URL: smtp.url(),
      MAIL_FROM: 'Frontline Academy <academy@example.test>',
      FRONTLINE_TEST_CLOCK: '1',
      FRONTLINE_TEST_SEEDS: '1',
      WRITE_RATE_LIMIT: '1000000',
    },
  });
  db = createClient({ url: `file:${join(dir, 'app.db')}` });
});

test.afterAll(async () => {
  db?.close();
  await Promise.all([server?.stop(), smtp?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function one<T>(sql: string, args: (string | number)[] = []): Promise<T> {
  const { rows } = await db.execute({ sql, args });
  if (!rows[0]) throw new Error(`no row for ${sql}`);
  return rows[0] as T;
}
const idOf = async (email: string) => (await one<{ id: string }>('SELECT id FROM user WHERE email = ?', [email])).id;

async function setClock(offsetMs: number): Promise<void> {
  const res = await fetch(`${server.url}/api/test/clock`, {
    method: 'POST',
    body: JSON.stringify({ offsetMs }),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status).toBe(200);
}

async function pageAs(
  browser: Browser,
  email: string | null,
  options: BrowserContextOptions = {},
  password = DEMO_PASSWORD,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, ...options });
  const page = await context.newPage();
  if (email) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
  }
  return page;
}

/** Mails received so far to `address`, parsed, oldest first. */
async function mailsTo(address: string): Promise<ParsedMail[]> {
  return Promise.all(smtp.received.filter((m) => m.to.includes(address)).map((m) => simpleParser(m.raw)));
}
async function waitForMails(address: string, count: number): Promise<ParsedMail[]> {
  await expect.poll(async () => (await mailsTo(address)).length, { message: `mails to ${address}` }).toBe(count);
  return mailsTo(address);
}
const linkIn = (mail: ParsedMail, path: string) => {
  const m = new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}(/${path}/[a-z2-7]{32})`).exec(mail.text ?? '');
  if (!m) throw new Error(`no /${path}/ link in: ${mail.text}`);
  return m[1]!;
};

// ---------------------------------------------------------------------------------------------- reminders

test('without JavaScript, a manager reminds everyone overdue from /team, once a day; the reminder shows on /learn and arrives by email', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test', { javaScriptEnabled: false });
  await manager.goto('/team');
  const followUp = manager.getByRole('region', { name: 'Follow up' });
  await expect(followUp.getByRole('listitem')).toHaveCount(2);
  await expect(followUp).toContainText('Sofia Rossi');
  await expect(followUp).toContainText('Jonas Berg');
  await followUp.getByRole('button', { name: 'Remind everyone overdue (2)' }).click();
  await expect(manager.getByRole('status')).toHaveText('Reminder sent to 2 people, 2 by email.');

  for (const address of ['rep2@demo.test', 'rep3@demo.test']) {
    const [mail] = await waitForMails(address, 1);
    expect(mail!.subject).toBe('A reminder from Mia Chen');
    expect(mail!.text).toContain('Mia Chen asks you to make time for your training.');
    expect(mail!.text).toMatch(/overdue since/);
  }

  // The same person again the same day: nothing new, said so.
  await manager.getByRole('region', { name: 'Follow up' }).getByRole('button', { name: 'Remind Sofia Rossi' }).click();
  await expect(manager.getByRole('status')).toHaveText(
    'Nobody new to remind. 1 already had one today (one a day at most).',
  );
  expect(await mailsTo('rep2@demo.test')).toHaveLength(1);

  const sofia = await pageAs(browser, 'rep2@demo.test');
  await sofia.goto('/learn');
  await expect(sofia.getByRole('region', { name: 'Reminders' })).toContainText('A reminder from Mia Chen');
  await manager.context().close();
  await sofia.context().close();
});

test('a burst of parallel reminders for one person writes one reminder and sends one email', async ({ playwright }) => {
  await setClock(DAY);
  try {
    const manager = await signedIn(playwright, server.url, 'manager1@demo.test');
    const team = (await one<{ id: string }>("SELECT id FROM team WHERE name = 'Billing Support'")).id;
    const jonas = await idOf('rep3@demo.test');
    const before = (await mailsTo('rep3@demo.test')).length;
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        callAction(manager, 'team.nudge', [
          ['team', team],
          ['who', jonas],
        ]),
      ),
    );
    const results = await Promise.all(
      replies.map(async (r) => {
        expect(r.status()).toBe(200);
        return decodeActionReply(await r.text()) as { sent: number; already: number };
      }),
    );
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.already, 0)).toBe(11);
    const { n } = await one<{ n: number }>("SELECT count(*) AS n FROM notice WHERE user_id = ? AND kind = 'nudge'", [
      jonas,
    ]);
    expect(n).toBe(2); // yesterday's and today's
    await waitForMails('rep3@demo.test', before + 1);
    await manager.dispose();
  } finally {
    await setClock(0);
  }
});

// ---------------------------------------------------------------------------------------------- due dates and reviews

test('a manager moves a due date from the person’s page: a past date is refused, a later one is saved and audited', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test');
  const sofia = await idOf('rep2@demo.test');
  await manager.goto(`/team/people/${sofia}`);
  const form = manager
    .locator('form')
    .filter({ has: manager.getByRole('button', { name: /Move due date/ }) })
    .first();
  const date = form.getByLabel(/New due date for/);
  const today = (await date.getAttribute('min'))!;
  // The browser's own check would stop a past date; the server's refusal is what a script or old browser meets.
  await date.evaluate((el) => el.removeAttribute('min'));
  await date.fill('2020-01-01');
  await form.getByRole('button', { name: /Move due date/ }).click();
  await expect(manager.getByRole('alert')).toHaveText('The new due date cannot be in the past.');

  const due = new Date(Date.parse(`${today}T00:00:00Z`) + 21 * DAY).toISOString().slice(0, 10);
  const again = manager
    .locator('form')
    .filter({ has: manager.getByRole('button', { name: /Move due date/ }) })
    .first();
  await again.getByLabel(/New due date for/).fill(due);
  await again.getByPlaceholder('Reason (optional)').fill('Back from leave');
  await again.getByRole('button', { name: /Move due date/ }).click();
  await expect(manager.getByRole('status')).toHaveText('Due date moved.');
  const shown = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(Date.parse(`${due}T23:59:59Z`));
  await expect(manager.getByRole('region', { name: 'Assigned tracks' }).getByRole('row').nth(1)).toContainText(shown);
  await expect(manager.getByRole('region', { name: 'Assigned tracks' }).getByRole('row').nth(1)).toContainText(
    'On track',
  );
  const audit = await one<{ detail: string }>(
    "SELECT detail FROM audit_log WHERE action = 'assignment.due_extended' ORDER BY created_at DESC LIMIT 1",
  );
  expect(JSON.parse(audit.detail)).toMatchObject({ userId: sofia, to: due, reason: 'Back from leave' });
  await manager.context().close();
});

test('a pending review opens from the person’s page; the nav counts it; the rubric’s levels explain the score to the learner', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test');
  const nav = manager.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: /^Reviews\W+1 waiting$/ })).toBeVisible();
  await manager.goto(`/team/people/${await idOf('rep3@demo.test')}`);
  await manager
    .getByRole('region', { name: 'Follow up' })
    .getByRole('link', { name: 'Review “The renewal reminder that never went out”' })
    .click();
  await expect(manager).toHaveURL(/\/team\/reviews#review-/);
  const item = manager
    .getByRole('listitem')
    .filter({ hasText: 'Jonas Berg — The renewal reminder that never went out' });
  await item.getByText('A strong answer, for comparison').click();
  await expect(item).toContainText('the refund window assumes we reminded him');
  const outcome = item.getByRole('group', { name: 'Customer outcome' });
  await expect(
    outcome.getByRole('radio', { name: /2 Weak Some help, but the customer’s main need is missed/ }),
  ).toBeVisible();
  await outcome.getByRole('radio', { name: /^2 Weak/ }).check();
  await item
    .getByRole('group', { name: 'Standard applied' })
    .getByRole('radio', { name: /^1 Poor/ })
    .check();
  await item
    .getByRole('group', { name: 'Reasoning' })
    .getByRole('radio', { name: /^3 Adequate/ })
    .check();
  await item.getByLabel('Comment for Jonas Berg').fill('Our reminder failed: the rule’s reason is gone here.');
  await item.getByRole('button', { name: 'Save review' }).click();
  await expect(manager.getByRole('status')).toContainText('Review saved');
  await expect(nav.getByRole('link', { name: 'Reviews', exact: true })).toBeVisible();
  await expect(manager.getByTestId('review-count')).toHaveCount(0);

  const jonas = await pageAs(browser, 'rep3@demo.test');
  await jonas.goto('/learn');
  const comments = jonas.getByRole('region', { name: 'Comments from your manager' });
  await expect(comments.getByRole('heading', { name: 'Why 25 / 100' })).toBeVisible();
  await expect(comments).toContainText('Customer outcome: 2 of 5, Weak');
  await expect(comments).toContainText('The standard that matters here is ignored or broken.');
  await expect(comments).toContainText('Average rating 2 of 5, on a scale where 1 is 0 and 5 is 100: 25 / 100.');
  await manager.context().close();
  await jonas.context().close();
});

test('assigning a manager track to a rep asks first, without JavaScript too; cancelling assigns nothing', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test', { javaScriptEnabled: false });
  const ravi = await idOf('rep1@demo.test');
  const count = async () =>
    (
      await one<{ n: number }>(
        "SELECT count(*) AS n FROM assignment WHERE user_id = ? AND track_id = 'manager-essentials'",
        [ravi],
      )
    ).n;
  await manager.goto('/team');
  const assign = async () => {
    await manager.getByLabel('Assign to').selectOption({ label: 'Ravi Patel' });
    await manager.getByLabel('Track', { exact: true }).selectOption({ label: 'Leading customer service' });
    await manager.getByRole('button', { name: 'Assign track' }).click();
  };
  await assign();
  const confirm = manager.getByRole('form', { name: '“Leading customer service” is a manager track' });
  await expect(confirm).toContainText('Ravi Patel is a rep.');
  await confirm.getByRole('link', { name: 'Cancel' }).click();
  expect(await count()).toBe(0);
  await assign();
  await manager.getByRole('button', { name: 'Assign to this rep anyway' }).click();
  await expect(manager.getByRole('status').filter({ hasText: 'Assigned to 1 person.' })).toBeVisible();
  expect(await count()).toBe(1);
  const audit = await one<{ detail: string }>(
    "SELECT detail FROM audit_log WHERE action = 'assignment.created' ORDER BY created_at DESC LIMIT 1",
  );
  expect(JSON.parse(audit.detail)).toMatchObject({ repsGivenManagerTrack: [ravi] });
  await manager.context().close();
});

// ---------------------------------------------------------------------------------------------- invites

test('an invite is emailed; resending mails a new link and kills the old; revoking answers 410; accepting signs the person in', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test');
  const email = 'nora.newhire@example.test';
  await manager.goto('/team/invites');
  await manager.getByRole('region', { name: 'Invite someone' }).getByLabel('Email').fill(email);
  await manager.getByRole('button', { name: 'Create invite link' }).click();
  await expect(manager.getByRole('status').first()).toHaveText(`Invite emailed to ${email}.`);
  await expect(manager.getByLabel('Invite link')).toHaveCount(0);
  const [first] = await waitForMails(email, 1);
  expect(first!.subject).toBe('Mia Chen invites you to Frontline Academy');
  const firstLink = linkIn(first!, 'invite');

  // A second invite for a waiting one is refused; resend instead.
  await manager.getByRole('region', { name: 'Invite someone' }).getByLabel('Email').fill(email);
  await manager.getByRole('button', { name: 'Create invite link' }).click();
  await expect(manager.getByText('An invite for this email is already waiting')).toBeVisible();

  await manager.getByRole('button', { name: `Resend invite to ${email}` }).click();
  await expect(manager.getByRole('status').first()).toHaveText(
    `A new link was emailed to ${email}; the old link no longer works.`,
  );
  const [, second] = await waitForMails(email, 2);
  const secondLink = linkIn(second!, 'invite');
  expect(secondLink).not.toBe(firstLink);
  const anon = await pageAs(browser, null);
  expect((await anon.goto(firstLink))?.status()).toBe(404);

  await manager.getByRole('button', { name: `Revoke invite to ${email}` }).click();
  await expect(manager.getByRole('status').first()).toHaveText(
    `Invite for ${email} revoked: the link no longer works.`,
  );
  expect((await anon.goto(secondLink))?.status()).toBe(410);
  await expect(anon.getByText('This invite link was withdrawn')).toBeVisible();
  await expect(manager.getByRole('row').filter({ hasText: email })).toContainText('Revoked');

  // A fresh invite, accepted from the email: the new person lands on their learning page, signed in.
  const other = 'olga.onboard@example.test';
  await manager.getByRole('region', { name: 'Invite someone' }).getByLabel('Email').fill(other);
  await manager.getByRole('button', { name: 'Create invite link' }).click();
  const [mail] = await waitForMails(other, 1);
  await anon.goto(linkIn(mail!, 'invite'));
  await anon.getByLabel('Your name').fill('Olga Onboard');
  await anon.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await anon.getByRole('button', { name: 'Create account' }).click();
  await expect(anon).toHaveURL(/\/learn$/);
  await expect(anon.getByRole('banner')).toContainText('Olga Onboard');
  await manager.context().close();
  await anon.context().close();
});

test('bulk invites: every bad line is named with its number and nobody is invited; a good list and a CSV file are all emailed', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test');
  await manager.goto('/team/invites');
  await manager.getByRole('link', { name: 'Invite several people at once' }).click();
  const bulk = manager.getByRole('main');
  const invites = async () => (await one<{ n: number }>('SELECT count(*) AS n FROM invite')).n;
  const before = await invites();
  await bulk
    .getByLabel('Emails, one a line')
    .fill(
      [
        'pia@example.test',
        'not an email',
        'pia@example.test',
        'rep1@demo.test, 2026-01-01',
        'quinn@example.test,31/01/2026',
      ].join('\n'),
    );
  await bulk.getByRole('button', { name: 'Invite everyone on the list' }).click();
  const alert = manager.getByRole('alert');
  await expect(alert).toContainText('Nobody was invited.');
  await expect(alert.getByRole('listitem')).toHaveText([
    'Line 2: “not an email” is not an email address.',
    'Line 3: pia@example.test is already on line 1.',
    'Line 5: “31/01/2026” is not a date (YYYY-MM-DD).',
  ]);
  expect(await invites()).toBe(before);
  // Lines that parse are then checked against accounts, also all at once.
  await bulk.getByLabel('Emails, one a line').fill('pia@example.test\nrep1@demo.test');
  await bulk.getByRole('button', { name: 'Invite everyone on the list' }).click();
  await expect(alert.getByRole('listitem')).toHaveText(['Line 2: rep1@demo.test already has an account.']);
  expect(await invites()).toBe(before);

  await bulk.getByLabel('Emails, one a line').fill('pia@example.test');
  await bulk.getByLabel('Or a CSV file').setInputFiles({
    name: 'new-hires.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,hire_date\r\n"rafa@example.test",2026-02-01\r\nsam@example.test\r\n'),
  });
  await bulk.getByRole('button', { name: 'Invite everyone on the list' }).click();
  await expect(manager.getByRole('status').first()).toHaveText('3 invites emailed.');
  expect(await invites()).toBe(before + 3);
  for (const address of ['pia@example.test', 'rafa@example.test', 'sam@example.test']) await waitForMails(address, 1);
  const rafa = await one<{ hire_date: string }>("SELECT hire_date FROM invite WHERE email = 'rafa@example.test'");
  expect(rafa.hire_date).toBe('2026-02-01');
  await manager.context().close();
});

test('parallel invites of one email make one invite; the rest are refused as already waiting', async ({
  playwright,
}) => {
  const manager = await signedIn(playwright, server.url, 'manager1@demo.test');
  const team = (await one<{ id: string }>("SELECT id FROM team WHERE name = 'Billing Support'")).id;
  const email = 'twice.clicked@example.test';
  const replies = await Promise.all(
    Array.from({ length: 6 }, () =>
      manager.post('/team/invites', { form: { intent: 'create', email, role: 'learner', teamId: team, hireDate: '' } }),
    ),
  );
  const statuses = replies.map((r) => r.status()).sort();
  // One created (emailed, so redirected back to the list), five refused.
  expect(statuses).toEqual([303, 409, 409, 409, 409, 409]);
  expect((await one<{ n: number }>('SELECT count(*) AS n FROM invite WHERE email = ?', [email])).n).toBe(1);
  await waitForMails(email, 1);
  await manager.dispose();
});

// ---------------------------------------------------------------------------------------------- forgot password

test('forgot password: the same answer for any email, one 30-minute single-use link, hashed, and every session ended', async ({
  browser,
  playwright,
}) => {
  const ask = async (page: Page, email: string) => {
    await page.goto('/forgot-password');
    await page.getByLabel('Email').fill(email);
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Email me a link' }).click(),
    ]);
    return { status: res.status(), text: (await page.locator('main').innerText()).trim() };
  };
  const anon = await pageAs(browser, null);
  await anon.goto('/login');
  await anon.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(anon).toHaveURL(/\/forgot-password$/);
  const unknown = await ask(anon, 'nobody.here@example.test');
  const known = await ask(anon, 'rep5@demo.test');
  expect(known).toEqual(unknown);
  expect(known.status).toBe(200);
  expect(await mailsTo('nobody.here@example.test')).toHaveLength(0);
  const [mail] = await waitForMails('rep5@demo.test', 1);
  expect(mail!.subject).toBe('Choose a new password for Frontline Academy');
  const link = linkIn(mail!, 'reset-password');
  const token = link.split('/').at(-1)!;
  const stored = await one<{ token_hash: string }>(
    'SELECT token_hash FROM password_reset ORDER BY created_at DESC LIMIT 1',
  );
  expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));

  const elsewhere = await signedIn(playwright, server.url, 'rep5@demo.test');
  expect((await elsewhere.get('/account')).status()).toBe(200);

  await anon.goto(link);
  await anon.getByLabel('New password').fill('password123');
  await anon.getByRole('button', { name: 'Set new password' }).click();
  await expect(anon.getByText('This password is too common')).toBeVisible();
  await anon.getByLabel('New password').fill('copper meadow lantern 7');
  await anon.getByRole('button', { name: 'Set new password' }).click();
  await expect(anon).toHaveURL(/\/login\?reset$/);

  await expect(anon.getByRole('status')).toContainText('Your password is changed and you are signed out everywhere.');
  expect((await elsewhere.get('/account')).status()).toBe(303);
  await elsewhere.dispose();
  const again = await anon.goto(link);
  expect(again?.status()).toBe(410);
  await expect(anon.getByText('This link has been used already.')).toBeVisible();
  const fresh = await newClient(playwright, server.url);
  expect((await fresh.post('/login', { form: { email: 'rep5@demo.test', password: DEMO_PASSWORD } })).status()).toBe(
    400,
  );
  expect(
    (await fresh.post('/login', { form: { email: 'rep5@demo.test', password: 'copper meadow lantern 7' } })).status(),
  ).toBe(303);
  await fresh.dispose();

  // One fresh link used from three tabs at once: one sets the password, the others are told it is used.
  await ask(anon, 'rep1@demo.test');
  const [ravi] = await waitForMails('rep1@demo.test', 1);
  const raviLink = linkIn(ravi!, 'reset-password');
  const racers = await Promise.all(
    ['amber canyon whistle 1', 'amber canyon whistle 2', 'amber canyon whistle 3'].map((password) =>
      fetch(`${server.url}${raviLink}`, {
        method: 'POST',
        body: new URLSearchParams({ password }),
        headers: { origin: server.url },
        redirect: 'manual',
      }),
    ),
  );
  expect(racers.map((r) => r.status).sort()).toEqual([303, 410, 410]);
  expect(
    (
      await one<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'password.reset' AND target = ?", [
        await idOf('rep1@demo.test'),
      ])
    ).n,
  ).toBe(1);

  // A link left 31 minutes is expired.
  await ask(anon, 'rep6@demo.test');
  const [late] = await waitForMails('rep6@demo.test', 1);
  await setClock(31 * 60 * 1000);
  try {
    expect((await anon.goto(linkIn(late!, 'reset-password')))?.status()).toBe(410);
    await expect(anon.getByText('This link has expired')).toBeVisible();
  } finally {
    await setClock(0);
  }
  await anon.context().close();
});

test('forgot password is throttled per email from one address, alike for accounts that exist and those that do not', async ({
  playwright,
}) => {
  const client = await newClient(playwright, server.url);
  for (const email of ['ghost.account@example.test', 'rep4@demo.test']) {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.post('/forgot-password', { form: { email } })).status());
    expect(statuses, email).toEqual([200, 200, 200, 429]);
    const last = await client.post('/forgot-password', { form: { email } });
    expect(Number(last.headers()['retry-after'])).toBeGreaterThan(0);
    expect(await last.text()).toContain('Too many requests for a new password.');
  }
  await waitForMails('rep4@demo.test', 3);
  await client.dispose();
});

// ---------------------------------------------------------------------------------------------- charts

test('charts: colour with words against thresholds; "not enough history yet" instead of an empty trend; thin item statistics are marked', async ({
  browser,
}) => {
  const manager = await pageAs(browser, 'manager1@demo.test');
  await manager.goto('/team');
  const standards = manager.getByRole('region', { name: 'Results per standard' });
  await standards.getByText('Data table').click();
  await expect(standards.getByRole('columnheader', { name: 'Against target' })).toBeVisible();
  // Each standard's band is said in words beside its share, from the same thresholds as the bar's colour.
  for (const row of await standards
    .getByRole('row')
    .filter({ has: manager.getByRole('rowheader') })
    .all()) {
    const share = Number((await row.getByRole('cell').nth(2).innerText()).replace(/[^\d.]/g, ''));
    await expect(row.getByRole('cell').nth(3)).toHaveText(
      share >= 80 ? 'on target (80 %+)' : share >= 60 ? 'below target (80 %)' : 'below 60 %',
    );
  }
  await expect(standards.locator('svg .chart-bar').first()).toHaveClass(/chart-bar-(good|warn|bad)/);
  const trend = manager.getByRole('region', { name: 'Monthly trend' });
  await expect(trend.locator('svg')).toContainText('Target 90 %');
  // Each month's compliance point has the colour of its band, the band the table says in words; below target is
  // also written beside the point ("▼ 67%"), so it does not ride on colour.
  await trend.getByText('Data table').click();
  const months = await trend
    .getByRole('row')
    .filter({ has: manager.getByRole('rowheader') })
    .evaluateAll((rows) =>
      rows.map((r) => ({
        pct: r.querySelectorAll('td')[0]!.textContent!.trim(),
        words: r.querySelectorAll('td')[1]!.textContent!.trim(),
      })),
    );
  const measured = months.filter((m) => m.pct !== '—');
  expect(measured.length).toBeGreaterThan(1);
  const bandOfWords = (w: string) =>
    w.startsWith('on target') ? 'good' : w.startsWith('below target') ? 'warn' : 'bad';
  const points = await trend
    .locator('svg .chart-marker[class*="chart-point-"]')
    .evaluateAll((els) => els.map((e) => /chart-point-(\w+)/.exec(e.getAttribute('class')!)![1]));
  expect(points).toEqual(measured.map((m) => bandOfWords(m.words)));
  const below = measured.filter((m) => bandOfWords(m.words) !== 'good');
  expect(below.length, 'the demo team is below target in some month').toBeGreaterThan(0);
  await expect(trend.locator('svg .chart-point-label')).toHaveText(below.map((m) => `▼ ${m.pct.replace(/\s/g, '')}`));
  // Before the team's history began there is nothing to draw.
  await setClock(-365 * DAY);
  try {
    await manager.goto('/team');
    await expect(manager.getByRole('region', { name: 'Monthly trend' }).getByTestId('trend-empty')).toContainText(
      'Not enough history yet',
    );
    await expect(manager.getByRole('region', { name: 'Monthly trend' }).locator('svg')).toHaveCount(0);
  } finally {
    await setClock(0);
  }

  const trainer = await pageAs(browser, 'trainer@demo.test');
  await trainer.goto('/trainer');
  const items = trainer.getByRole('region', { name: /Item analysis/ });
  await expect(items.getByText(/n=\d+, too few to judge/).first()).toBeVisible();
  await expect(items.getByText(/rests? on fewer than 30 attempts/)).toBeVisible();
  await manager.context().close();
  await trainer.context().close();
});

// ---------------------------------------------------------------------------------------------- everyone overdue, every team

test('a manager of two teams reminds everyone overdue in both at once: confirmed with its count, and a burst of parallel sends reminds each person once', async ({
  browser,
  playwright,
}) => {
  // 40 days on, Technical Support has someone overdue too (a rep hired 10 days ago, due 30 days after hire).
  await setClock(40 * DAY);
  try {
    const admin = await pageAs(browser, 'admin@demo.test', { javaScriptEnabled: false });
    await admin.goto(`/admin/users/${await idOf('manager2@demo.test')}`);
    await admin.getByRole('checkbox', { name: 'Billing Support' }).check();
    await admin.getByRole('checkbox', { name: 'Technical Support' }).check();
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await expect(admin.getByText('Saved.')).toBeVisible();

    // Omar now manages both; each team's own list says who is overdue there.
    const omar = await pageAs(browser, 'manager2@demo.test', { javaScriptEnabled: false });
    const overdueIn = async (team: string) => {
      const id = (await one<{ id: string }>('SELECT id FROM team WHERE name = ?', [team])).id;
      await omar.goto(`/team?team=${id}`);
      return omar.getByRole('region', { name: 'Follow up' }).locator('.follow-up-list a').allInnerTexts();
    };
    const billing = await overdueIn('Billing Support');
    const technical = await overdueIn('Technical Support');
    expect(billing.length).toBeGreaterThan(0);
    expect(technical.length).toBeGreaterThan(0);
    const everyone = [...new Set([...billing, ...technical])];

    // One action for all of them, after a confirmation that counts and names them.
    const followUp = omar.getByRole('region', { name: 'Follow up' });
    await followUp
      .getByRole('link', { name: `Remind everyone overdue in all your teams (${everyone.length})…` })
      .click();
    const confirm = omar.getByRole('form', {
      name: new RegExp(`^Remind ${everyone.length} overdue people in 2 teams\\?`),
    });
    for (const name of everyone) await expect(confirm).toContainText(name);
    // Cancelling sends nothing.
    await confirm.getByRole('link', { name: 'Cancel' }).click();
    await expect(omar.getByRole('form', { name: /^Remind \d+ overdue/ })).toHaveCount(0);
    const nudgesToday = async () =>
      (
        await one<{ n: number }>("SELECT count(*) AS n FROM notice WHERE kind = 'nudge' AND created_at >= ?", [
          Date.now() + 40 * DAY - 60 * 60 * 1000,
        ])
      ).n;
    expect(await nudgesToday()).toBe(0);

    // A burst of parallel confirmed sends (double clicks, two tabs): each person is reminded once.
    const omarApi = await signedIn(playwright, server.url, 'manager2@demo.test');
    // A stale count is refused and sends nothing.
    const stale = await callAction(omarApi, 'team.nudgeAllTeams', [['count', String(everyone.length + 1)]]);
    expect(stale.status()).toBe(409);
    expect(await stale.text()).toContain(`${everyone.length} people are overdue now`);
    expect(await nudgesToday()).toBe(0);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => callAction(omarApi, 'team.nudgeAllTeams', [['count', String(everyone.length)]])),
    );
    const results = await Promise.all(
      replies.map(async (r) => {
        expect(r.status()).toBe(200);
        return decodeActionReply(await r.text()) as { sent: number; already: number };
      }),
    );
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(everyone.length);
    expect(results.reduce((n, r) => n + r.already, 0)).toBe(7 * everyone.length);
    expect(await nudgesToday()).toBe(everyone.length);

    // The same from the page, now: nobody new, and it says so with the count.
    await omar.goto(omar.url().replace(/#.*$/, '') + '&confirm=all-overdue');
    await omar.getByRole('button', { name: `Send ${everyone.length} reminders` }).click();
    await expect(omar.getByRole('status')).toHaveText(
      `Nobody new to remind. ${everyone.length} already had one today (one a day at most).`,
    );
    expect(await nudgesToday()).toBe(everyone.length);

    // An admin has the same action over every team of the organization.
    await admin.goto('/team');
    await expect(
      admin
        .getByRole('region', { name: 'Follow up' })
        .getByRole('link', { name: `Remind everyone overdue in all your teams (${everyone.length})…` }),
    ).toBeVisible();
    // A manager of one team has only the team's own button.
    const mia = await pageAs(browser, 'manager1@demo.test');
    await mia.goto('/team');
    await expect(mia.getByRole('link', { name: /in all your teams/ })).toHaveCount(0);
    await omarApi.dispose();
    for (const p of [admin, omar, mia]) await p.context().close();
  } finally {
    await setClock(0);
  }
});
