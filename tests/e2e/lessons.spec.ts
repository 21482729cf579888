/**
 * Lessons as a course, in Chromium against the built server: a learner walks a lesson with the keyboard — answers a
 * knowledge check and hears its feedback, continues section by section, finishes the lesson and sees it completed on
 * return — with JavaScript and without; the media show with their alt text and transcripts and cost nothing before
 * play; on a phone the lesson comes before its outline; number-key hints are not shown on touch screens.
 *
 * Each test invites its own learner; the checks' questions, answers and feedback come from the lesson files.
 */
import { readFileSync } from 'node:fs';
import {
  expect,
  test,
  type APIRequest,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import { scanMdx } from '../../src/features/content/mdx';
import {
  callAction,
  demo,
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

const LESSON = 'greeting-and-attitude';

interface CheckItem {
  question: string;
  options: { text: string; correct: boolean; feedback: string }[];
}

/** The knowledge checks of a lesson, as its author wrote them. */
function checksOf(slug: string): CheckItem[] {
  const { elements } = scanMdx(readFileSync(`content/modules/${slug}.mdx`, 'utf8'));
  return elements.flatMap((el, i) =>
    el.name === 'Check'
      ? [
          {
            question: String(el.attributes.question),
            options: elements
              .filter((o) => o.parent === i)
              .map((o) => ({
                text: o.text,
                correct: o.attributes.correct === true,
                feedback: String(o.attributes.feedback),
              })),
          },
        ]
      : [],
  );
}

async function newLearner(playwright: { request: APIRequest }, baseURL: string, name: string): Promise<Person> {
  const mgrA = await signedIn(playwright, baseURL, demo.managerA);
  const person = await invitePerson(playwright, baseURL, mgrA, { name, teamId: await teamId(TEAM_A) });
  await mgrA.dispose();
  return person;
}

/** A browser context signed in as `person` (the sign-in endpoint sets the session cookie the context keeps). */
async function browse(
  browser: Browser,
  baseURL: string,
  person: Person,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const res = await context.request.post('/login', {
    form: { email: person.email, password: NEW_PASSWORD },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  return context;
}

async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < 120; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not Tab to ${target}`);
}

async function completions(userId: string): Promise<{ module_id: string; content_version: string }[]> {
  const { rows } = await e2eDb().execute({
    sql: 'SELECT module_id, content_version FROM lesson_completion WHERE user_id = ?',
    args: [userId],
  });
  return rows as unknown as { module_id: string; content_version: string }[];
}

const sectionsOf = async (slug: string) => {
  const text = readFileSync(`content/modules/${slug}.mdx`, 'utf8');
  return [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
};

test('with the keyboard: a check answered and read out, the lesson continued step by step, finished, and completed on return', async ({
  browser,
  baseURL,
  playwright,
}) => {
  test.setTimeout(180_000);
  const learner = await newLearner(playwright, baseURL!, 'Kai Keys');
  const context = await browse(browser, baseURL!, learner);
  const page = await context.newPage();
  await page.goto(`/modules/${LESSON}`);
  const sections = await sectionsOf(LESSON);
  const progress = page.getByRole('navigation', { name: 'On this page' });
  await expect(progress.getByText(`0 of ${sections.length} sections read`)).toBeVisible();

  // A check: pick a wrong answer with the arrow keys, check it, hear why; then the right one.
  const item = checksOf(LESSON)[0]!;
  const check = page.getByRole('group', { name: item.question });
  const form = page.locator('form[data-check]').filter({ has: check });
  const radios = check.getByRole('radio');
  const wrong = item.options.findIndex((o) => !o.correct);
  const right = item.options.findIndex((o) => o.correct);
  await tabTo(page, radios.first());
  for (let k = 0; k < wrong; k++) await page.keyboard.press('ArrowDown');
  if (wrong === 0) await page.keyboard.press('Space');
  await expect(radios.nth(wrong)).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(form.getByRole('button', { name: 'Check my answer' })).toBeFocused();
  await page.keyboard.press('Enter');
  const status = form.getByRole('status');
  await expect(status).toHaveText(`Not quite. ${item.options[wrong]!.feedback}`);
  await expect(check.getByText(item.options[wrong]!.feedback)).toBeVisible();
  expect(page.url(), 'checked in place, without a reload').not.toContain('choice=');

  await page.keyboard.press('Shift+Tab');
  for (let k = wrong; k < right; k++) await page.keyboard.press('ArrowDown');
  for (let k = right; k < wrong; k++) await page.keyboard.press('ArrowUp');
  await expect(radios.nth(right)).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(status).toHaveText(`That’s it. ${item.options[right]!.feedback}`);
  await expect(check.getByText(item.options[wrong]!.feedback)).toBeHidden();

  // Continue, step by step: each moves focus to the next section's heading.
  for (const [i, title] of sections.slice(1).entries()) {
    const next = page.getByRole('link', { name: `Continue Step ${i + 2} of ${sections.length}: ${title}` });
    await tabTo(page, next);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeFocused();
    await expect(page).toHaveURL(/#.+/);
    // The section just left is read (others may be too, if the reader scrolled past their ends).
    await expect
      .poll(async () => Number(await progress.locator('[data-lesson-progress-count]').innerText()))
      .toBeGreaterThanOrEqual(i + 1);
    await expect(progress.locator('li[data-read]').filter({ hasText: sections[i]! })).toHaveCount(1);
  }
  await tabTo(page, page.getByRole('link', { name: 'Continue The end of the lesson' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'End of the lesson' })).toBeFocused();
  await expect(progress.getByText(`${sections.length} of ${sections.length} sections read`)).toBeVisible();

  await tabTo(page, page.getByRole('button', { name: 'Finish the lesson' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Lesson complete' })).toBeFocused();
  const content = await realContent();
  const quiz = content.quizzes.get(content.modules.get(LESSON)!.data!.quiz)!.data!;
  const end = page.locator('#lesson-end');
  await expect(end.getByRole('link', { name: 'Take the quiz' })).toHaveAttribute('href', `/quizzes/${quiz.id}`);
  await expect(end.getByRole('link', { name: /^Next: module 2, / })).toBeVisible();
  expect(await completions(learner.id)).toEqual([
    { module_id: LESSON, content_version: expect.stringMatching(/^[0-9a-f]{64}$/) },
  ]);

  // On return: completed, with its date, and every section ticked off.
  await page.goto(`/modules/${LESSON}`);
  await expect(page.getByRole('heading', { name: 'Lesson completed' })).toBeVisible();
  await expect(end.getByText(/^You finished “Greeting and attitude” on /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Finish the lesson' })).toHaveCount(0);
  await expect(progress.getByText(`${sections.length} of ${sections.length} sections read`)).toBeVisible();
  await context.close();
});

test('without JavaScript: a check reloads with its feedback, Continue jumps to the next section, Finish records it once', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const learner = await newLearner(playwright, baseURL!, 'Nell Noscript');
  const context = await browse(browser, baseURL!, learner, { javaScriptEnabled: false });
  const page = await context.newPage();
  const slug = 'active-listening';
  await page.goto(
    `/modules/${slug}?track=${[...(await realContent()).tracks.values()].find((t) => t.data!.audience === 'rep')!.id}`,
  );
  const track = new URL(page.url()).searchParams.get('track');

  const item = checksOf(slug)[1]!;
  const right = item.options.find((o) => o.correct)!;
  const check = page.getByRole('group', { name: item.question });
  await check.getByRole('radio', { name: right.text }).check();
  await page
    .locator('form[data-check]')
    .filter({ has: check })
    .getByRole('button', { name: 'Check my answer' })
    .click();
  await expect(page).toHaveURL(/[?&]choice=[0-9a-f]{10}.*#check-[0-9a-f]{10}$/);
  expect(new URL(page.url()).searchParams.get('track'), 'the track is kept').toBe(track);
  await expect(check.getByRole('radio', { name: right.text })).toBeChecked();
  await expect(check.getByText(`That’s it. ${right.feedback}`)).toBeVisible();
  for (const other of item.options.filter((o) => !o.correct))
    await expect(check.getByText(other.feedback)).toBeHidden();

  const sections = await sectionsOf(slug);
  const next = page.getByRole('link', { name: `Continue Step 2 of ${sections.length}: ${sections[1]}` });
  const target = (await next.getAttribute('href'))!;
  await expect(page.locator(`h2${target}`)).toHaveText(sections[1]!);
  await next.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  // The outline's progress needs the script; nothing of the lesson itself is hidden without it.
  await expect(page.getByText(/sections read/)).toBeHidden();

  await page.getByRole('button', { name: 'Finish the lesson' }).click();
  await expect(page.getByRole('heading', { name: 'Lesson complete' })).toBeVisible();
  await expect(page).toHaveURL(/#lesson-end$/);
  // Posting again (a reload, a second tab) adds nothing.
  const again = await context.request.post(`/modules/${slug}?_action=lesson.complete`, {
    form: { module: slug },
    headers: { origin: baseURL! },
  });
  expect(again.status()).toBe(200);
  expect(await completions(learner.id)).toHaveLength(1);
  await page.goto(`/modules/${slug}`);
  await expect(page.getByRole('heading', { name: 'Lesson completed' })).toBeVisible();
  await context.close();
});

test('finishing a lesson that does not exist is refused, and writes nothing', async ({ playwright, baseURL }) => {
  const learner = await newLearner(playwright, baseURL!, 'Rex Refused');
  expect((await callAction(learner.ctx, 'lesson.complete', [['module', 'no-such-lesson']])).status()).toBe(404);
  expect((await callAction(learner.ctx, 'lesson.complete', [['module', 'Not A Slug!']])).status()).toBe(400);
  expect(await completions(learner.id)).toEqual([]);
});

test('media: recordings with transcripts that load nothing before play, a figure with alt text, persona portraits', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const learner = await newLearner(playwright, baseURL!, 'Mia Media');
  const context = await browse(browser, baseURL!, learner);
  const page = await context.newPage();
  const mediaRequests: string[] = [];
  page.on('request', (r) => r.url().includes('/media/') && mediaRequests.push(r.url()));
  await page.goto(`/modules/${LESSON}`);

  const { elements } = scanMdx(readFileSync(`content/modules/${LESSON}.mdx`, 'utf8'));
  const recordings = elements.filter((el) => el.name === 'Audio');
  expect(recordings.length).toBe(2);
  for (const rec of recordings) {
    const figure = page.getByRole('figure', { name: String(rec.attributes.title) });
    await expect(figure.getByText(String(rec.attributes.transcript))).toBeVisible();
    const audio = figure.locator('audio');
    await expect(audio).toHaveAttribute('preload', 'none');
    await expect(audio).toHaveAttribute('controls', '');
    const file = await context.request.get(String(rec.attributes.src));
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('audio/mpeg');
    expect((await file.body()).length).toBeLessThan(40_000);
  }
  expect(
    mediaRequests.filter((u) => u.endsWith('.mp3')),
    'no recording is fetched before play',
  ).toEqual([]);

  const figure = elements.find((el) => el.name === 'Figure')!;
  const img = page.getByRole('img', { name: String(figure.attributes.alt) });
  await expect(img).toHaveAttribute('loading', 'lazy');
  await img.scrollIntoViewIfNeeded();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await expect(page.getByText(String(figure.attributes.caption))).toBeVisible();

  // A role-play card shows its persona's portrait with the alt text from the role-play file.
  const content = await realContent();
  const rp = [...content.roleplays.values()].map((e) => e.data!).find((r) => r.module === 'handling-complaints')!;
  await page.goto('/modules/handling-complaints');
  const portrait = page.getByRole('img', { name: rp.persona.portrait!.alt });
  await portrait.scrollIntoViewIfNeeded();
  await expect(portrait).toHaveAttribute('src', rp.persona.portrait!.src);
  await expect.poll(() => portrait.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  await context.close();
});

test('on a 390 px phone the lesson comes before its outline; on a wide screen the outline sits beside it', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const learner = await newLearner(playwright, baseURL!, 'Pip Phone');
  for (const [width, beside] of [
    [390, false],
    [1280, true],
  ] as const) {
    const context = await browse(browser, baseURL!, learner, { viewport: { width, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/modules/${LESSON}`);
    const lesson = (await page.locator('article.lesson').boundingBox())!;
    const outline = (await page.getByRole('navigation', { name: 'On this page' }).boundingBox())!;
    if (beside) {
      expect(outline.x, 'outline to the right of the lesson').toBeGreaterThanOrEqual(lesson.x + lesson.width);
      expect(outline.y).toBeLessThan(lesson.y + 200);
    } else {
      expect(outline.y, 'outline below the whole lesson').toBeGreaterThan(lesson.y + lesson.height);
      // The first thing after the title on a phone is the lesson: its first section heading is on the first screen.
      await expect(page.getByRole('heading', { level: 2 }).first()).toBeInViewport();
    }
    // Reading order matches: the lesson before the outline, for screen readers and keyboards too.
    expect(
      await page.evaluate(() => {
        const a = document.querySelector('article.lesson')!;
        const n = document.querySelector('nav.outline')!;
        return Boolean(a.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING);
      }),
    ).toBe(true);
    await context.close();
  }
});

