/**
 * The first answer to a judgment case counts; answering again after the reasoning is revealed is practice, and the
 * learner and their manager see it labelled so (issue 12). With and without JavaScript: a new rep of team A answers
 * with the weakest option, reads the reasoning, answers again with the strongest, and the page, the database and
 * the manager's drill-down all keep the first answer on record.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { JudgmentCase } from '../../src/features/content/schema';
import {
  demo,
  DEMO_PASSWORD,
  e2eDb,
  invitePerson,
  NEW_PASSWORD,
  realContent,
  signedIn,
  TEAM_A,
  teamId,
  type Person,
} from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';

let judgmentCase: JudgmentCase;
let caseModule: string;

test.beforeAll(async () => {
  const content = await realContent();
  // The first case with a free-text prompt in a lesson of the rep track (its answers go to the review queue).
  for (const [slug, entry] of content.modules) {
    if (entry.data?.audience !== 'rep') continue;
    const ids = [...entry.text.matchAll(/<JudgmentCase id="([^"]+)"/g)].map((m) => m[1]!);
    const found = ids.map((id) => content.cases.get(id)?.data).find((c) => c?.prompt);
    if (found) {
      judgmentCase = found;
      caseModule = slug;
      break;
    }
  }
});

const byScore = () => [...judgmentCase.options].sort((a, b) => a.score - b.score);

async function newRep(playwright: Parameters<typeof signedIn>[0], baseURL: string, name: string): Promise<Person> {
  const manager = await signedIn(playwright, baseURL, demo.managerA);
  const person = await invitePerson(playwright, baseURL, manager, { name, teamId: await teamId(TEAM_A) });
  await manager.dispose();
  return person;
}

async function browserFor(
  browser: Browser,
  email: string,
  javaScriptEnabled: boolean,
  password = NEW_PASSWORD,
): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

for (const javaScriptEnabled of [true, false]) {
  test(`a second answer to a case is practice, labelled so, and never replaces the first (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({
    browser,
    playwright,
    baseURL,
  }) => {
    const weakest = byScore()[0]!;
    const strongest = byScore().at(-1)!;
    expect(strongest.score).toBeGreaterThan(weakest.score);
    const rep = await newRep(playwright, baseURL!, javaScriptEnabled ? 'Jade Judgment' : 'Noor Nojs Judgment');
    const page = await browserFor(browser, rep.email, javaScriptEnabled);
    const [first, second] = [`${rep.name}'s first thoughts.`, `${rep.name}, after reading the reasons.`];
    await page.goto(`/modules/${caseModule}`);
    const section = page.getByRole('region', { name: judgmentCase.title });
    const ready = () => (javaScriptEnabled ? waitForHydration(section) : Promise.resolve());
    const item = (label: string) => section.locator('.jc-reasons li').filter({ hasText: label });

    // The first answer: no practice label anywhere.
    await ready();
    await expect(section.getByText('Your first answer stays on record')).toHaveCount(0);
    await section.getByRole('radio', { name: weakest.label }).check();
    await section.getByRole('textbox', { name: judgmentCase.prompt!.slice(0, 30) }).fill(first);
    await section.getByRole('button', { name: 'Submit my answer' }).click();
    await expect(section.getByRole('heading', { name: 'How each option plays out' })).toBeVisible();
    await expect(item(weakest.label)).toContainText('Your choice');
    await expect(section.getByText('Practice answer')).toHaveCount(0);

    // Answering again: the form says it is practice before anything is sent.
    await section.getByRole('link', { name: 'Answer again (practice)' }).click();
    await ready();
    await expect(section.getByText('Your first answer stays on record; this one is for practice')).toBeVisible();
    await expect(section.getByRole('button', { name: 'Submit my answer' })).toHaveCount(0);
    await section.getByRole('radio', { name: strongest.label }).check();
    await section.getByRole('textbox', { name: judgmentCase.prompt!.slice(0, 30) }).fill(second);
    await section.getByRole('button', { name: 'Submit a practice answer' }).click();

    // The reveal labels the practice choice and points at the answer on record; a reload shows the same.
    for (const reloaded of [false, true]) {
      if (reloaded) await page.goto(`/modules/${caseModule}`);
      await expect(section.getByText('Practice answer — your first answer is the one on record.')).toBeVisible();
      await expect(item(strongest.label)).toContainText('Your practice choice');
      await expect(item(weakest.label)).toContainText('On record');
      await expect(section.getByText('A practice answer: it is not sent for review.')).toBeVisible();
    }

    // On record: the first answer, with its own score; the later one is kept as practice.
    const { rows } = await e2eDb().execute({
      sql: 'SELECT option_id, auto_score, practice FROM judgment_answer WHERE user_id = ? AND case_id = ? ORDER BY created_at',
      args: [rep.id, judgmentCase.id],
    });
    expect(rows.map((r) => [r.option_id, Number(r.auto_score), Number(r.practice)])).toEqual([
      [weakest.id, weakest.score, 0],
      [strongest.id, strongest.score, 1],
    ]);

    // The manager's drill-down shows both, the second labelled practice and not counted; the queue has the first.
    const managerPage = await browserFor(browser, demo.managerA, javaScriptEnabled, DEMO_PASSWORD);
    await managerPage.goto(`/team/people/${rep.id}`);
    const answers = managerPage.getByRole('region', { name: 'Judgment answers and reviews' }).getByRole('listitem');
    await expect(answers).toHaveCount(2);
    const labelled = managerPage.locator('h3 .status', { hasText: 'Practice' });
    await expect(answers.filter({ has: labelled })).toContainText(
      `chose “${strongest.label}” · practice answer, not counted`,
    );
    await expect(answers.filter({ hasNot: labelled })).toContainText(
      `chose “${weakest.label}” · score ${weakest.score}`,
    );
    await managerPage.goto('/team/reviews');
    await expect(managerPage.getByText(first)).toBeVisible();
    await expect(managerPage.getByText(second)).toHaveCount(0);
    await rep.ctx.dispose();
  });
}
