/**
 * One look: every role's pages share one frame (the same content width and left edge at desktop width), no page
 * scrolls sideways on a phone, and the words around the content read right — error pages name the address that was
 * asked for, counts agree with their nouns, a required role-play is not called practice, a refused no-JS answer
 * names the question by its number.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  DEMO_PASSWORD,
  NEW_PASSWORD,
  demo,
  e2eDb,
  invitePerson,
  realContent,
  signedIn,
  startQuiz,
  submitQuiz,
  TEAM_A,
  teamId,
} from '../helpers/e2e-world';

const rep = 'rep1@demo.test';

/** A new rep of their own (invited, then signed in): a role-play run they leave open is in nobody else's way. */
async function freshRep(
  browser: Browser,
  playwright: Parameters<typeof signedIn>[0],
  baseURL: string,
  name: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const manager = await signedIn(playwright, baseURL, demo.managerA);
  const person = await invitePerson(playwright, baseURL, manager, { name, teamId: await teamId(TEAM_A) });
  await Promise.all([manager.dispose(), person.ctx.dispose()]);
  return asPerson(browser, person.email, viewport, true, NEW_PASSWORD);
}

async function asPerson(
  browser: Browser,
  email: string,
  viewport: { width: number; height: number },
  js = true,
  password = DEMO_PASSWORD,
): Promise<Page> {
  const page = await (await browser.newContext({ viewport, javaScriptEnabled: js })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

test('learner, manager, trainer and admin pages share one content width and left edge at desktop width', async ({
  browser,
}) => {
  const boxes: { page: string; left: number; width: number; h1: number }[] = [];
  for (const [email, path] of [
    [rep, '/learn'],
    [demo.managerA, '/team'],
    [demo.trainer, '/trainer'],
    [demo.admin, '/admin/users'],
  ] as const) {
    const page = await asPerson(browser, email, desktop);
    expect((await page.goto(path))?.status(), path).toBe(200);
    const main = (await page.locator('#main').boundingBox())!;
    const h1 = (await page.getByRole('heading', { level: 1 }).boundingBox())!;
    boxes.push({ page: path, left: Math.round(main.x), width: Math.round(main.width), h1: Math.round(h1.x) });
    await page.context().close();
  }
  const [first] = boxes;
  for (const box of boxes)
    expect(box, JSON.stringify(boxes)).toMatchObject({ left: first!.left, width: first!.width, h1: first!.h1 });
});

test('no page scrolls sideways on a 390px phone', async ({ browser }) => {
  const pages: [string, string[]][] = [
    [
      rep,
      [
        '/learn',
        '/tracks',
        '/account',
        '/modules/greeting-and-attitude',
        '/quizzes/greeting-and-attitude-quiz',
        '/roleplays/late-delivery-promise',
      ],
    ],
    [demo.managerA, ['/team', '/team/reviews', '/team/reviews?show=reviewed', '/team/invites']],
    [demo.trainer, ['/trainer', '/trainer/health', '/trainer/content']],
    [demo.admin, ['/admin/overview', '/admin/users', '/admin/certificates']],
  ];
  const wide: string[] = [];
  for (const [email, paths] of pages) {
    const page = await asPerson(browser, email, phone);
    for (const path of paths) {
      expect((await page.goto(path))?.status(), path).toBe(200);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.scrollingElement!.scrollWidth,
        client: document.scrollingElement!.clientWidth,
      }));
      if (scroll > client) wide.push(`${path}: ${scroll}px wide in ${client}px`);
    }
    await page.context().close();
  }
  expect(wide).toEqual([]);
});

test('a page that is not there names the address that was asked for, not /404', async ({ browser }) => {
  const page = await asPerson(browser, rep, desktop);
  for (const path of [
    '/no-such-page',
    '/roleplays/no-such-roleplay',
    '/modules/no-such-module',
    '/quizzes/no-such-quiz',
  ]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
    await expect(page.getByRole('main')).toContainText(`There is nothing at ${path}.`);
  }
  expect((await page.goto('/admin/users'))?.status()).toBe(403);
  await expect(page.getByRole('main')).toContainText("can't open /admin/users.");
  await page.context().close();
});

test('a required role-play says it is required, not practice', async ({ browser }) => {
  const track = (await realContent()).tracks.get('rep-onboarding')!.data!;
  const required = track.requires.flatMap((r) => ('roleplay' in r ? [r.roleplay] : []))[0]!;
  const page = await asPerson(browser, rep, desktop);
  await page.goto(`/roleplays/${required}`);
  await expect(page.locator('.rp-kicker')).not.toContainText('practice');
  await expect(page.getByRole('main')).toContainText(`Required for ${track.title}.`);
  await page.context().close();
});

