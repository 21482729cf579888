/**
 * What makes a role-play run worth certifying, in a real browser: each run shows the replies in its own order (the
 * order its stored seed gives, the same on reload, in the no-JS form and in the debrief); the learner can abandon a
 * run and start over; lines change with the customer's mood (variants); the debrief teaches (tally, turning point,
 * one standard to practise next); and "replay from here" makes a practice run that never certifies.
 *
 * Each spec works with a new rep of team A, invited through the real pages, so the demo people's runs stay as
 * other specs expect. Replies are picked by their words; expectations come from the real content through the same
 * pure functions the server uses.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Roleplay } from '../../src/features/content/schema';
import { buildDebrief, type StoredStep } from '../../src/features/roleplay/debrief';
import {
  applyChoice,
  evaluateCondition,
  initialPosition,
  replyOrder,
  wordsAt,
  type RunPosition,
} from '../../src/features/roleplay/roleplay';
import {
  demo,
  invitePerson,
  NEW_PASSWORD,
  one,
  passQuiz,
  playBest,
  realContent,
  signedIn,
  TEAM_A,
  teamId,
  type Person,
} from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';
import { bestReplies, pathsToEndings } from '../helpers/roleplay';

const ROLEPLAY = 'late-delivery-promise';
let roleplay: Roleplay;
const titles = new Map<string, string>();

test.beforeAll(async () => {
  const content = await realContent();
  roleplay = content.roleplays.get(ROLEPLAY)!.data!;
  for (const [id, e] of content.standards) titles.set(id, e.data!.title);
});

type Playwright = Parameters<typeof signedIn>[0];

async function newRep(playwright: Playwright, baseURL: string, name: string): Promise<Person> {
  const manager = await signedIn(playwright, baseURL, demo.managerA);
  const person = await invitePerson(playwright, baseURL, manager, { name, teamId: await teamId(TEAM_A) });
  await manager.dispose();
  return person;
}

async function browserFor(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(NEW_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return page;
}

const replies = (page: Page) => page.getByRole('group', { name: 'Your reply' });
/** The replies' words in the order this run shows them now. */
const shownOrder = (page: Page) => replies(page).locator('button span').allTextContents();
const runIdOf = (page: Page) => page.locator('input[name="run"]').first().inputValue();
const seedOf = async (runId: string) =>
  Number((await one<{ seed: number }>('SELECT seed FROM roleplay_run WHERE id = ?', [runId])).seed);

/** Choice ids → the path's reply words, and the steps the server will store for them (for expectations). */
function walk(ids: string[]): { texts: string[]; steps: StoredStep[]; end: RunPosition } {
  let pos = initialPosition(roleplay);
  const texts: string[] = [];
  const steps: StoredStep[] = [];
  for (const [step, choiceId] of ids.entries()) {
    texts.push(roleplay.nodes[pos.nodeId]!.choices.find((c) => c.id === choiceId)!.text);
    const out = applyChoice(roleplay, pos, choiceId);
    if (!out.ok) throw new Error(out.message);
    steps.push({ step, nodeId: pos.nodeId, choiceId, stateAfter: out.state });
    if (out.next.kind === 'node') pos = { nodeId: out.next.id, state: out.state };
  }
  return { texts, steps, end: pos };
}

