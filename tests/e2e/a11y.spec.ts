/**
 * Accessibility of every kind of page, in Chromium against the built server: axe (WCAG 2.0, 2.1 and 2.2, levels A
 * and AA) reports no violation on any page a person of any role reaches — including the states islands move
 * through (a quiz question, an ordering question, the review step, the result; a role-play mid-conversation and its
 * debrief) and pages showing a refusal. And the quiz can be taken with the keyboard alone: Tab, arrow keys, Space
 * and Enter, from the start button to the result. (Role-plays by keyboard alone: tests/e2e/roleplay.spec.ts.)
 *
 * People and records are made through the real invite pages and actions (tests/helpers/e2e-world.ts); answers come
 * from content/, as a learner who knows the material would answer.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { Question, Quiz } from '../../src/features/content/schema';
import {
  callAction,
  certifyRep,
  createInviteLink,
  DEMO_PASSWORD,
  demo,
  invitePerson,
  NEW_PASSWORD,
  realContent,
  signedIn,
  startQuiz,
  submitQuiz,
  TEAM_A,
  teamId,
  writtenCase,
  type Person,
} from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';
import { pathsToEndings } from '../helpers/roleplay';
import { drawQuestions } from '../../src/features/quiz/quiz';
import { derivedSeed } from '../../src/lib/server/seeds';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = violations.map(
    (v) =>
      `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
}

/** A browser context signed in as `email` (through the sign-in form's endpoint; the context shares its cookies). */
async function personContext(
  browser: Browser,
  baseURL: string,
  email: string | null,
  password = DEMO_PASSWORD,
  javaScriptEnabled = true,
): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled });
  if (email) {
    const res = await context.request.post('/login', {
      form: { email, password },
      headers: { origin: baseURL },
      maxRedirects: 0,
    });
    expect(res.status(), `sign in as ${email}`).toBe(303);
  }
  return context;
}

async function visit(context: BrowserContext, path: string, status = 200): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(status);
  return page;
}

interface World {
  rep: Person;
  code: string;
  passedAttempt: string;
  passedQuiz: string;
  run: string;
  roleplay: string;
  /** The run whose end completed the track: its debrief shows the certificate moment. */
  certifyingRun: string;
  certifyingRoleplay: string;
  caseModule: string;
  caseId: string;
  invite: string;
}
let world: World;

test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const rep = await invitePerson(playwright, baseURL!, mgrA, { name: 'Aria Access', teamId: await teamId(TEAM_A) });
  const { code, attempts, runs } = await certifyRep(rep.ctx, rep.id);
  const written = await writtenCase();
  const answered = await callAction(rep.ctx, 'judgment.answer', [
    ['case', written.caseId],
    ['option', written.optionId],
    ['text', 'I would let him finish, then paraphrase.'],
  ]);
  expect(answered.status()).toBe(200);
  const content = await realContent();
  const track = [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
  const passedQuiz = track.requires.flatMap((r) => ('quiz' in r ? [r.quiz] : []))[0]!;
  const roleplay = track.requires.flatMap((r) => ('roleplay' in r ? [r.roleplay] : []))[0]!;
  world = {
    rep,
    code,
    passedAttempt: attempts[0]!,
    passedQuiz,
    run: runs[0]!,
    roleplay,
    certifyingRun: runs.at(-1)!,
    certifyingRoleplay: track.requires.flatMap((r) => ('roleplay' in r ? [r.roleplay] : [])).at(-1)!,
    caseModule: written.module,
    caseId: written.caseId,
    invite: await createInviteLink(mgrA, {
      email: `axe.invitee.${Date.now()}@demo.test`,
      teamId: await teamId(TEAM_A),
    }),
  };
  await mgrA.dispose();
});

test('pages anyone can reach: sign-in (also with an error), verification, an invite, not found', async ({
  browser,
  baseURL,
}) => {
  const anon = await personContext(browser, baseURL!, null);
  const login = await visit(anon, '/login');
  await expectNoViolations(login, '/login');
  await login.getByLabel('Email').fill('nobody@demo.test');
  await login.getByLabel('Password').fill('not the password');
  await login.getByRole('button', { name: 'Sign in' }).click();
  await expect(login.getByRole('alert')).toBeVisible();
  await expectNoViolations(login, '/login with a refusal');
  await expectNoViolations(await visit(anon, '/verify'), '/verify');
  await expectNoViolations(await visit(anon, `/verify/${world.code}`), '/verify/<code>');
  await expectNoViolations(await visit(anon, `/invite/${world.invite}`), '/invite/<token>');
  await expectNoViolations(await visit(anon, '/no-such-page', 404), '404 page');
  await anon.close();
});

