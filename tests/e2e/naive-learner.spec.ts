/**
 * The naive learner: someone who answers without understanding must not certify. Scripted learners take every quiz
 * of the rep and manager tracks and play every role-play those tracks require, in Chromium against the built
 * server, clicking through the real quiz island and role-play player and reading the score the page shows:
 *
 *   first    always the first option or reply shown (multiple answer: only the first; ordering: as shown)
 *   longest  always the longest (multiple answer: those at least as long as the average; ordering: as shown)
 *   true     every true/false "True", everything else as `first`
 *   false    every true/false "False", everything else as `first`
 *
 * (the same behaviours src/features/reports/naive-strategies.ts simulates for the health page). Each must stay below
 * the pass mark everywhere. Every strategy is a fresh learner, invited through the real invite pages, who attempts
 * each quiz once, so no cooldown or attempt limit is in the way. A result that passes is a soft failure: the run
 * goes on and the summary lists every strategy that got through, and where.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Quiz, Roleplay, Track } from '../../src/features/content/schema';
import { demo, invitePerson, NEW_PASSWORD, realContent, signedIn, TEAM_A, teamId } from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';

type Strategy = 'first' | 'longest' | 'true' | 'false';
interface Outcome {
  strategy: Strategy;
  what: string;
  score: number;
  passMark: number;
}

let tracks: Track[];
let quizzes: Quiz[];
let roleplays: { roleplay: Roleplay; passScore: number }[];

test.beforeAll(async () => {
  const content = await realContent();
  tracks = [...content.tracks.values()]
    .map((e) => e.data!)
    .filter((t) => t.audience === 'rep' || t.audience === 'manager');
  const quizIds = new Set(
    tracks.flatMap((t) => [
      ...t.requires.flatMap((r) => ('quiz' in r ? [r.quiz] : [])),
      ...t.modules.map((m) => content.modules.get(m)!.data!.quiz),
    ]),
  );
  quizzes = [...quizIds].map((id) => content.quizzes.get(id)!.data!);
  roleplays = tracks.flatMap((t) =>
    t.requires.flatMap((r) => {
      if (!('roleplay' in r)) return [];
      const roleplay = content.roleplays.get(r.roleplay)!.data!;
      return [{ roleplay, passScore: r.minScore ?? roleplay.passScore }];
    }),
  );
});

/** The outcomes of one strategy that reached the pass mark, printed so a run says what gets through today. */
function report(strategy: Strategy, outcomes: Outcome[]): void {
  const passed = outcomes.filter((o) => o.score >= o.passMark);
  const lines = passed.map((o) => `  ${o.what}: ${o.score} (pass mark ${o.passMark})`);
  console.log(
    passed.length === 0
      ? `"${strategy}": all ${outcomes.length} attempts and runs stayed below the pass mark`
      : `"${strategy}": ${passed.length} of ${outcomes.length} attempts and runs reached the pass mark:\n${lines.join('\n')}`,
  );
}