/** The shortest path (choice ids) to a node reached in a state where one of its line variants holds. */
function pathToVariant(): { ids: string[]; at: RunPosition } {
  const start = initialPosition(roleplay);
  const queue: { pos: RunPosition; ids: string[] }[] = [{ pos: start, ids: [] }];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { pos, ids } = queue.shift()!;
    const node = roleplay.nodes[pos.nodeId]!;
    if (ids.length > 0 && node.variants?.some((v) => evaluateCondition(v.if, pos.state))) return { ids, at: pos };
    for (const c of node.choices) {
      const out = applyChoice(roleplay, pos, c.id);
      if (!out.ok || out.next.kind === 'ending') continue;
      const next = { nodeId: out.next.id, state: out.state };
      const key = `${next.nodeId}|${JSON.stringify(next.state)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push({ pos: next, ids: [...ids, c.id] });
    }
  }
  throw new Error(`${ROLEPLAY} has no line variant a learner can meet`);
}

async function say(page: Page, text: string) {
  await replies(page)
    .getByRole('button', { name: text.slice(0, 50) })
    .click();
}

test("each run shows the replies in its own order: its seed's, the same on reload; abandoning starts over", async ({
  browser,
  baseURL,
  playwright,
}) => {
  const rep = await newRep(playwright, baseURL!, 'Orla Order');
  const page = await browserFor(browser, rep.email);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  const firstChoices = roleplay.nodes[roleplay.start]!.choices;

  const orders: string[][] = [];
  const tokensByText = new Map<string, Set<string>>();
  // Seeds are drawn at random, so keep starting over until two runs differ (with three or more replies, thirty
  // runs in one order would take odds far below one in a billion); every run is checked against its own seed.
  for (let i = 0; i < 30 && new Set(orders.map((o) => o.join('|'))).size < 2; i++) {
    if (i > 0) {
      await page.getByRole('button', { name: 'Abandon this run and start over' }).click();
      await expect(page.getByRole('log', { name: 'Conversation' })).toContainText(
        roleplay.nodes[roleplay.start]!.line.slice(0, 30),
      );
    }
    const runId = await runIdOf(page);
    const order = await shownOrder(page);
    expect(order).toEqual(replyOrder(await seedOf(runId), 0, firstChoices).map((c) => c.text));
    await page.reload();
    expect(await shownOrder(page)).toEqual(order);
    orders.push(order);
    for (const b of await replies(page).getByRole('button').all()) {
      const text = (await b.locator('span').textContent())!;
      tokensByText.set(text, (tokensByText.get(text) ?? new Set()).add((await b.getAttribute('value'))!));
    }
  }
  expect(new Set(orders.map((o) => o.join('|'))).size).toBe(2);
  // The same reply never travels under the same token twice, and never under its choice id.
  for (const [, tokens] of tokensByText) expect(tokens.size).toBe(orders.length);
  for (const c of firstChoices) expect(tokensByText.get(c.text)!.has(c.id)).toBe(false);

  // Every start over left the run before it as "Abandoned", and there is one run in progress.
  const runs = page.getByRole('region', { name: 'Your runs' });
  await expect(runs.getByRole('row').filter({ hasText: 'Abandoned' })).toHaveCount(orders.length - 1);
  await expect(runs.getByRole('row').filter({ hasText: 'In progress' })).toHaveCount(1);
  const open = await one<{ n: number }>(
    "SELECT count(*) AS n FROM roleplay_run WHERE user_id = ? AND status = 'open'",
    [rep.id],
  );
  expect(Number(open.n)).toBe(1);
});

test('without JavaScript, the order shown at every step is the order the debrief lists', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const rep = await newRep(playwright, baseURL!, 'Nadia Nojs');
  const page = await browserFor(browser, rep.email, false);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  const shown: string[][] = [];
  for (const text of bestReplies(roleplay)) {
    const order = await shownOrder(page);
    await page.reload();
    expect(await shownOrder(page), 'the same order after a reload').toEqual(order);
    shown.push(order);
    await say(page, text);
  }
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  const entries = page.locator('.rp-debrief-entry');
  await expect(entries).toHaveCount(shown.length);
  for (const [i, order] of shown.entries()) {
    const listed = await entries
      .nth(i)
      .locator('.rp-offered li')
      .evaluateAll((lis) => lis.map((li) => (li.firstChild?.textContent ?? '').trim()));
    expect(listed, `reply ${i + 1}`).toEqual(order);
  }
});

test("a line reads as the customer's mood calls for: in the player, after a reload and in the debrief", async ({
  browser,
  baseURL,
  playwright,
}) => {
  const rep = await newRep(playwright, baseURL!, 'Vera Variant');
  const { ids, at } = pathToVariant();
  const node = roleplay.nodes[at.nodeId]!;
  const variantLine = wordsAt(node, at.state).line;
  expect(variantLine).not.toBe(node.line);
  const { texts } = walk(ids);

  const page = await browserFor(browser, rep.email);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  await waitForHydration(page);
  const log = page.getByRole('log', { name: 'Conversation' });
  for (const text of texts) await say(page, text);
  await expect(log).toContainText(variantLine.slice(0, 60));
  await expect(log).not.toContainText(node.line.slice(0, 60));

  // One more reply (one that goes on), then a reload: the past line stays as it read when the learner met it.
  const onward = node.choices.find((c) => {
    const out = applyChoice(roleplay, at, c.id);
    return out.ok && out.next.kind === 'node';
  })!;
  await say(page, onward.text);
  await page.reload();
  await expect(log).toContainText(variantLine.slice(0, 60));

  // The debrief (here of the run, abandoned) shows it the same way.
  await page.getByRole('button', { name: 'Abandon this run and start over' }).click();
  const debriefLink = page
    .getByRole('region', { name: 'Your runs' })
    .getByRole('row')
    .filter({ hasText: 'Abandoned' })
    .getByRole('link', { name: /Debrief/ });
  await debriefLink.click();
  await expect(page.getByText('This run was abandoned before it ended')).toBeVisible();
  await expect(page.locator(`#reply-${ids.length}`)).toContainText(variantLine.slice(0, 60));
});