test('a learner’s pages: learn, tracks, lessons, a judgment case answered, certificate, reminders, account, 403', async ({
  browser,
  baseURL,
}) => {
  const rep = await personContext(browser, baseURL!, world.rep.email, NEW_PASSWORD);
  const content = await realContent();
  const track = [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
  for (const path of [
    '/learn',
    '/tracks',
    `/tracks/${track.id}`,
    `/modules/${track.modules[0]}`,
    // Job aids share one template; the one with a table and a key point stands for all.
    '/modules/measuring-service/job-aid',
    '/notices',
    '/account',
  ]) {
    await expectNoViolations(await visit(rep, path), path);
  }
  const lesson = await visit(rep, `/modules/${world.caseModule}`);
  // The answered case is server-rendered only; an unanswered one is a client:visible island that hydrates when it
  // scrolls into view. The page is checked with both.
  const answeredCase = lesson.locator(`#case-${world.caseId}`);
  await expect(answeredCase.getByRole('heading', { name: 'How each option plays out' })).toBeVisible();
  await expect(answeredCase.locator('astro-island')).toHaveCount(0);
  await waitForHydration(lesson.locator('section.judgment-case:has(astro-island)').first());
  await expectNoViolations(
    lesson,
    `/modules/${world.caseModule} (a judgment case answered, another's island hydrated)`,
  );
  await expectNoViolations(await visit(rep, `/certificates/${world.code}`), '/certificates/<code>');
  await expectNoViolations(
    await visit(rep, `/quizzes/${world.passedQuiz}/attempts/${world.passedAttempt}`),
    'quiz result, passed (with review)',
  );
  await expectNoViolations(await visit(rep, `/roleplays/${world.roleplay}/runs/${world.run}`), 'role-play debrief');
  await expectNoViolations(await visit(rep, '/admin/users', 403), '403 page');
  await rep.close();
});

test('a lesson with knowledge checks and media through its states: a check answered (with and without JavaScript), the lesson finished', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const learner = await invitePerson(playwright, baseURL!, mgrA, { name: 'Lena Lesson', teamId: await teamId(TEAM_A) });
  await mgrA.dispose();
  // The greeting lesson has checks, recordings with transcripts and a figure.
  const path = '/modules/greeting-and-attitude';
  for (const javaScriptEnabled of [true, false]) {
    const context = await personContext(browser, baseURL!, learner.email, NEW_PASSWORD, javaScriptEnabled);
    let page = await visit(context, path);
    const check = () => page.locator('.kit-check').first();
    await check().getByRole('radio').first().check();
    await check().getByRole('button', { name: 'Check my answer' }).click();
    if (!javaScriptEnabled) {
      // The page a no-JS answer reloads to, checked by axe (which needs JavaScript) in a context that has it.
      await expect(page).toHaveURL(/choice=/);
      const url = page.url();
      await context.close();
      page = await visit(await personContext(browser, baseURL!, learner.email, NEW_PASSWORD), url);
    }
    await expect(check().locator('[data-feedback]:visible')).toHaveCount(1);
    await expectNoViolations(
      page,
      `${path} (a check answered, ${javaScriptEnabled ? 'in place' : 'reloaded without JavaScript'})`,
    );
    if (javaScriptEnabled) {
      await page.getByRole('button', { name: 'Finish the lesson' }).click();
      await expect(page.getByRole('heading', { name: 'Lesson complete' })).toBeVisible();
      await expectNoViolations(page, `${path} (lesson complete)`);
    }
    await page.context().close();
  }
});

