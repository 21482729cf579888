/**
 * "Where do I stand?" answered the same everywhere, against the built server (demo data, movable clock): progress
 * counts agree between /learn, the track page, the manager's /team and the person page (a fresh rep, a mid-way rep,
 * an expiring certified rep); a certificate whose lesson changed reads "update due" during the grace period and
 * Expired after it on every page, the team's included, and `npm run reminders` (on the server's moved clock) tells
 * the learner both times; an expiring rep is told how to renew on /learn itself, starts the renewal cycle at
 * attempt 1, and after expiry sees the "expired" reminder without the stale "expiring" one.
 *
 * Records are made through the server (invites, actions). One thing cannot be: a change of lesson content needs a
 * new build, so the test makes a certificate cover an older version of a lesson by editing that row, as if the
 * lesson had changed since it was issued.
 */
import { execFileSync } from 'node:child_process';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import {
  callAction,
  certifyRep,
  demo,
  DEMO_PASSWORD,
  e2eDb,
  invitePerson,
  NEW_PASSWORD,
  one,
  passQuiz,
  realContent,
  signedIn,
  startQuiz,
  submitQuiz,
  TEAM_A,
  teamId,
  writtenCase,
  type Person,
} from '../helpers/e2e-world';

const DAY = 24 * 60 * 60 * 1000;
const TRACK = 'rep-onboarding';
const TRACK_TITLE = 'Customer service onboarding';

async function setClock(ctx: APIRequestContext, offsetMs: number) {
  expect((await ctx.post('/api/test/clock', { data: { offsetMs } })).status()).toBe(200);
}

/** The daily job, as cron runs it, against the server's database and (FRONTLINE_TEST_CLOCK=1) its clock. */
function runReminders(): string {
  return execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/reminders.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: `file:${process.env.E2E_DB_FILE}`,
      FRONTLINE_TEST_CLOCK: '1',
      SMTP_URL: '',
      SMTP_HOST: '',
    },
    encoding: 'utf8',
  });
}