test('the debrief tallies the standards, names the turning point and one standard to practise next', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const rep = await newRep(playwright, baseURL!, 'Tomas Turning');
  // The shortest way to the lowest-scoring ending: a run with something to learn from.
  const paths = pathsToEndings(roleplay);
  const worst = [...paths.keys()].sort((a, b) => roleplay.endings[a]!.score - roleplay.endings[b]!.score)[0]!;
  const { texts, steps, end } = walk(paths.get(worst)!);
  const expected = buildDebrief(
    roleplay,
    {
      seed: 0,
      start: initialPosition(roleplay),
      nodeId: end.nodeId,
      endingId: worst,
      score: roleplay.endings[worst]!.score,
      sameVersion: true,
    },
    steps,
    (id) => ({ id, title: titles.get(id) ?? id }),
  );
  expect(expected.turningPoint).toBeDefined();
  expect(expected.practiseNext).toBeDefined();

  const page = await browserFor(browser, rep.email);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  for (const text of texts) await say(page, text);
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);

  const takeaway = page.getByRole('region', { name: 'What to take away' });
  const turning = expected.turningPoint!;
  await expect(takeaway.getByRole('link', { name: `Reply ${turning.step + 1}` })).toHaveAttribute(
    'href',
    `#reply-${turning.step}`,
  );
  await expect(takeaway).toContainText(`an ending worth ${turning.before} was still within reach`);
  await expect(page.locator(`#reply-${turning.step}`).getByText('Turning point')).toBeVisible();

  const advice = expected.practiseNext!;
  const practise = takeaway.locator('.rp-practise-next');
  await expect(practise).toContainText(advice.why);
  // The standard links to the lesson section that teaches it.
  await expect(
    practise.getByRole('link', { name: new RegExp(titles.get(advice.standard.id)!) }).first(),
  ).toHaveAttribute('href', new RegExp(`^/modules/[a-z0-9-]+#standard-${advice.standard.id}$`));

  const tally = page.getByRole('region', { name: 'Standards in this run' });
  await expect(tally.getByRole('row')).toHaveCount(expected.tally.length + 1);
  for (const t of expected.tally) {
    const row = tally.getByRole('row', { name: new RegExp(titles.get(t.standard.id)!) });
    await expect(row.getByRole('cell').nth(0)).toHaveText(t.honoured > 0 ? `${t.honoured}×` : '0');
    await expect(row.getByRole('cell').nth(1)).toHaveText(t.broken > 0 ? `${t.broken}×` : '0');
  }
});

