/**
 * The written channels, played end to end in Chromium by a fresh rep: a chat (one-star-threat), an email thread
 * (told-twenty-eight-days) and a public social thread (public-complaint). Each is drawn as people see it — chat
 * bubbles with the customer's name, an email with From/To and a draft reply, posts with handles and a "Public reply"
 * tag — and each is played to its best ending by the words of the best reply wherever this run shows it, with
 * JavaScript (the island) for chat and social and without it (plain form posts) for email.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Roleplay } from '../../src/features/content/schema';
import { applyChoice, initialPosition, wordsAt } from '../../src/features/roleplay/roleplay';
import { handleOf } from '../../src/features/roleplay/channel';
import { demo, invitePerson, NEW_PASSWORD, realContent, signedIn, TEAM_A, teamId } from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';

/** The best reply's words at every turn, and the line the customer answers with (as it reads in that state). */
function bestTurns(rp: Roleplay): { text: string; next?: string; ending?: string }[] {
  let pos = initialPosition(rp);
  const turns: { text: string; next?: string; ending?: string }[] = [];
  for (let i = 0; i < 60; i++) {
    const choices = rp.nodes[pos.nodeId]!.choices;
    const best = choices.find((c) => c.best) ?? choices[0]!;
    const out = applyChoice(rp, pos, best.id);
    if (!out.ok) throw new Error(out.message);
    if (out.next.kind === 'ending') return [...turns, { text: best.text, ending: out.next.id }];
    turns.push({ text: best.text, next: wordsAt(rp.nodes[out.next.id]!, out.state).line });
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error(`${rp.id}: no ending within 60 replies`);
}

async function freshRep(
  browser: Browser,
  playwright: Parameters<typeof invitePerson>[0],
  baseURL: string,
  name: string,
  javaScriptEnabled = true,
): Promise<Page> {
  const admin = await signedIn(playwright, baseURL, demo.admin);
  const person = await invitePerson(playwright, baseURL, admin, { name, teamId: await teamId(TEAM_A) });
  await person.ctx.dispose();
  await admin.dispose();
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

const replyButton = (page: Page, text: string) =>
  page
    .getByRole('group', { name: 'Your reply' })
    .getByRole('button')
    .filter({ hasText: text.trim().replace(/\s+/g, ' ').slice(0, 60) });

/** Plays the best path; returns on the debrief. With JavaScript each reply lands in the log without a page load. */
async function playBest(page: Page, rp: Roleplay, js: boolean) {
  await page.goto(`/roleplays/${rp.id}`);
  // A run already open (the page shows it) is resumed; otherwise start one.
  const start = page.getByRole('button', { name: /^(Start the conversation|Play again)$/ });
  if (await start.count()) await start.click();
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toContainText(wordsAt(rp.nodes[rp.start]!, initialPosition(rp).state).line.slice(0, 40));
  if (js) await waitForHydration(page);
  for (const turn of bestTurns(rp)) {
    await replyButton(page, turn.text).click();
    if (turn.next) await expect(log).toContainText(turn.next.trim().replace(/\s+/g, ' ').slice(0, 50));
  }
  await page.waitForURL(new RegExp(`/roleplays/${rp.id}/runs/[a-z0-9]+$`));
  const ending = rp.endings[bestTurns(rp).at(-1)!.ending!]!;
  await expect(page.getByRole('heading', { name: `Ending: ${ending.title}` })).toBeVisible();
  await expect(page.getByText(`Score: ${ending.score} / 100`)).toBeVisible();
  expect(ending.score).toBeGreaterThanOrEqual(rp.passScore);
}

let roleplays: Map<string, Roleplay>;
test.beforeAll(async () => {
  const content = await realContent();
  roleplays = new Map([...content.roleplays].map(([id, e]) => [id, e.data!]));
});

test('a chat reads as chat bubbles with names, and plays to its best ending', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const rp = roleplays.get('one-star-threat')!;
  expect(rp.channel).toBe('chat');
  const page = await freshRep(browser, playwright, baseURL!, 'Chip Chat');
  await page.goto(`/roleplays/${rp.id}`);
  await page.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
  await waitForHydration(page);
  await expect(page.locator('.rp-player.rp-ch-chat')).toBeVisible();
  await expect(page.getByRole('heading', { name: `Chat with ${rp.persona.name}` })).toBeVisible();
  const first = page.locator('.rp-msg.rp-them').first();
  await expect(first.locator('.rp-who')).toHaveText(rp.persona.name);
  // The reply goes out as the learner's own bubble.
  const [opening] = bestTurns(rp);
  await replyButton(page, opening!.text).click();
  await expect(page.locator('.rp-msg.rp-you').first()).toContainText(
    opening!.text.trim().replace(/\s+/g, ' ').slice(0, 40),
  );
  await page.context().close();
  await playBest(await freshRep(browser, playwright, baseURL!, 'Chip Chat Again'), rp, true);
});

test('an email thread shows From and To and a draft reply, and plays without JavaScript to its best ending', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const rp = roleplays.get('told-twenty-eight-days')!;
  expect(rp.channel).toBe('email');
  const page = await freshRep(browser, playwright, baseURL!, 'Emma Mail', false);
  await page.goto(`/roleplays/${rp.id}`);
  await page.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
  await expect(page.locator('.rp-player.rp-ch-email')).toBeVisible();
  await expect(page.locator('.rp-msg.rp-them').first().locator('.rp-who')).toHaveText(`From: ${rp.persona.name}`);
  await expect(page.locator('.rp-draft-head')).toBeVisible();
  await playBest(page, rp, false);
});

test('a public complaint is a thread of posts with handles, the replies tagged public', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const rp = roleplays.get('public-complaint')!;
  expect(rp.channel).toBe('social');
  const page = await freshRep(browser, playwright, baseURL!, 'Sol Social');
  await page.goto(`/roleplays/${rp.id}`);
  await page.getByRole('button', { name: /^(Start the conversation|Play again)$/ }).click();
  await waitForHydration(page);
  await expect(page.locator('.rp-player.rp-ch-social')).toBeVisible();
  await expect(page.locator('.rp-msg.rp-them').first().locator('.rp-handle')).toHaveText(handleOf(rp.persona.name));
  const [opening] = bestTurns(rp);
  await replyButton(page, opening!.text).click();
  const mine = page.locator('.rp-msg.rp-you').first();
  await expect(mine.locator('.rp-tag')).toContainText('Public reply');
  await expect(mine.locator('.rp-handle')).toHaveText('@customercare');
  await page.context().close();
  await playBest(await freshRep(browser, playwright, baseURL!, 'Sol Social Again'), rp, true);
});