async function browse(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** The progress words of one person's track on every page that shows them. */
async function progressEverywhere(rep: Page, manager: Page, person: Person): Promise<string[]> {
  await rep.goto('/learn');
  const card = rep.locator('.learn-tracks .card').filter({ has: rep.getByRole('link', { name: TRACK_TITLE }) });
  const learn = (await card.locator('.learn-progress-label').innerText()).trim();
  await rep.goto(`/tracks/${TRACK}`);
  const track = (await rep.locator('.track-progress label').innerText()).replace(/^Your progress:\s*/, '').trim();
  await manager.goto(`/team?team=${await teamId(TEAM_A)}`);
  const bar = manager
    .locator('table.team-table tbody')
    .filter({ has: manager.getByRole('rowheader', { name: new RegExp(person.name) }) })
    .getByRole('progressbar', { name: new RegExp(`^${TRACK_TITLE}:`) });
  const team = ((await bar.getAttribute('aria-label')) ?? '').replace(`${TRACK_TITLE}: `, '');
  await manager.goto(`/team/people/${person.id}`);
  const row = manager.getByRole('row').filter({ has: manager.getByRole('rowheader', { name: TRACK_TITLE }) });
  const personPage = (await row.getByRole('cell').nth(2).innerText()).trim();
  return [learn, track, team, personPage];
}

/** The team table's status cell of one person's track. */
async function teamStatus(manager: Page, person: Person): Promise<string> {
  await manager.goto(`/team?team=${await teamId(TEAM_A)}`);
  const rows = manager
    .locator('table.team-table tbody')
    .filter({ has: manager.getByRole('rowheader', { name: new RegExp(person.name) }) });
  return (await rows.getByRole('row').filter({ hasText: TRACK_TITLE }).getByRole('cell').nth(1).innerText()).trim();
}

const remindersOf = (page: Page) => page.getByRole('region', { name: 'Reminders' });

test.beforeEach(async ({ request }) => setClock(request, 0));
test.afterAll(async ({ request }) => setClock(request, 0));

test('progress reads the same on /learn, the track page, /team and the person page', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(480_000);
  const content = await realContent();
  const track = content.tracks.get(TRACK)!.data!;
  const total = track.requires.length;
  const mgr = await signedIn(playwright, baseURL!, demo.managerA);
  const manager = await browse(browser, demo.managerA, DEMO_PASSWORD);
  const team = await teamId(TEAM_A);

  // A fresh rep: nothing done anywhere.
  const fresh = await invitePerson(playwright, baseURL!, mgr, { name: 'Fern Fresh', teamId: team });
  const freshPage = await browse(browser, fresh.email, NEW_PASSWORD);
  expect(await progressEverywhere(freshPage, manager, fresh)).toEqual(Array(4).fill(`0 of ${total} requirements met`));

  // Mid-way: a lesson read, its case answered and its quiz failed; another module's quiz passed.
  const mid = await invitePerson(playwright, baseURL!, mgr, { name: 'Milo Midway', teamId: team });
  const written = await writtenCase();
  const started = content.modules.get(written.module)!.data!;
  expect((await callAction(mid.ctx, 'lesson.complete', [['module', written.module]])).status()).toBe(200);
  expect(
    (
      await callAction(mid.ctx, 'judgment.answer', [
        ['case', written.caseId],
        ['option', written.optionId],
        ['text', 'I would listen first.'],
      ])
    ).status(),
  ).toBe(200);
  expect((await submitQuiz(mid.ctx, await startQuiz(mid.ctx, started.quiz), false)).passed).toBe(false);
  const otherModule = track.modules.find((m) => m !== written.module)!;
  await passQuiz(mid.ctx, content.modules.get(otherModule)!.data!.quiz);
  const midPage = await browse(browser, mid.email, NEW_PASSWORD);
  expect(await progressEverywhere(midPage, manager, mid)).toEqual(Array(4).fill(`1 of ${total} requirements met`));
  await midPage.goto(`/tracks/${TRACK}`);
  const moduleState = (slug: string) =>
    midPage
      .locator('.module-list li')
      .filter({ has: midPage.getByRole('link', { name: content.modules.get(slug)!.data!.title, exact: true }) })
      .locator('.status')
      .first();
  await expect(moduleState(written.module)).toHaveText('In progress');
  await expect(moduleState(otherModule)).toHaveText('Done');
  await midPage.goto('/learn');
  await expect(
    midPage.locator('.learn-tracks .card').filter({ hasText: TRACK_TITLE }).locator('.status').first(),
  ).toHaveText('In progress');

  // Certified and expiring: every page counts toward the renewal.
  const exp = await invitePerson(playwright, baseURL!, mgr, { name: 'Esme Expiring', teamId: team });
  await certifyRep(exp.ctx, exp.id);
  const cert = await one<{ expires_at: number }>('SELECT expires_at FROM certificate WHERE user_id = ?', [exp.id]);
  await setClock(mgr, Number(cert.expires_at) - 20 * DAY - Date.now());
  // Sessions idle for months have ended: everyone signs in again on the moved clock.
  const expPage = await browse(browser, exp.email, NEW_PASSWORD);
  const managerLater = await browse(browser, demo.managerA, DEMO_PASSWORD);
  expect(await progressEverywhere(expPage, managerLater, exp)).toEqual(
    Array(4).fill(`0 of ${total} requirements met for renewal`),
  );
});