test('replay from here starts a practice run, labelled as such, that never certifies', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const rep = await newRep(playwright, baseURL!, 'Pia Practice');
  const track = [...(await realContent()).tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
  expect(track.requires.some((r) => 'roleplay' in r && r.roleplay === ROLEPLAY)).toBe(true);
  // Everything else the track requires, passed: only this role-play stands between the rep and the certificate.
  for (const r of track.requires) if ('quiz' in r) await passQuiz(rep.ctx, r.quiz);
  for (const r of track.requires) if ('roleplay' in r && r.roleplay !== ROLEPLAY) await playBest(rep.ctx, r.roleplay);
  const certificates = async () =>
    Number(
      (
        await one<{ n: number }>('SELECT count(*) AS n FROM certificate WHERE user_id = ? AND track_id = ?', [
          rep.id,
          track.id,
        ])
      ).n,
    );

  const paths = pathsToEndings(roleplay);
  const worst = [...paths.keys()].sort((a, b) => roleplay.endings[a]!.score - roleplay.endings[b]!.score)[0]!;
  const page = await browserFor(browser, rep.email);
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await page.getByRole('button', { name: 'Start the conversation' }).click();
  for (const text of walk(paths.get(worst)!).texts) await say(page, text);
  await expect(page.getByText(/— not passed/)).toBeVisible();
  const original = new URL(page.url()).pathname;

  // Practice mode: replay from the first reply, and play it perfectly.
  await expect(page.getByText('Practice mode:')).toBeVisible();
  await page.getByRole('button', { name: /Replay from here \(reply 1\)/ }).click();
  await expect(page).toHaveURL(new RegExp(`/roleplays/${ROLEPLAY}$`));
  await expect(page.getByText('You are replaying from reply 1')).toBeVisible();
  await waitForHydration(page);
  for (const text of bestReplies(roleplay)) await say(page, text);
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+$/);
  await expect(page.locator('.rp-practice-note')).toContainText('Practice');
  await expect(page.getByText(/a practice run, not counted toward certification/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'an earlier run' })).toHaveAttribute('href', original);

  const practice = await one<{ practice: number; score: number; status: string }>(
    'SELECT practice, score, status FROM roleplay_run WHERE user_id = ? ORDER BY started_at DESC LIMIT 1',
    [rep.id],
  );
  expect(practice).toMatchObject({
    practice: 1,
    status: 'ended',
    score: Math.max(...Object.values(roleplay.endings).map((e) => e.score)),
  });
  expect(await certificates()).toBe(0);
  const practiceRuns = await one<{ n: number }>(
    "SELECT count(*) AS n FROM standard_result WHERE source = 'roleplay' AND source_id IN (SELECT id FROM roleplay_run WHERE user_id = ? AND practice = 1)",
    [rep.id],
  );
  expect(Number(practiceRuns.n)).toBe(0);

  // The learner's run list and the manager's view label it, and the manager sees no certificate.
  await page.goto(`/roleplays/${ROLEPLAY}`);
  await expect(
    page.getByRole('region', { name: 'Your runs' }).getByRole('row').filter({ hasText: 'Practice' }),
  ).toContainText('not counted');
  const manager = await (await browser.newContext()).newPage();
  await manager.goto('/login');
  await manager.getByLabel('Email').fill(demo.managerA);
  await manager.getByLabel('Password').fill('frontline-demo-2026');
  await Promise.all([
    manager.waitForURL((u) => !u.pathname.startsWith('/login')),
    manager.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await manager.goto(`/team/people/${rep.id}`);
  await expect(
    manager.getByRole('region', { name: 'Role-play runs' }).getByRole('row').filter({ hasText: 'Practice' }),
  ).toHaveCount(1);
  await expect(
    manager.getByRole('region', { name: 'Role-play runs' }).getByRole('row').filter({ hasText: 'Practice' }),
  ).not.toContainText('(passed)');

  // The same conversation played for real certifies at once.
  await playBest(rep.ctx, ROLEPLAY);
  expect(await certificates()).toBe(1);
});