/** A fresh learner, signed in in the page. */
async function freshLearner(
  page: Page,
  playwright: Parameters<typeof invitePerson>[0],
  baseURL: string,
  strategy: Strategy,
) {
  const admin = await signedIn(playwright, baseURL, demo.admin);
  const person = await invitePerson(playwright, baseURL, admin, {
    name: `Naive ${strategy}`,
    teamId: await teamId(TEAM_A),
  });
  await person.ctx.dispose();
  await admin.dispose();
  await page.goto('/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** Length of a text as the learner sees it (white space runs count once), as the simulation measures it. */
const shownLength = (text: string) => text.trim().replace(/\s+/g, ' ').length;
const longest = (texts: string[]) =>
  texts.reduce((best, t, i) => (shownLength(t) > shownLength(texts[best]!) ? i : best), 0);

/** Takes one attempt of a quiz with the strategy and returns the score on the result page. */
async function takeQuiz(page: Page, quiz: Quiz, strategy: Strategy): Promise<number> {
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Start the quiz' }).click();
  const player = page.locator('.quiz-player');
  await waitForHydration(page);
  await expect(player.getByRole('navigation', { name: 'Questions' })).toBeVisible();
  const count = await player.locator('.quiz-jump-button').count();
  for (let i = 0; i < count; i++) {
    await expect(player.locator('.quiz-progress')).toContainText(`Question ${i + 1} of ${count}`);
    const question = player.locator('.quiz-question');
    // What the learner sees of the question, read in one go.
    const shown = await question.evaluate((el) => ({
      ordering: el.querySelector('.quiz-order') !== null,
      multiple: el.querySelector('input[type="checkbox"]') !== null,
      trueFalse: el.querySelector('legend')?.textContent?.trim() === 'True or false?',
      texts: [...el.querySelectorAll('label.quiz-option span')].map((s) => s.textContent ?? ''),
    }));
    if (shown.ordering) {
      // Ordering: every fixed strategy leaves the order as shown.
      await question.getByRole('button', { name: 'This order is my answer' }).click();
    } else {
      const { texts } = shown;
      let picks: number[];
      if (shown.trueFalse && (strategy === 'true' || strategy === 'false'))
        picks = [texts.findIndex((t) => t.trim().toLowerCase() === strategy)];
      else if (strategy === 'longest' && shown.multiple) {
        const mean = texts.reduce((sum, t) => sum + shownLength(t), 0) / texts.length;
        picks = texts.flatMap((t, k) => (shownLength(t) >= mean ? [k] : []));
      } else if (strategy === 'longest') picks = [longest(texts)];
      else picks = [0];
      for (const k of picks) await question.locator('label.quiz-option').nth(k).click();
    }
    await player.getByRole('button', { name: i < count - 1 ? 'Next' : 'Review and submit', exact: true }).click();
  }
  await Promise.all([
    page.waitForURL(/\/attempts\/[a-z0-9]+$/),
    player.getByRole('button', { name: /^Submit/ }).click(),
  ]);
  return Number((await page.locator('.quiz-score-number').textContent())!.replace('%', '').trim());
}

/** Plays a role-play from a new run with the strategy and returns the score on the debrief. */
async function playRoleplay(page: Page, roleplay: Roleplay, strategy: Strategy): Promise<number> {
  await page.goto(`/roleplays/${roleplay.id}`);
  await page.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
  await expect(page.getByRole('log', { name: 'Conversation' })).toBeVisible();
  await waitForHydration(page);
  for (let step = 0; step < 100; step++) {
    const replies = page.getByRole('group', { name: 'Your reply' }).getByRole('button');
    const texts = await replies.locator('span').allTextContents();
    await replies.nth(strategy === 'longest' ? longest(texts) : 0).click();
    // The reply either moves the run on (the step field counts it) or ends it (the page opens the debrief).
    const next = await page
      .waitForFunction(
        (expected) =>
          /\/runs\/[a-z0-9]+$/.test(location.pathname) ||
          document.querySelector<HTMLInputElement>('input[name="step"]')?.value === String(expected),
        step + 1,
      )
      .then(() => page.url())
      .catch(() => 'navigating');
    if (next === 'navigating' || /\/runs\/[a-z0-9]+$/.test(new URL(next).pathname)) break;
  }
  await page.waitForURL(/\/runs\/[a-z0-9]+$/);
  const text = await page.getByText(/Score: \d+ \/ 100/).textContent();
  return Number(/Score: (\d+)/.exec(text!)![1]);
}

for (const strategy of ['first', 'longest', 'true', 'false'] as const) {
  test(`a learner who always answers "${strategy}" passes no quiz${strategy === 'first' || strategy === 'longest' ? ' and no required role-play' : ''}`, async ({
    page,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    const outcomes: Outcome[] = [];
    test.info().annotations.push({ type: 'strategy', description: strategy });
    await freshLearner(page, playwright, baseURL!, strategy);
    for (const quiz of quizzes) {
      const score = await takeQuiz(page, quiz, strategy);
      outcomes.push({ strategy, what: `quiz ${quiz.id}`, score, passMark: quiz.passMark });
      expect.soft(score, `"${strategy}" on quiz ${quiz.id}`).toBeLessThan(quiz.passMark);
    }
    // "Always True/False" only differ from "first shown" on true/false questions, which role-plays do not have.
    if (strategy === 'first' || strategy === 'longest') {
      for (const { roleplay, passScore } of roleplays) {
        const score = await playRoleplay(page, roleplay, strategy);
        outcomes.push({ strategy, what: `role-play ${roleplay.id}`, score, passMark: passScore });
        expect.soft(score, `"${strategy}" on role-play ${roleplay.id}`).toBeLessThan(passScore);
      }
    }
    report(strategy, outcomes);
  });
}