test('a certificate whose lesson changed: update due on every page, then Expired everywhere once the grace ends; reminders tell the learner', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(480_000);
  const content = await realContent();
  const track = content.tracks.get(TRACK)!.data!;
  const changed = track.modules[0]!;
  const changedLesson = content.modules.get(changed)!.data!;
  const mgr = await signedIn(playwright, baseURL!, demo.managerA);
  const rep = await invitePerson(playwright, baseURL!, mgr, { name: 'Uma Update', teamId: await teamId(TEAM_A) });
  const { code } = await certifyRep(rep.ctx, rep.id);
  // As if the lesson had changed since the certificate was issued: it covers an older version of it.
  const cert = await one<{ id: string; module_versions: string }>(
    'SELECT id, module_versions FROM certificate WHERE code = ?',
    [code],
  );
  await e2eDb().execute({
    sql: 'UPDATE certificate SET module_versions = ? WHERE id = ?',
    args: [JSON.stringify({ ...JSON.parse(cert.module_versions), [changed]: 'an-older-version' }), cert.id],
  });
  // ...and the pass of its quiz was on that older version too (a pass on the current one would still stand).
  await e2eDb().execute({
    sql: 'UPDATE quiz_attempt SET content_version = ? WHERE user_id = ? AND quiz_id = ?',
    args: ['an-older-version', rep.id, changedLesson.quiz],
  });
  const seen = Number(
    (
      await one('SELECT first_seen_at FROM content_version WHERE module_id = ? ORDER BY first_seen_at DESC LIMIT 1', [
        changed,
      ])
    ).first_seen_at,
  );

  // Within the grace period (30 days from when the change was first seen).
  await setClock(mgr, seen + 10 * DAY - Date.now());
  const manager = await browse(browser, demo.managerA, DEMO_PASSWORD);
  expect(await teamStatus(manager, rep)).toMatch(/^Update due by \d+ \w+ \d{4}$/);
  runReminders();
  const page = await browse(browser, rep.email, NEW_PASSWORD);
  await page.goto('/learn');
  const card = page.locator('.learn-tracks .card').filter({ hasText: TRACK_TITLE });
  await expect(card.locator('.status').first()).toHaveText('Update required');
  await expect(card.getByText(/pass the changed lesson’s quiz again by \d+ \w+ \d{4}/)).toBeVisible();
  await expect(remindersOf(page).getByText(`: ${TRACK_TITLE}`).first()).toHaveText(
    new RegExp(`^Update needed by .+: ${TRACK_TITLE}$`),
  );

  // The grace period is over: Expired everywhere, the manager's dashboard and its compliance included.
  await setClock(mgr, seen + 31 * DAY - Date.now());
  // Three weeks without use end a session: both sign in again.
  const managerLater = await browse(browser, demo.managerA, DEMO_PASSWORD);
  expect(await teamStatus(managerLater, rep)).toBe('Expired (update missed)');
  const later = await browse(browser, rep.email, NEW_PASSWORD);
  await later.goto('/learn');
  const lapsed = later.locator('.learn-tracks .card').filter({ hasText: TRACK_TITLE });
  await expect(lapsed.locator('.status').first()).toHaveText('Expired');
  await expect(lapsed.getByText(/was due/)).toHaveCount(0);
  await expect(later.getByText(/was not passed again in time, so your certificate lapsed/).first()).toBeVisible();
  await later.goto(`/certificates/${code}`);
  await expect(later.getByText('Expired', { exact: true }).first()).toBeVisible();
  const visitor = await browser.newPage();
  await visitor.goto(`/verify/${code}`);
  await expect(visitor.locator('#verdict')).toHaveText('Expired');
  // The job runs on the server's clock: only there has the grace period ended.
  runReminders();
  await later.goto('/learn');
  await expect(remindersOf(later).getByText(`Certificate expired: ${TRACK_TITLE}`, { exact: true })).toBeVisible();
  // The "update needed" reminder is no longer true: it leaves /learn.
  await expect(remindersOf(later).getByText(/^Update needed by/)).toHaveCount(0);

  // Passing the changed lesson's quiz again restores the certificate; its history names the lesson by title.
  await passQuiz(await signedIn(playwright, baseURL!, rep.email, NEW_PASSWORD), changedLesson.quiz);
  expect(await teamStatus(managerLater, rep)).toBe('Certified');
  await later.goto(`/certificates/${code}`);
  await expect(later.getByText(`“${changedLesson.title}”: updated by passing its quiz again.`)).toBeVisible();
});