test('a cooldown about to end says "in about 1 minute"', async ({ playwright, baseURL, request }) => {
  const manager = await signedIn(playwright, baseURL!, demo.managerA);
  const person = await invitePerson(playwright, baseURL!, manager, {
    name: 'Wren Wording',
    teamId: await teamId(TEAM_A),
  });
  const quiz = [...(await realContent()).quizzes.values()]
    .map((q) => q.data!)
    .find((q) => q.attempts.cooldownMinutes > 1)!;
  expect((await submitQuiz(person.ctx, await startQuiz(person.ctx, quiz.id), false)).passed).toBe(false);
  try {
    // Thirty seconds before the next attempt opens.
    expect(
      (
        await request.post('/api/test/clock', { data: { offsetMs: quiz.attempts.cooldownMinutes * 60_000 - 30_000 } })
      ).status(),
    ).toBe(200);
    // The words as a reader gets them: without the hydration markers an island puts between its text parts.
    const html = (await (await person.ctx.get(`/quizzes/${quiz.id}`)).text()).replace(/<!--.*?-->/g, '');
    expect(html).toContain('(in about 1 minute)');
    expect(html).not.toContain('1 minutes');
  } finally {
    await request.post('/api/test/clock', { data: { offsetMs: 0 } });
  }
});

test('without JavaScript, a half-ordered answer is refused by question number, not by an internal id', async ({
  playwright,
  baseURL,
}) => {
  const manager = await signedIn(playwright, baseURL!, demo.managerA);
  const person = await invitePerson(playwright, baseURL!, manager, {
    name: 'Nora NoScript',
    teamId: await teamId(TEAM_A),
  });
  const content = await realContent();
  // The first quiz whose reproducible draw for this person shows an ordering question.
  let found: { quizId: string; attemptId: string; id: string; number: number } | undefined;
  for (const quiz of [...content.quizzes.values()].map((q) => q.data!)) {
    if (!quiz.questions.some((q) => q.kind === 'ordering')) continue;
    const attemptId = await startQuiz(person.ctx, quiz.id);
    const { rows } = await e2eDb().execute({
      sql: 'SELECT questions FROM quiz_attempt WHERE id = ?',
      args: [attemptId],
    });
    const frozen = JSON.parse(String(rows[0]!.questions)) as { id: string }[];
    const at = frozen.findIndex((f) => quiz.questions.find((q) => q.id === f.id)?.kind === 'ordering');
    if (at >= 0) {
      found = { quizId: quiz.id, attemptId, id: frozen[at]!.id, number: at + 1 };
      break;
    }
  }
  expect(found, 'a drawn ordering question').toBeDefined();
  const form = new FormData();
  form.append('attempt', found!.attemptId);
  form.append(`q.${found!.id}`, '0');
  const res = await person.ctx.post(`/quizzes/${found!.quizId}?_action=quiz.submit`, { multipart: form });
  const html = await res.text();
  expect(res.status()).toBe(400);
  expect(html).toContain(`Put every item of question ${found!.number} in order.`);
  expect(html).not.toMatch(/item of (&quot;|&#34;|")/);
});

test('role-play meters say which way is good: frustration red, trust green, in words as well as colour', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const page = await freshRep(browser, playwright, baseURL!, 'Mira Meters', desktop);
  await page.goto('/roleplays/late-delivery-promise');
  const start = page.getByRole('button', { name: /Start the conversation|Play again/ });
  if (await start.isVisible()) await start.click();
  const meters = page.getByRole('region', { name: /How .* feels/ });
  const frustration = meters.getByRole('listitem').filter({ hasText: 'Frustration' });
  const trust = meters.getByRole('listitem').filter({ hasText: 'Trust' });
  await expect(frustration).toContainText('(lower is better)');
  await expect(trust).toContainText('(higher is better)');
  const fill = (meter: typeof trust) =>
    meter
      .locator('.rp-meter-bar > span')
      .evaluate((el) => getComputedStyle(el).getPropertyValue('--fill').trim() || getComputedStyle(el).backgroundColor);
  expect(await fill(frustration)).toBe('#b91c1c');
  expect(await fill(trust)).toBe('#15803d');
  await page.context().close();
});

test('on a 390px phone, a role-play in progress shows the conversation and the replies on the first screen', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const page = await freshRep(browser, playwright, baseURL!, 'Phil Phone', phone);
  await page.goto('/roleplays/late-delivery-promise');
  const start = page.getByRole('button', { name: /Start the conversation|Play again/ });
  if (await start.isVisible()) await start.click();
  // The whole conversation so far (the opening and the customer's first line) is within the first screen (844 px),
  // and the replies start right below it.
  const conversation = page.getByRole('log', { name: 'Conversation' });
  await expect(page.locator('button.rp-choice').first()).toBeVisible();
  const box = (await conversation.boundingBox())!;
  expect(box.y + box.height, 'the conversation ends on the first screen').toBeLessThan(844);
  // The situation is one tap away, folded.
  const situation = page.locator('details.rp-persona');
  await expect(situation).not.toHaveAttribute('open', '');
  await situation.locator('summary').click();
  await expect(situation.locator('p').first()).toBeVisible();
  await page.context().close();
});