test('number-key hints show with a mouse and keyboard, not on a touch screen', async ({
  browser,
  baseURL,
  playwright,
}) => {
  const learner = await newLearner(playwright, baseURL!, 'Tess Touch');
  const content = await realContent();
  const quiz = [...content.quizzes.values()]
    .map((e) => e.data!)
    .find((q) => !q.timeLimitMinutes && content.modules.get(q.module)?.data?.audience === 'rep')!;
  const desk = await browse(browser, baseURL!, learner);
  const page = await desk.newPage();
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Start the quiz', exact: true }).click();
  await waitForHydration(page);
  // The first question may be an ordering one, which has no number keys: move on to one with options.
  while (!(await page.locator('.quiz-option').count()))
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByText('Press a number key to pick an option.')).toBeVisible();
  await expect(page.locator('.quiz-option kbd').first()).toBeVisible();
  const url = page.url();
  await desk.close();

  const phone = await browse(browser, baseURL!, learner, {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const touch = await phone.newPage();
  await touch.goto(url);
  await waitForHydration(touch);
  while (!(await touch.locator('.quiz-option').count()))
    await touch.getByRole('button', { name: 'Next', exact: true }).tap();
  expect(await touch.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches)).toBe(true);
  await expect(touch.locator('.quiz-option').first()).toBeVisible();
  await expect(touch.getByText('Press a number key to pick an option.')).toBeHidden();
  await expect(touch.locator('.quiz-option kbd').first()).toBeHidden();
  await phone.close();
});

