/**
 * Role-plays and judgment cases in a real browser against the built server (demo data). The replies to press are
 * worked out from the real content with the same pure traversal the server uses, so the test follows whatever the
 * writers authored: the best reply at every turn for a good ending, and the shortest path to the lowest-scoring
 * ending for a bad one. Each reply is found by its words wherever this run shows it (the order is the run's own),
 * and pressed with the number key of that place.
 *
 * Demo people used here (so other specs' data does not get in the way): Omar Haddad (manager2) manages Lena Novak
 * (rep4) and Grace Kim (rep6); Mia Chen (manager1) manages neither.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { loadValidContent } from '../../src/features/content/load';
import type { JudgmentCase, Roleplay } from '../../src/features/content/schema';
import { applyChoice, initialPosition, wordsAt } from '../../src/features/roleplay/roleplay';
import { waitForHydration } from '../helpers/islands';
import { pathsToEndings } from '../helpers/roleplay';

const PASSWORD = 'frontline-demo-2026';
const ROLEPLAY = 'late-delivery-promise';
let roleplay: Roleplay;
let judgmentCase: JudgmentCase;
let caseModule: string;
const standardTitles = new Map<string, string>();

test.beforeAll(async () => {
  const content = await loadValidContent('content');
  roleplay = content.roleplays.get(ROLEPLAY)!.data!;
  for (const [id, e] of content.standards) standardTitles.set(id, e.data!.title);
  // The first case with a free-text prompt in a lesson of the rep track.
  for (const [slug, entry] of content.modules) {
    const ids = [...entry.text.matchAll(/<JudgmentCase id="([^"]+)"/g)].map((m) => m[1]!);
    const found = ids.map((id) => content.cases.get(id)?.data).find((c) => c?.prompt);
    if (found && entry.data?.audience === 'rep') {
      judgmentCase = found;
      caseModule = slug;
      break;
    }
  }
});

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/login') && r.request().method() === 'POST' && r.status() === 303),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

async function personPage(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signIn(page, email);
  return page;
}

/** One turn: where it happens, the words of the reply to pick, what the customer says next (or the ending reached). */
interface Turn {
  nodeId: string;
  choiceId: string;
  text: string;
  nextLine?: string;
  ending?: string;
}

function turnsFor(path: string[] | 'best'): Turn[] {
  let pos = initialPosition(roleplay);
  const turns: Turn[] = [];
  for (let i = 0; i < 100; i++) {
    const choices = roleplay.nodes[pos.nodeId]!.choices;
    const id = path === 'best' ? (choices.find((c) => c.best) ?? choices[0]!).id : path[i]!;
    const out = applyChoice(roleplay, pos, id);
    if (!out.ok) throw new Error(out.message);
    const text = choices.find((c) => c.id === id)!.text;
    if (out.next.kind === 'ending') return [...turns, { nodeId: pos.nodeId, choiceId: id, text, ending: out.next.id }];
    // The next line as it reads in the state the learner arrives in (a node may have variants).
    turns.push({
      nodeId: pos.nodeId,
      choiceId: id,
      text,
      nextLine: wordsAt(roleplay.nodes[out.next.id]!, out.state).line,
    });
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error('no ending');
}

/** The 1-based place of the reply with these words among the replies this run shows now. */
async function placeOf(page: Page, text: string): Promise<number> {
  const shown = await page.getByRole('group', { name: 'Your reply' }).locator('button span').allTextContents();
  const at = shown.indexOf(text);
  if (at < 0) throw new Error(`"${text.slice(0, 50)}" is not offered: ${shown.map((s) => s.slice(0, 25)).join(' | ')}`);
  return at + 1;
}

function worstPath(): string[] {
  const paths = pathsToEndings(roleplay);
  const worst = [...paths.keys()].sort((a, b) => roleplay.endings[a]!.score - roleplay.endings[b]!.score)[0]!;
  return paths.get(worst)!;
}

/** Presses Tab until the named button has focus (keyboard only, no clicks). */
async function tabTo(page: Page, name: string | RegExp) {
  const button = page.getByRole('button', typeof name === 'string' ? { name, exact: true } : { name });
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await button.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`could not Tab to "${name}"`);
}