test('a quiz through its states: start, a question, an ordering question, review, a failed result; and without JavaScript', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const learner = await invitePerson(playwright, baseURL!, mgrA, { name: 'Quinn Quiz', teamId: await teamId(TEAM_A) });
  await mgrA.dispose();
  const quizzes = [...(await realContent()).quizzes.keys()];
  const context = await personContext(browser, baseURL!, learner.email, NEW_PASSWORD);
  const page = await visit(context, `/quizzes/${quizzes[0]}`);
  await expectNoViolations(page, 'quiz start page');
  await page.getByRole('button', { name: 'Start the quiz', exact: true }).click();
  await waitForHydration(page);
  await expect(page.getByText(/^Question 1 of \d+/)).toBeVisible();
  await expectNoViolations(page, 'quiz question');
  while (await page.getByRole('button', { name: 'Next', exact: true }).isVisible()) {
    if (await page.getByRole('button', { name: /^Move up: / }).count()) {
      await expectNoViolations(page, 'quiz ordering question');
    }
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await page.getByRole('button', { name: 'Review and submit', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Ready to submit?' })).toBeFocused();
  await expectNoViolations(page, 'quiz review step (unanswered questions)');
  await page.getByRole('button', { name: /^Submit with \d+ unanswered$/ }).click();
  await expect(page).toHaveURL(/\/attempts\//);
  await expect(page.getByText('Not passed', { exact: true }).first()).toBeVisible();
  await expectNoViolations(page, 'quiz result, not passed');

  // What a browser without JavaScript gets: the island's scripts never load. (axe itself needs JavaScript in the
  // page, so the page keeps it; only the app's own scripts are blocked.)
  const noJs = await browser.newContext({ storageState: await context.storageState() });
  await noJs.route('**/_astro/**/*.js', (route) => route.abort());
  const plain = await visit(noJs, `/quizzes/${quizzes[1]}`);
  await plain.getByRole('button', { name: 'Start the quiz', exact: true }).click();
  await expect(plain.locator('form.quiz-form')).toBeVisible();
  await expectNoViolations(plain, 'quiz as a plain form (no JavaScript)');
  await noJs.close();
  await context.close();
});

test('between attempts: the countdown, practice with an answer checked (with and without JavaScript), the certificate moment', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const learner = await invitePerson(playwright, baseURL!, mgrA, { name: 'Wes Wait', teamId: await teamId(TEAM_A) });
  await mgrA.dispose();
  const [quiz] = [...(await realContent()).quizzes.keys()];
  await submitQuiz(learner.ctx, await startQuiz(learner.ctx, quiz!), false);
  const context = await personContext(browser, baseURL!, learner.email, NEW_PASSWORD);
  const page = await visit(context, `/quizzes/${quiz}`);
  await expect(page.getByRole('timer')).toBeVisible();
  await expectNoViolations(page, 'quiz page during the wait (countdown, practice)');
  await page.getByRole('button', { name: 'Practise while you wait', exact: true }).click();
  await waitForHydration(page);
  const choice = page.locator('section.quiz-question input');
  if (await choice.count()) await choice.first().check();
  await page.getByRole('button', { name: 'Check my answer', exact: true }).click();
  await expect(page.locator('.quiz-feedback')).toBeFocused();
  await expectNoViolations(page, 'practice question with its feedback');
  const noJs = await browser.newContext({ storageState: await context.storageState() });
  await noJs.route('**/_astro/**/*.js', (route) => route.abort());
  await expectNoViolations(
    await visit(noJs, `/quizzes/${quiz}`),
    'practice as plain forms, one answer checked (no JavaScript)',
  );
  await noJs.close();
  await context.close();

  // The role-play run that completed the track shows the certificate moment.
  const rep = await personContext(browser, baseURL!, world.rep.email, NEW_PASSWORD);
  const moment = await visit(rep, `/roleplays/${world.certifyingRoleplay}/runs/${world.certifyingRun}`);
  await expect(moment.getByRole('region', { name: 'You are certified' })).toBeVisible();
  await expectNoViolations(moment, 'role-play debrief that completed the track (the certificate moment)');
  await rep.close();
});

test('a role-play: before the start, mid-conversation, the debrief', async ({ browser, baseURL, playwright }) => {
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const learner = await invitePerson(playwright, baseURL!, mgrA, {
    name: 'Rory Roleplay',
    teamId: await teamId(TEAM_A),
  });
  await mgrA.dispose();
  const roleplay = (await realContent()).roleplays.get(world.roleplay)!.data!;
  const paths = pathsToEndings(roleplay);
  const path = [...paths.values()].sort((a, b) => b.length - a.length)[0]!;
  const context = await personContext(browser, baseURL!, learner.email, NEW_PASSWORD);
  const page = await visit(context, `/roleplays/${roleplay.id}`);
  await expectNoViolations(page, 'role-play start page');
  await page.getByRole('button', { name: 'Start the conversation', exact: true }).click();
  await waitForHydration(page);
  const texts = new Map(Object.values(roleplay.nodes).flatMap((n) => n.choices.map((c) => [c.id, c.text] as const)));
  for (const [i, choice] of path.entries()) {
    await page.getByRole('button', { name: texts.get(choice)!, exact: true }).click();
    if (i === 0) {
      await expect(page.getByRole('button', { name: texts.get(path[1]!)!, exact: true })).toBeVisible();
      await expectNoViolations(page, 'role-play mid-conversation');
    }
  }
  await expect(page).toHaveURL(/\/runs\//);
  await expectNoViolations(page, 'role-play debrief');
  await context.close();
});

// One test per role: each axe pass costs seconds of CPU on a loaded machine, so twenty of them under one test's
// budget timed out; split, each test's budget covers the pages it checks.
test('manager pages: team, drill-down, runs, reviews, invites', async ({ browser, baseURL }) => {
  const mgr = await personContext(browser, baseURL!, demo.managerA);
  for (const path of [
    '/team',
    `/team?team=${await teamId(TEAM_A)}`,
    `/team/people/${world.rep.id}`,
    `/team/people/${world.rep.id}/runs`,
    '/team/reviews',
    '/team/invites',
  ]) {
    await expectNoViolations(await visit(mgr, path), path);
  }
  await mgr.close();
});

test('manager invites: a created invite link and a field error', async ({ browser, baseURL }) => {
  const mgr = await personContext(browser, baseURL!, demo.managerA);
  const invites = await visit(mgr, '/team/invites');
  await invites.getByLabel('Email').fill(`axe.created.${Date.now()}@demo.test`);
  await invites.getByRole('button', { name: 'Create invite link' }).click();
  await expect(invites.getByLabel('Invite link')).toBeVisible();
  await expectNoViolations(invites, '/team/invites with a created link');
  await invites.getByLabel('Email').fill('not an email');
  await invites.getByRole('button', { name: 'Create invite link' }).click();
  await expect(invites.locator('.field-error')).toBeVisible();
  await expectNoViolations(invites, '/team/invites with a field error');
  await mgr.close();
});

test('trainer pages: dashboard, content, previews', async ({ browser, baseURL }) => {
  const content = await realContent();
  const trainer = await personContext(browser, baseURL!, demo.trainer);
  for (const path of [
    '/trainer',
    '/trainer/content',
    '/trainer/preview',
    `/trainer/preview/quizzes/${[...content.quizzes.keys()][0]}`,
    `/trainer/preview/roleplays/${world.roleplay}`,
  ]) {
    await expectNoViolations(await visit(trainer, path), path);
  }
  await trainer.close();
});

test('admin pages: users, a person, certificates, overview, sign-on, SCIM tokens, a certificate', async ({
  browser,
  baseURL,
}) => {
  const admin = await personContext(browser, baseURL!, demo.admin);
  for (const path of [
    '/admin/users',
    `/admin/users/${world.rep.id}`,
    '/admin/certificates',
    '/admin/overview',
    '/admin/sso',
    '/admin/scim-tokens',
    `/certificates/${world.code}`,
  ]) {
    await expectNoViolations(await visit(admin, path), path);
  }
  await admin.close();
});

// ---------------------------------------------------------------------------------------------- keyboard only

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after a page's worth of stops. */
async function tabTo(page: Page, target: Locator, backwards = false) {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not Tab to ${target}`);
}

function questionShown(quiz: Quiz, heading: string, scenario: string | null): Question {
  const prompt = heading.replace(/^Question \d+:\s*/, '').trim();
  const q = quiz.questions.find(
    (x) => x.prompt.trim() === prompt && (x.scenario?.trim() ?? null) === (scenario?.trim() || null),
  );
  if (!q) throw new Error(`no question of ${quiz.id} reads "${prompt}"`);
  return q;
}

test('assessment health: a track with all its tables, and the details opened', async ({ browser, baseURL }) => {
  const trainer = await personContext(browser, baseURL!, demo.trainer);
  const page = await visit(trainer, '/trainer/health');
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  await expectNoViolations(page, '/trainer/health');
  await trainer.close();
});

test('a quiz with the keyboard alone: Tab, arrows, Space and Enter from the start button to a passed result', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const content = await realContent();
  // A quiz without a time limit whose pool has every kind of control (ordering, check boxes, radio buttons), and a
  // learner whose draw of it (the browser tests' reproducible seeds) shows them all.
  const hasAll = (kinds: Set<string>) =>
    kinds.has('ordering') && kinds.has('multiple') && (kinds.has('single') || kinds.has('scenario'));
  const quiz = [...content.quizzes.values()]
    .map((e) => e.data!)
    .find((q) => !q.timeLimitMinutes && hasAll(new Set(q.questions.map((x) => x.kind))))!;
  const kindsDrawn = (name: string) =>
    new Set(
      drawQuestions(quiz, derivedSeed(name, `quiz:${quiz.id}`, 0)).map(
        (f) => quiz.questions.find((x) => x.id === f.id)!.kind,
      ),
    );
  const name = Array.from({ length: 500 }, (_, i) => `Kit Keyboard ${i}`).find((n) => hasAll(kindsDrawn(n)))!;
  const mgrA = await signedIn(playwright, baseURL!, demo.managerA);
  const learner = await invitePerson(playwright, baseURL!, mgrA, { name, teamId: await teamId(TEAM_A) });
  await mgrA.dispose();
  const context = await personContext(browser, baseURL!, learner.email, NEW_PASSWORD);
  const page = await visit(context, `/quizzes/${quiz.id}`);

  await tabTo(page, page.getByRole('button', { name: 'Start the quiz', exact: true }));
  await page.keyboard.press('Enter');
  await waitForHydration(page);
  const total = Math.min(quiz.draw ?? quiz.questions.length, quiz.questions.length);
  const kinds = new Set<string>();
  for (let i = 0; i < total; i++) {
    const section = page.locator('section.quiz-question');
    await expect(section.locator('h2')).toContainText(`Question ${i + 1}:`);
    const scenario = (await section.locator('.quiz-scenario').count())
      ? await section.locator('.quiz-scenario').innerText()
      : null;
    const q = questionShown(quiz, await section.locator('h2').innerText(), scenario);
    kinds.add(q.kind);
    if (q.kind === 'ordering') {
      // Move each item up into its place with Enter on its "Move up" button (focus follows the item).
      for (const [k, option] of q.options.entries()) {
        const items = await page.locator('.quiz-order-text').allInnerTexts();
        const from = items.indexOf(option.text);
        if (from === k) continue;
        await tabTo(page, page.getByRole('button', { name: `Move up: ${option.text}`, exact: true }));
        for (let j = from; j > k; j--) await page.keyboard.press('Enter');
      }
      const confirm = page.getByRole('button', { name: 'This order is my answer', exact: true });
      if (await confirm.isVisible()) {
        await tabTo(page, confirm);
        await page.keyboard.press('Enter');
      }
      await expect(page.locator('.quiz-order-text')).toHaveText(q.options.map((o) => o.text));
    } else if (q.kind === 'multiple') {
      for (const option of q.options.filter((o) => o.correct)) {
        const box = page.getByRole('checkbox', { name: option.text, exact: true });
        await tabTo(page, box);
        await page.keyboard.press('Space');
        await expect(box).toBeChecked();
      }
    } else {
      // A radio group: Tab enters it on the first option; arrow keys move to (and choose) the others.
      const radios = section.getByRole('radio');
      const labels = await radios.evaluateAll((els) =>
        els.map((el) => el.closest('label')!.querySelector('span:not([aria-hidden])')!.textContent!.trim()),
      );
      const want = labels.indexOf(q.options.find((o) => o.correct)!.text.trim());
      await tabTo(page, radios.first());
      if (want === 0) await page.keyboard.press('Space');
      for (let k = 0; k < want; k++) await page.keyboard.press('ArrowDown');
      await expect(radios.nth(want)).toBeChecked();
    }
    const next = page.getByRole('button', { name: i === total - 1 ? 'Review and submit' : 'Next', exact: true });
    await tabTo(page, next);
    await page.keyboard.press('Enter');
    if (i < total - 1) await expect(section.locator('h2')).toBeFocused();
  }
  await expect(page.getByRole('heading', { name: 'Ready to submit?' })).toBeFocused();
  await expect(page.getByText('You have answered every question.')).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Submit answers', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/quizzes/${quiz.id}/attempts/`));
  await expect(page.getByText('Passed', { exact: true }).first()).toBeVisible();
  // The quiz had each kind of control this test drives.
  expect([...kinds]).toEqual(expect.arrayContaining(['ordering', 'multiple']));
  await context.close();
});