test('the page does not move as it loads: the reading-progress line has its place before the script fills it in', async ({
  browser,
  baseURL,
  playwright,
}) => {
  // What the browser paints before the lesson's script runs is the page without JavaScript. Lighthouse (slow phone,
  // the script landing after first paint) measured a layout shift of 0.002 when the script revealed the progress
  // line; so the outline and everything after it must sit where they sit once the script has run.
  const learner = await newLearner(playwright, baseURL!, 'Cleo Steady');
  for (const width of [390, 1280]) {
    const boxes: Record<string, { list: number; footer: number }> = {};
    for (const javaScriptEnabled of [false, true]) {
      const context = await browse(browser, baseURL!, learner, { viewport: { width, height: 844 }, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`/modules/${LESSON}`);
      const outline = page.getByRole('navigation', { name: 'On this page' });
      if (javaScriptEnabled) await expect(outline.getByText(/\d+ of \d+ sections read/)).toBeVisible();
      else await expect(outline.getByText(/sections read/)).toBeHidden();
      const top = (l: Locator) => l.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      boxes[String(javaScriptEnabled)] = {
        list: await top(outline.getByRole('list')),
        footer: await top(page.getByRole('contentinfo')),
      };
      await context.close();
    }
    expect(boxes.true, `outline list and footer at ${width} px, with the script run and before it`).toEqual(
      boxes.false,
    );
  }
});
