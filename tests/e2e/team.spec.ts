/**
 * The team dashboard end to end, in Chromium against the built server: a manager invites a rep, assigns a track to
 * the whole team with a due date; the rep completes it through the real pages (quizzes and the role-play, without
 * JavaScript: plain form posts); the manager's dashboard and CSV then show it certified. And scoping: a manager asking
 * for another team gets 403 on the page, the CSV and the xAPI export, and no row of that team is in their exports.
 *
 * Answers come from content/ (as a learner who knows the material would answer); the browser only sees what the
 * server sends.
 */
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loadValidContent, type Content } from '../../src/features/content/load';
import {
  requirementParts,
  type Question,
  type Quiz,
  type Roleplay,
  type Track,
} from '../../src/features/content/schema';
import { bestReplies } from '../helpers/roleplay';
import { scoreExerciseInPage } from '../helpers/exercise-page';

const PASSWORD = 'frontline-demo-2026';
const NEW_PASSWORD = 'lantern orbit velvet 9';
const MANAGER = 'manager1@demo.test';
const TEAM = 'Billing Support';
const OTHER_TEAM = 'Technical Support';
let content: Content;

test.beforeAll(async () => {
  content = await loadValidContent('content');
});

const quizOf = (id: string): Quiz => content.quizzes.get(id)!.data!;
const roleplayOf = (id: string): Roleplay => content.roleplays.get(id)!.data!;
const trackOf = (id: string): Track => content.tracks.get(id)!.data!;

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function asPerson(browser: Browser, email: string, options: { js?: boolean; password?: string } = {}) {
  // A context of its own per person (axe needs the page to come from an explicit context).
  const page = await (await browser.newContext({ javaScriptEnabled: options.js ?? true })).newPage();
  await signIn(page, email, options.password);
  return page;
}

/** The manager invites a new rep to their team through /team/invites; the rep accepts and signs in (no JS). */
async function inviteRep(
  browser: Browser,
  manager: Page,
  name: string,
  hireDate?: string,
): Promise<{ page: Page; email: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@demo.test`;
  await manager.goto('/team/invites');
  await manager.getByLabel('Email').fill(email);
  if (hireDate) await manager.getByLabel('Hire date').fill(hireDate);
  await manager.getByRole('button', { name: 'Create invite link' }).click();
  const link = await manager.getByLabel('Invite link').inputValue();
  const page = await browser.newPage({ javaScriptEnabled: false });
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  // Accepting the invite signs the new person in.
  await expect(page).toHaveURL('/learn');
  return { page, email };
}

/** The content question a fieldset shows (several scenario questions share a prompt: the scenario decides). */
function questionShown(quiz: Quiz, legend: string, scenario: string | null): Question {
  const q = quiz.questions.find(
    (x) => legend.trim().endsWith(x.prompt.trim()) && (x.scenario ?? null) === (scenario?.trim() || null),
  );
  if (!q) throw new Error(`no question of ${quiz.id} matches "${legend}"`);
  return q;
}

/** Passes a quiz on its plain (no-JavaScript) form. */
async function passQuiz(page: Page, quizId: string) {
  const quiz = quizOf(quizId);
  await page.goto(`/quizzes/${quizId}`);
  await page.getByRole('button', { name: /^Start (the quiz|attempt)/ }).click();
  const groups = page.locator('form.quiz-form fieldset.quiz-options');
  const count = await groups.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const group = groups.nth(i);
    const scenario = group.locator('.quiz-scenario');
    const q = questionShown(
      quiz,
      await group.locator('legend').innerText(),
      (await scenario.count()) > 0 ? await scenario.innerText() : null,
    );
    if (q.kind === 'ordering') {
      for (const [k, o] of q.options.entries())
        await group.getByLabel(`Step ${k + 1}`, { exact: true }).selectOption({ label: o.text });
    } else {
      for (const o of q.options.filter((x) => x.correct))
        await group.getByRole(q.kind === 'multiple' ? 'checkbox' : 'radio', { name: o.text, exact: true }).check();
    }
  }
  await page.getByRole('button', { name: 'Submit answers', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/quizzes/${quizId}/attempts/[a-z2-7]+$`));
  await expect(page.getByText('Passed', { exact: true }).first()).toBeVisible();
}