test('an expiring rep is told how to renew on /learn, starts the new cycle at attempt 1, and after expiry sees only the expired reminder', async ({
  browser,
  playwright,
  baseURL,
}) => {
  test.setTimeout(480_000);
  const content = await realContent();
  const track = content.tracks.get(TRACK)!.data!;
  const quizId = track.requires.flatMap((r) => ('quiz' in r ? [r.quiz] : []))[0]!;
  const quiz = content.quizzes.get(quizId)!.data!;
  const mgr = await signedIn(playwright, baseURL!, demo.managerA);
  const rep = await invitePerson(playwright, baseURL!, mgr, { name: 'Rhea Renewal', teamId: await teamId(TEAM_A) });
  // Cycle 1: a failed attempt, then (after the cooldown) every requirement passed.
  expect((await submitQuiz(rep.ctx, await startQuiz(rep.ctx, quizId), false)).passed).toBe(false);
  await setClock(mgr, (quiz.attempts.cooldownMinutes + 1) * 60_000);
  await certifyRep(rep.ctx, rep.id);
  const { expires_at } = await one<{ expires_at: number }>('SELECT expires_at FROM certificate WHERE user_id = ?', [
    rep.id,
  ]);
  const expiresAt = Number(expires_at);

  // 20 days before expiry, before any reminders run: /learn says when, what and about how long.
  await setClock(mgr, expiresAt - 20 * DAY - Date.now());
  const page = await browse(browser, rep.email, NEW_PASSWORD);
  await page.goto('/learn');
  const card = page.locator('.learn-tracks .card').filter({ hasText: TRACK_TITLE });
  await expect(card.locator('.status').first()).toHaveText('Expiring soon');
  const renewal = card.locator('.learn-renewal');
  await expect(renewal).toContainText(
    /^Your certificate expires on \d+ \w+ \d{4}; to renew, pass these again \(about \d+(½)? hours?\):/,
  );
  await expect(renewal.getByRole('listitem')).toHaveCount(track.requires.length);

  // The renewal is a new certification cycle: its attempt count starts again.
  await page.goto(`/quizzes/${quizId}`);
  await expect(page.getByRole('button', { name: `Start attempt 1 of ${quiz.attempts.max}` })).toBeVisible();

  runReminders();
  await page.goto('/learn');
  await expect(remindersOf(page).getByText(`Certificate expiring: ${TRACK_TITLE}`, { exact: true })).toBeVisible();

  // A day after expiry: the expired reminder, not the stale expiring one; no past due date on the card.
  await setClock(mgr, expiresAt + DAY - Date.now());
  runReminders();
  const later = await browse(browser, rep.email, NEW_PASSWORD);
  await later.goto('/learn');
  await expect(remindersOf(later).getByText(`Certificate expired: ${TRACK_TITLE}`, { exact: true })).toBeVisible();
  await expect(remindersOf(later).getByText(`Certificate expiring: ${TRACK_TITLE}`, { exact: true })).toHaveCount(0);
  const lapsed = later.locator('.learn-tracks .card').filter({ hasText: TRACK_TITLE });
  await expect(lapsed.locator('.status').first()).toHaveText('Expired');
  await expect(lapsed.getByText(/was due/)).toHaveCount(0);
  await expect(lapsed.locator('.learn-renewal')).toContainText(
    /^Your certificate expired on \d+ \w+ \d{4}; to renew, pass these again/,
  );
});

test('each person reads dates in their own time zone, chosen on /account and checked as an IANA name', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const mgr = await signedIn(playwright, baseURL!, demo.managerA);
  const rep = await invitePerson(playwright, baseURL!, mgr, { name: 'Tao Zone', teamId: await teamId(TEAM_A) });
  const page = await browse(browser, rep.email, NEW_PASSWORD);
  await page.goto('/account');
  // The organisation's zone (content/organization.yaml: America/New_York) by default.
  await expect(page.getByText(/It is now .* (EST|EDT|GMT-[45])\./)).toBeVisible();
  await page.getByLabel('Your time zone').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('status')).toHaveText(/time zone is saved/);
  await expect(page.getByText(/It is now .* GMT\+9\./)).toBeVisible();
  // Sessions are listed in it too.
  await expect(page.getByRole('table').first()).toContainText('GMT+9');
  // A zone that does not exist is refused with a message, not stored.
  const bad = await rep.ctx.post('/account', { form: { intent: 'time-zone', timeZone: 'Mars/Olympus_Mons' } });
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('Choose a time zone from the list.');
  expect((await one('SELECT time_zone FROM user WHERE id = ?', [rep.id])).time_zone).toBe('Asia/Tokyo');
});
