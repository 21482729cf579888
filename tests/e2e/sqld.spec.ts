/**
 * The app on a real libSQL server (sqld, tests/helpers/sqld.ts) with two app processes (WEB_CONCURRENCY=2, one
 * port): a smoke journey in Chromium — sign in, a quiz, a role-play, the manager's dashboard — where consecutive
 * requests land on either process, and a kill -9 of one process under submission load after which every
 * acknowledged submission is found whole. Each test has its own sqld and app; loads are small.
 */
import { expect, test, type Page } from '@playwright/test';
import { closeDb, migrateDb } from '../../db/client';
import { loadValidContent, type Content } from '../../src/features/content/load';
import type { Question, Quiz } from '../../src/features/content/schema';
import { createLearners, openAttempts, storedAttempts, submitAll, type Outcome } from '../helpers/load';
import { bestReplies } from '../helpers/roleplay';
import { builtDist, startServer, type RunningServer } from '../helpers/server';
import { startSqld, type RunningSqld } from '../helpers/sqld';

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'frontline-demo-2026';
const ROLEPLAY = 'late-delivery-promise';
let content: Content;

test.beforeAll(async () => {
  content = await loadValidContent('content');
});

/** sqld, then the app as `npm start` runs it with two processes (it migrates and seeds the demo once). */
async function startCluster(): Promise<{ sqld: RunningSqld; app: RunningServer; stop: () => Promise<void> }> {
  const sqld = await startSqld();
  try {
    const app = await startServer({
      dist: builtDist(),
      dbFile: 'unused',
      env: { DATABASE_URL: sqld.url, WEB_CONCURRENCY: '2' },
    });
    await expect.poll(() => workerPids(app).length, { timeout: 30_000 }).toBe(2);
    return {
      sqld,
      app,
      stop: async () => {
        await app.stop();
        await sqld.stop();
      },
    };
  } catch (e) {
    await sqld.stop();
    throw e;
  }
}

function workerPids(app: RunningServer): number[] {
  return [...app.output().matchAll(/listening on \S+ \(app process (\d+)\)/g)].map((m) => Number(m[1]));
}

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/(learn|team)$/);
}

/** The content question a legend shows (scenario questions may share a prompt). */
function questionShown(quiz: Quiz, prompt: string, scenario: string | null): Question {
  const q = quiz.questions.find(
    (x) => prompt.trim().endsWith(x.prompt.trim()) && (x.scenario ?? null) === (scenario?.trim() || null),
  );
  if (!q) throw new Error(`no question of ${quiz.id} matches "${prompt}"`);
  return q;
}

/** Without JavaScript: every question on one form, answered with the key. */
async function passQuiz(page: Page, quiz: Quiz) {
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: /^Start (the quiz|attempt)/ }).click();
  const groups = page.locator('form.quiz-form fieldset.quiz-options');
  for (let i = 0; i < (await groups.count()); i++) {
    const group = groups.nth(i);
    const scenario = group.locator('.quiz-scenario');
    const q = questionShown(
      quiz,
      await group.locator('legend').innerText(),
      (await scenario.count()) > 0 ? await scenario.first().innerText() : null,
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
  await expect(page).toHaveURL(new RegExp(`/quizzes/${quiz.id}/attempts/[a-z2-7]+$`));
  await expect(page.getByText('Passed', { exact: true }).first()).toBeVisible();
}

test('smoke on sqld with two app processes: sign in, pass a quiz, play a role-play, the manager sees both', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { app, stop } = await startCluster();
  try {
    const rep = await (await browser.newContext({ baseURL: app.url, javaScriptEnabled: false })).newPage();
    await signIn(rep, 'rep1@demo.test');
    const track = [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
    const quizId = track.requires.flatMap((r) => ('quiz' in r ? [r.quiz] : []))[0]!;
    const quiz = content.quizzes.get(quizId)!.data!;
    await passQuiz(rep, quiz);

    const player = await (await browser.newContext({ baseURL: app.url })).newPage();
    await signIn(player, 'rep1@demo.test');
    await player.goto(`/roleplays/${ROLEPLAY}`);
    await player.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
    for (const text of bestReplies(content.roleplays.get(ROLEPLAY)!.data!))
      await player.getByRole('button', { name: text, exact: true }).click();
    await expect(player).toHaveURL(new RegExp(`/roleplays/${ROLEPLAY}/runs/`));

    const manager = await (await browser.newContext({ baseURL: app.url })).newPage();
    await signIn(manager, 'manager1@demo.test');
    await manager.goto('/team');
    await manager.getByRole('link', { name: 'Ravi Patel' }).first().click();
    await expect(manager.getByRole('heading', { level: 1 })).toHaveText('Ravi Patel');
    await expect(manager.getByRole('region', { name: 'Quiz attempts' })).toContainText(quiz.title);
    await expect(manager.getByRole('region', { name: 'Role-play runs' }).getByRole('link').first()).toHaveAttribute(
      'href',
      /\/roleplays\/.+\/runs\//,
    );
    // Both processes served this journey.
    expect(workerPids(app)).toHaveLength(2);
  } finally {
    await stop();
  }
});

test('kill -9 of one app process under load: every acknowledged submission is stored whole, the other serves on', async () => {
  test.setTimeout(120_000);
  const { sqld, app, stop } = await startCluster();
  try {
    process.env.DATABASE_URL = sqld.url;
    closeDb();
    await migrateDb();
    const subs = await openAttempts(await createLearners(24, 'sqld-kill'), 3);
    const ok = (o: Outcome): o is Extract<Outcome, { status: number }> =>
      'status' in o && o.status >= 200 && o.status < 300;
    const [victim] = workerPids(app);
    let ackedAtKill = 0;
    const outcomes = await submitAll([app.url], subs, 8, (_o, done) => {
      if (ackedAtKill === 0 && done.filter(ok).length >= 20) {
        ackedAtKill = done.filter(ok).length;
        process.kill(victim!, 'SIGKILL');
      }
    });
    const acked = new Set(outcomes.filter(ok).map((o) => o.attemptId));
    // The survivor (and the replacement the primary starts) went on serving after the kill.
    expect(acked.size).toBeGreaterThan(ackedAtKill + 10);
    // Whatever failed failed at the network level (cut off by the kill) or as a refusal, never as a server error.
    expect(outcomes.filter((o) => 'status' in o && o.status >= 500)).toEqual([]);
    await expect
      .poll(() => app.output())
      .toMatch(new RegExp(`App process ${victim} ended \\(SIGKILL\\); starting another`));
    const stored = await storedAttempts(subs.map((s) => s.attemptId));
    for (const s of subs.filter((x) => acked.has(x.attemptId))) {
      expect(stored.get(s.attemptId), s.attemptId).toMatchObject({
        status: 'submitted',
        score: s.expected.score,
        answers: s.expected.answers.length,
        standardRows: s.expected.answers.reduce((n, a) => n + a.standards.length, 0),
      });
    }
    // No attempt is half-graded: answers exist exactly for submitted attempts.
    for (const row of stored.values())
      expect({ id: row.id, answers: row.answers > 0 }).toEqual({ id: row.id, answers: row.status === 'submitted' });
  } finally {
    closeDb();
    await stop();
  }
  expect(await app.exited).toBe(0);
});