async function playRoleplay(page: Page, roleplayId: string) {
  await page.goto(`/roleplays/${roleplayId}`);
  await page.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
  for (const text of bestReplies(roleplayOf(roleplayId)))
    await page.getByRole('button', { name: text, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/roleplays/${roleplayId}/runs/`));
}

/** The team table's rows for one person (their <tbody>). */
const personRows = (page: Page, name: string) =>
  page.locator('table.team-table tbody').filter({ has: page.getByRole('rowheader', { name: new RegExp(name) }) });

async function download(page: Page, path: string): Promise<{ status: number; text: string }> {
  const res = await page.request.get(path);
  return { status: res.status(), text: await res.text() };
}

test.beforeEach(async ({ request }) => {
  // Another spec may have moved the server clock; due dates here are relative to "today".
  expect((await request.post('/api/test/clock', { data: { offsetMs: 0 } })).status()).toBe(200);
});

test('a manager assigns a track to the team with a due date; a rep completes it; dashboard and CSV show it', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  // The manager track starts with the frontline training: the rep's own track is part of it.
  const track = trackOf('manager-essentials');
  const frontline = trackOf('rep-onboarding');
  const total = track.requires.length;
  const key = (r: Track['requires'][number]) => {
    const { kind, id } = requirementParts(r);
    return `${kind}:${id}`;
  };
  const shared = new Set(frontline.requires.map(key));
  const manager = await asPerson(browser, MANAGER);
  const rep = await inviteRep(browser, manager, 'Tara Teamwork');

  // Assign the track to everyone in the team, mandatory, due in two weeks.
  await manager.goto('/team');
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText(`Team dashboard: ${TEAM}`);
  const dueInput = manager.getByLabel('Due date');
  const today = (await dueInput.getAttribute('min'))!;
  const due = new Date(Date.parse(`${today}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
  await expect(manager.getByLabel('Assign to').locator('option').first()).toHaveText(
    new RegExp(`^Everyone in ${TEAM}`),
  );
  await manager.getByLabel('Assign to').selectOption('team');
  await manager.getByLabel('Track', { exact: true }).selectOption({ label: track.title });
  await dueInput.fill(due);
  await manager.getByRole('radio', { name: /Mandatory/ }).check();
  await manager.getByRole('button', { name: 'Assign track' }).click();
  // A manager track for reps: nothing is assigned until the manager confirms, with the reps named.
  const confirm = manager.getByRole('form', { name: `“${track.title}” is a manager track` });
  await expect(confirm).toContainText('Tara Teamwork');
  await expect(manager.getByRole('status').filter({ hasText: /Assigned to/ })).toHaveCount(0);
  await confirm.getByRole('button', { name: /anyway/ }).click();
  await expect(manager.getByRole('status').filter({ hasText: /Assigned to \d+ (person|people)/ })).toBeVisible();

  const rows = personRows(manager, 'Tara Teamwork');
  const line = rows.getByRole('row').filter({ hasText: track.title });
  await expect(line).toContainText('On track');
  await expect(line).toContainText(`0/${total}`);
  await manager.screenshot({ path: test.info().outputPath('team-assigned.png'), fullPage: true });

  // The rep sees the assignment; its next step opens the first frontline lesson as part of the manager track.
  await rep.page.goto('/learn');
  await expect(rep.page.getByRole('heading', { name: track.title })).toBeVisible();
  const card = rep.page.getByRole('listitem').filter({ has: rep.page.getByRole('heading', { name: track.title }) });
  await card.locator('.learn-card-next').getByRole('link').click();
  await expect(rep.page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(
    `${track.title} › Module 1 of ${track.modules.length}`,
  );

  // She completes her own frontline track first, through the real pages, without JavaScript: those passes count
  // toward the manager track too.
  for (const r of frontline.requires) {
    if ('quiz' in r) await passQuiz(rep.page, r.quiz);
    else if ('roleplay' in r) await playRoleplay(rep.page, r.roleplay);
    else throw new Error(`the frontline track requires exercise ${r.exercise}, which this journey does not play`);
  }
  await manager.goto('/team');
  await expect(rows.getByRole('row').filter({ hasText: frontline.title })).toContainText('Certified');
  await expect(line).toContainText(`${shared.size}/${total}`);

  // Then the rest of the manager track.
  for (const r of track.requires.filter((x) => !shared.has(key(x)))) {
    if ('quiz' in r) await passQuiz(rep.page, r.quiz);
    else if ('roleplay' in r) await playRoleplay(rep.page, r.roleplay);
    else await scoreExerciseInPage(rep.page, r.exercise);
  }
  await rep.page.goto('/learn');
  await expect(rep.page.getByRole('table')).toContainText(track.title);

  // The dashboard shows the line certified with every requirement met.
  await manager.goto('/team');
  await expect(line).toContainText('Certified');
  await expect(line).toContainText(`${total}/${total}`);
  await expect(manager.getByText(/Compliance/).first()).toBeVisible();
  await manager.screenshot({ path: test.info().outputPath('team-certified.png'), fullPage: true });

  // The drill-down lists what the rep did, with the role-play run linked to its debrief.
  await rows.getByRole('link', { name: 'Tara Teamwork' }).click();
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('Tara Teamwork');
  await expect(manager.getByRole('region', { name: 'Quiz attempts' }).getByRole('row')).toHaveCount(
    1 + track.requires.filter((r) => 'quiz' in r).length,
  );
  await expect(manager.getByRole('region', { name: 'Role-play runs' }).getByRole('link').first()).toHaveAttribute(
    'href',
    /\/roleplays\/.+\/runs\//,
  );

  // The CSV has the same: the track, Certified, the due date, every requirement met.
  await manager.goto('/team');
  const href = await manager.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await download(manager, href!);
  expect(csv.status).toBe(200);
  const record = csv.text.split('\r\n').find((l) => l.includes(rep.email) && l.includes(track.title));
  expect(record).toBeDefined();
  expect(record).toContain(`,Mandatory,Certified,${total},${total},${due},`);
});

test('a manager cannot see another team: 403 on the page, the CSV and the export, and no row of theirs in any export', async ({
  browser,
}) => {
  // The admin sees every team: read the other team's id and its members' emails from the admin's own view.
  const admin = await asPerson(browser, 'admin@demo.test');
  await admin.goto('/team');
  const otherId = await admin
    .getByLabel('Team', { exact: true })
    .locator('option', { hasText: OTHER_TEAM })
    .getAttribute('value');
  expect(otherId).toBeTruthy();
  await admin.goto(`/team?team=${otherId}`);
  const otherPerson = await admin.getByRole('link', { name: 'Lena Novak' }).getAttribute('href');
  const otherCsv = await download(admin, `/team/export.csv?team=${otherId}`);
  expect(otherCsv.status).toBe(200);
  const otherEmails = otherCsv.text
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split(',')[2]!);
  expect(otherEmails).toContain('rep4@demo.test');

  const manager = await asPerson(browser, MANAGER);
  const page = await manager.goto(`/team?team=${otherId}`);
  expect(page?.status()).toBe(403);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText("You don't have access to this page");
  expect((await download(manager, `/team/export.csv?team=${otherId}`)).status).toBe(403);
  expect((await download(manager, `/api/xapi/statements?team=${otherId}`)).status).toBe(403);

  // Their own exports hold nobody from the other team.
  await manager.goto('/team');
  await expect(manager.getByLabel('Team', { exact: true })).toHaveCount(0);
  const own = await download(
    manager,
    (await manager.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!,
  );
  expect(own.status).toBe(200);
  expect(own.text).toContain('rep1@demo.test');
  for (const email of otherEmails) expect(own.text).not.toContain(email);

  let more = '/api/xapi/statements?limit=200';
  const actors = new Set<string>();
  for (let pages = 0; more && pages < 100; pages += 1) {
    const res = await manager.request.get(more);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-experience-api-version']).toBe('1.0.3');
    const body = (await res.json()) as { statements: { actor: { mbox: string } }[]; more: string };
    for (const s of body.statements) actors.add(s.actor.mbox);
    more = body.more;
  }
  for (const email of otherEmails) expect(actors.has(`mailto:${email}`)).toBe(false);

  // A person of the other team is not found from this manager's side either.
  const repOfOther = await manager.goto(otherPerson!);
  expect(repOfOther?.status()).toBe(404);
});

test('the dashboard, drill-down, overview, trainer analytics and reminders pages pass an axe check', async ({
  browser,
}) => {
  const check = async (page: Page, path: string) => {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(violations.map((v) => `${path}: ${v.id} (${v.nodes.length}) ${v.help}`)).toEqual([]);
  };
  const manager = await asPerson(browser, MANAGER);
  await check(manager, '/team');
  const person = await manager.getByRole('link', { name: 'Ravi Patel' }).getAttribute('href');
  await check(manager, person!);
  const admin = await asPerson(browser, 'admin@demo.test');
  await check(admin, '/admin/overview');
  await check(admin, '/trainer');
  const rep = await asPerson(browser, 'rep3@demo.test');
  await check(rep, '/notices');
  await check(rep, '/learn');
});

test('the daily reminders job writes each reminder once; the learner sees it on /learn and dismisses it', async ({
  browser,
}) => {
  // The job runs against the server's database, as cron would (playwright.config.ts names the file).
  const runJob = () =>
    execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/reminders.ts'], {
      env: { ...process.env, DATABASE_URL: `file:${process.env.E2E_DB_FILE}`, SMTP_URL: '', SMTP_HOST: '' },
      encoding: 'utf8',
    });
  // A rep hired long ago, invited only now: onboarding (due 30 days after hire) is overdue from day one.
  const manager = await asPerson(browser, MANAGER);
  const rep = await inviteRep(browser, manager, 'Otto Overdue', '2024-01-15');
  expect(runJob()).toMatch(/[1-9]\d* new notice\(s\)/);
  expect(runJob()).toMatch(/ 0 new notice\(s\)/);

  await rep.page.goto('/learn');
  const reminders = rep.page.getByRole('region', { name: 'Reminders' });
  await expect(reminders.getByText('Overdue: Customer service onboarding', { exact: true })).toHaveCount(1);
  await reminders.getByRole('button', { name: /Dismiss/ }).click();
  await expect(rep.page).toHaveURL(/\/learn$/);
  await expect(rep.page.getByRole('region', { name: 'Reminders' })).toHaveCount(0);
  await rep.page.goto('/notices');
  await expect(rep.page.getByRole('heading', { name: 'Overdue: Customer service onboarding' })).toBeVisible();
  await expect(rep.page.getByText(/dismissed/)).toBeVisible();
  expect(runJob()).toMatch(/ 0 new notice\(s\)/);
});