/** Starts a run and plays it with the keyboard alone; returns on the debrief page. */
async function playWithKeyboard(page: Page, turns: Turn[]) {
  await page.goto(`/roleplays/${ROLEPLAY}`);
  // "Play again" once the learner has runs.
  await tabTo(page, /^(Start the conversation|Play again)$/);
  await page.keyboard.press('Enter');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toContainText(roleplay.nodes[roleplay.start]!.line.slice(0, 40));
  // Number keys work once the island has hydrated.
  await waitForHydration(page);
  for (const turn of turns) {
    await page.keyboard.press(String(await placeOf(page, turn.text)));
    if (turn.nextLine) {
      await expect(log).toContainText(turn.nextLine.slice(0, 60));
      // The first reply button has focus for the next turn.
      await expect(page.getByRole('group', { name: 'Your reply' }).getByRole('button').first()).toBeFocused();
    }
  }
  await page.waitForURL(new RegExp(`/roleplays/${ROLEPLAY}/runs/[a-z0-9]+$`));
}

async function expectDebrief(page: Page, turns: Turn[]) {
  const ending = roleplay.endings[turns.at(-1)!.ending!]!;
  const passed = ending.score >= roleplay.passScore;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Debrief: ${roleplay.title}`);
  await expect(page.getByRole('heading', { name: `Ending: ${ending.title}` })).toBeVisible();
  await expect(page.getByText(`Score: ${ending.score} / 100`)).toBeVisible();
  await expect(page.getByText(passed ? /— passed/ : /— not passed/)).toBeVisible();
  const entries = page.locator('.rp-debrief-entry');
  await expect(entries).toHaveCount(turns.length);
  for (const [i, turn] of turns.entries()) {
    const node = roleplay.nodes[turn.nodeId]!;
    const choice = node.choices.find((c) => c.id === turn.choiceId)!;
    const entry = entries.nth(i);
    await expect(entry).toContainText(choice.feedback.slice(0, 60));
    for (const id of [...choice.honours, ...choice.breaks]) await expect(entry).toContainText(standardTitles.get(id)!);
    const best = node.choices.find((c) => c.best);
    if (best && best.id !== choice.id) await expect(entry.getByText('A better reply:')).toBeVisible();
    else await expect(entry.getByText('A better reply:')).toHaveCount(0);
  }
  return ending;
}

test('a rep plays to a good ending with the keyboard alone, reads the debrief, and their manager sees the run', async ({
  page,
  browser,
}) => {
  const turns = turnsFor('best');
  await signIn(page, 'rep4@demo.test');
  await playWithKeyboard(page, turns);
  const ending = await expectDebrief(page, turns);
  expect(ending.score).toBeGreaterThanOrEqual(roleplay.passScore);
  // Standards in the debrief link to the lesson that teaches them.
  const standardLink = page.getByRole('region', { name: 'Standards in this run' }).getByRole('link').first();
  await expect(standardLink).toHaveAttribute('href', /^\/modules\/[a-z0-9-]+#standard-[a-z0-9-]+$/);
  const debriefUrl = new URL(page.url()).pathname;

  const manager = await personPage(browser, 'manager2@demo.test');
  await manager.goto('/team/reviews');
  const row = manager
    .getByRole('region', { name: 'Recent role-play runs' })
    .getByRole('row')
    .filter({ hasText: 'Lena Novak' })
    .filter({ hasText: ending.title });
  await expect(row.first()).toBeVisible();
  await row
    .first()
    .getByRole('link', { name: /Debrief/ })
    .click();
  await expect(manager.getByText('Run by Lena Novak')).toBeVisible();
  await expect(manager.getByRole('heading', { name: `Ending: ${ending.title}` })).toBeVisible();
  await manager.getByRole('link', { name: 'All runs by Lena Novak' }).click();
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('Role-play runs: Lena Novak');
  await expect(manager.getByRole('cell', { name: roleplay.title }).first()).toBeVisible();

  // Another team's manager cannot see it.
  const other = await personPage(browser, 'manager1@demo.test');
  expect((await other.goto(debriefUrl))?.status()).toBe(404);
  await other.goto('/team/reviews');
  await expect(other.getByRole('row').filter({ hasText: 'Lena Novak' })).toHaveCount(0);
});

test('a rep plays to a bad ending with the keyboard alone and the debrief offers the better replies', async ({
  page,
}) => {
  const turns = turnsFor(worstPath());
  await signIn(page, 'rep4@demo.test');
  await playWithKeyboard(page, turns);
  const ending = await expectDebrief(page, turns);
  expect(ending.score).toBeLessThan(roleplay.passScore);
  const tally = page.getByRole('region', { name: 'Standards in this run' });
  const broken = turns.flatMap((t) => roleplay.nodes[t.nodeId]!.choices.find((c) => c.id === t.choiceId)!.breaks);
  expect(broken.length).toBeGreaterThan(0);
  const firstBroken = standardTitles.get(broken[0]!)!;
  const times = broken.filter((id) => id === broken[0]).length;
  await expect(tally.getByRole('row', { name: new RegExp(firstBroken) })).toContainText(`${times}×`);
  // Replay: every run is kept.
  await tabTo(page, 'Play again');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('log', { name: 'Conversation' })).toContainText(
    roleplay.nodes[roleplay.start]!.line.slice(0, 40),
  );
  const runs = page.getByRole('region', { name: 'Your runs' });
  await expect(runs.getByRole('row').filter({ hasText: 'In progress' })).toHaveCount(1);
  await expect(runs.getByRole('row').filter({ hasText: ending.title })).not.toHaveCount(0);
});

test('without JavaScript each reply is a form post and the run still ends in a debrief', async ({ browser }) => {
  const page = await personPage(browser, 'rep2@demo.test', false);
  const turns = turnsFor('best');
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  for (const turn of turns) {
    await page
      .getByRole('group', { name: 'Your reply' })
      .getByRole('button', { name: turn.text.slice(0, 40) })
      .click();
    if (turn.nextLine)
      await expect(page.getByRole('log', { name: 'Conversation' })).toContainText(turn.nextLine.slice(0, 60));
  }
  await expect(page).toHaveURL(new RegExp(`/runs/[a-z0-9]+$`));
  await expectDebrief(page, turns);

  // A replayed post (the browser's "resubmit") is refused with a 409 and changes nothing.
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Play again' }).click();
  const firstButton = page.getByRole('group', { name: 'Your reply' }).getByRole('button').first();
  const token = (await firstButton.getAttribute('value'))!;
  await firstButton.click();
  const replay = await page.request.post(`/roleplays/${ROLEPLAY}?_action=roleplay.choose`, {
    form: { run: await runIdOf(page), step: '0', reply: token },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(replay.status()).toBe(409);
  expect(await replay.text()).toContain('That reply was already sent');

  // A judgment case answered without JavaScript: the lesson page renders the reasoning after the post.
  await page.goto(`/modules/${caseModule}`);
  const section = page.getByRole('region', { name: judgmentCase.title });
  await section.getByRole('radio', { name: judgmentCase.options[0]!.label }).check();
  await section.getByRole('button', { name: 'Submit my answer' }).click();
  await expect(section.getByRole('heading', { name: 'How each option plays out' })).toBeVisible();
  for (const o of judgmentCase.options) await expect(section.getByText(o.reasoning.slice(0, 50))).toBeVisible();
});

async function runIdOf(page: Page): Promise<string> {
  return page.locator('input[name="run"]').first().inputValue();
}

test('the player page, its island props and scripts, and the action replies never carry effects, scores or choice ids', async ({
  page,
}) => {
  const bodies: string[] = [];
  const pagesAndReplies: string[] = [];
  page.on('response', async (r) => {
    const url = r.url();
    const document = r.request().resourceType() === 'document';
    if (url.endsWith('.js') || url.includes('/_actions/') || document) {
      const text = await r.text().catch(() => '');
      bodies.push(text);
      if (!url.endsWith('.js')) pagesAndReplies.push(text);
    }
  });
  await signIn(page, 'rep3@demo.test');
  const turns = turnsFor('best');
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  await waitForHydration(page);
  const props = JSON.stringify(await page.locator('astro-island').first().getAttribute('props'));
  for (const key of ['effects', 'honours', 'breaks', 'feedback', 'best', 'branch', 'endings', 'score', 'passScore']) {
    expect(props, key).not.toContain(`\\"${key}\\"`);
  }
  for (const turn of turns.slice(0, -1)) {
    await page.keyboard.press(String(await placeOf(page, turn.text)));
    await expect(page.getByRole('log', { name: 'Conversation' })).toContainText(turn.nextLine!.slice(0, 60));
  }
  await page.waitForLoadState('networkidle');
  const secrets = [
    ...Object.values(roleplay.nodes).flatMap((n) => n.choices.map((c) => c.feedback)),
    ...Object.values(roleplay.endings).map((e) => e.text),
  ].map((s) => s.slice(0, 40));
  const everything = bodies.join('\n');
  expect(bodies.length).toBeGreaterThan(turns.length);
  for (const s of secrets) expect(everything, s).not.toContain(s);
  expect(everything).not.toMatch(/"(effects|honours|breaks|branch)"\s*:/);
  // No authored choice id in the pages, the island props or the action replies: the browser gets opaque tokens.
  const served = pagesAndReplies.join('\n') + props;
  expect(pagesAndReplies.length).toBeGreaterThan(turns.length - 1);
  const choiceIds = Object.values(roleplay.nodes).flatMap((n) => n.choices.map((c) => c.id));
  for (const id of choiceIds) expect(served, id).not.toMatch(new RegExp(`(^|[^a-z0-9-])${id}([^a-z0-9-]|$)`));
});

test('a judgment answer reaches the manager, who rates it; the rep reads the comment on /learn', async ({
  page,
  browser,
}) => {
  const comment = `Good call on the refund — next time say the reason out loud. (${Date.now()})`;
  await signIn(page, 'rep6@demo.test');
  await page.goto(`/modules/${caseModule}`);
  const section = page.getByRole('region', { name: judgmentCase.title });
  // Before answering, no reasoning is on the page.
  for (const o of judgmentCase.options) await expect(page.getByText(o.reasoning.slice(0, 50))).toHaveCount(0);
  // The case is a client:visible island: answering before it hydrates would post the plain form instead (and
  // nothing would move focus to the reasoning).
  await waitForHydration(section);
  await section.getByRole('radio', { name: judgmentCase.options[1]!.label }).check();
  await section
    .getByRole('textbox', { name: judgmentCase.prompt!.slice(0, 30) })
    .fill('I would fix it now and explain the reason behind the rule.');
  await section.getByRole('button', { name: 'Submit my answer' }).click();
  // Focus lands on the verdict line, read before the reasoning (tests/e2e/feedback.spec.ts checks its wording).
  await expect(section.locator('.jc-verdict')).toBeFocused();
  await expect(section.locator('.jc-verdict')).toContainText(/strongest call/i);
  await expect(section.getByRole('heading', { name: 'How each option plays out' })).toBeVisible();
  for (const o of judgmentCase.options) await expect(section.getByText(o.reasoning.slice(0, 50))).toBeVisible();
  await expect(section.getByText('Your choice')).toBeVisible();

  const manager = await personPage(browser, 'manager2@demo.test');
  await manager.goto('/team/reviews');
  const item = manager
    .getByRole('listitem')
    .filter({ has: manager.getByRole('heading', { name: `Grace Kim — ${judgmentCase.title}` }) })
    .first();
  await expect(item.getByText('I would fix it now and explain the reason behind the rule.')).toBeVisible();
  for (const [i, r] of judgmentCase.rubric.entries()) {
    await item
      .getByRole('group', { name: r.label })
      .getByRole('radio', { name: i === 0 ? '5 Excellent' : '4 Good' })
      .check();
  }
  await item.getByRole('textbox', { name: 'Comment for Grace Kim' }).fill(comment);
  await item.getByRole('button', { name: 'Save review' }).click();
  await expect(manager.getByText('Review saved. The learner will see your comment.')).toBeVisible();
  await manager.getByRole('link', { name: 'Reviewed' }).click();
  await expect(manager.getByText(comment)).toBeVisible();

  // Another team's manager has nothing of Grace's to review.
  const other = await personPage(browser, 'manager1@demo.test');
  await other.goto('/team/reviews');
  await expect(other.getByRole('heading', { name: /Grace Kim/ })).toHaveCount(0);

  await page.goto('/learn');
  const comments = page.getByRole('region', { name: 'Comments from your manager' });
  await expect(comments.getByText(comment)).toBeVisible();
  await expect(comments.getByRole('heading', { name: judgmentCase.title })).toBeVisible();

  // Back on the lesson, the answered case is plain server HTML (no island, no script for it); "Answer again" is a
  // link that brings the form back, as an island again.
  await page.goto(`/modules/${caseModule}`);
  await expect(section.getByText('Your choice')).toBeVisible();
  await expect(section.locator('astro-island')).toHaveCount(0);
  await section.getByRole('link', { name: 'Answer again' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`\\?again=${judgmentCase.id}`));
  await expect(section.getByRole('radio', { name: judgmentCase.options[0]!.label })).toBeVisible();
  await expect(section.locator('astro-island')).toHaveCount(1);
});
