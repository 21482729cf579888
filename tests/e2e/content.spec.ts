/**
 * The curriculum in a real browser against the built server: every lesson renders without console errors, tracks
 * and previews obey their access rules, and no answer key, feedback, role-play score or effect reaches a lesson's
 * HTML or the client JavaScript bundle. Trainers read the assessment health report (with keys) on /trainer/health.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadValidContent, type Content } from '../../src/features/content/load';
import { assessmentHealth, failingCertification } from '../../src/features/reports/assessment-health';
import { leakText, shorten } from '../../src/features/reports/health-text';

const PASSWORD = 'frontline-demo-2026';
const dist = process.env.E2E_DIST ?? 'dist';
let content: Content;

test.beforeAll(async () => {
  content = await loadValidContent('content');
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

/** Records console errors and uncaught exceptions from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

test('every module page renders with its outline and no console errors', async ({ page }) => {
  await signIn(page, 'admin@demo.test');
  const errors = watchErrors(page);
  for (const [slug, module] of content.modules) {
    const response = await page.goto(`/modules/${slug}`);
    expect(response?.status(), slug).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(module.data!.title);
    await expect(page.getByRole('navigation', { name: 'On this page' }).getByRole('link').first()).toBeVisible();
    await expect(page.getByText(`About ${module.data!.minutes} minutes`)).toBeVisible();
    for (const id of module.data!.standards) {
      await expect(
        page.getByRole('heading', { level: 3, name: content.standards.get(id)!.data!.title, exact: true }).first(),
      ).toBeVisible();
    }
    expect(await page.locator('main').innerText(), `${slug} shows a raw placeholder`).not.toMatch(/\{\{|policy value/);
  }
  expect(errors).toEqual([]);
});

test("the organisation's policy values appear where lessons and role-plays use them", async ({ page }) => {
  const org = content.organization!.data!;
  await signIn(page, 'admin@demo.test');
  await page.goto('/modules/measuring-service');
  await expect(
    page.getByText(`${org.values['qa-sample']!.number} monitored calls, chats or emails per person per month`),
  ).toBeVisible();
  await page.goto('/trainer/preview/roleplays/escalated-customer');
  const money = new Intl.NumberFormat(org.locale, {
    style: 'currency',
    currency: org.currency,
    maximumFractionDigits: 0,
  });
  await expect(
    page.getByText(
      `goodwill credit of up to ${money.format(org.values['manager-goodwill-limit']!.money!)} without sign-off`,
    ),
  ).toBeVisible();
  expect(await page.locator('main').innerText()).not.toContain('{{');
});

test('a rep sees the rep track in order and moves through its lessons', async ({ page }) => {
  await signIn(page, 'rep1@demo.test');
  const track = [...content.tracks.values()].find((t) => t.data!.audience === 'rep')!.data!;
  await page.goto('/tracks');
  const cards = page.getByRole('main').getByRole('listitem');
  await expect(cards).toHaveCount([...content.tracks.values()].filter((t) => t.data!.audience === 'rep').length);
  await page.getByRole('link', { name: track.title }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(track.title);
  const titles = track.modules.map((slug) => content.modules.get(slug)!.data!.title);
  await expect(page.getByRole('main').getByRole('heading', { level: 3 })).toHaveText(titles);

  await page.getByRole('link', { name: titles[0]! }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(`Module 1 of ${titles.length}`);
  await page
    .getByRole('navigation', { name: 'Previous and next module' })
    .getByRole('link', { name: titles[1]! })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(titles[1]!);
});

test('a lesson links its job aid, a one-page sheet that prints without the site around it', async ({ page }) => {
  await signIn(page, 'rep1@demo.test');
  for (const [slug, aid] of content.jobAids) {
    await page.goto(`/modules/${slug}`);
    await page.getByRole('link', { name: `Job aid: ${aid.data!.title}` }).click();
    await expect(page).toHaveURL(`/modules/${slug}/job-aid`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(aid.data!.title);
    expect(await page.locator('main').innerText()).not.toMatch(/\{\{|policy value/);
  }
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('banner')).toBeHidden();
  await expect(page.getByRole('link', { name: /Back to the lesson/ })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  const without = [...content.modules.keys()].find((m) => !content.jobAids.has(m));
  if (without) {
    await page.goto(`/modules/${without}`);
    await expect(page.getByRole('link', { name: /^Job aid:/ })).toHaveCount(0);
    expect((await page.goto(`/modules/${without}/job-aid`))?.status()).toBe(404);
  }
});

test('every job aid reads on a phone: nothing wider than the screen, from 320 pixels up', async ({ page }) => {
  await signIn(page, 'rep1@demo.test');
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 800 });
    for (const slug of content.jobAids.keys()) {
      await page.goto(`/modules/${slug}/job-aid`);
      // A wide table may scroll inside its own box; the page itself must not scroll sideways (WCAG 1.4.10 reflow).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${slug} at ${width}px`).toBeLessThanOrEqual(0);
    }
  }
});

test('unknown tracks and modules are 404; previews are refused to learners', async ({ page }) => {
  await signIn(page, 'rep1@demo.test');
  expect((await page.goto('/tracks/no-such-track'))?.status()).toBe(404);
  expect((await page.goto('/modules/no-such-module'))?.status()).toBe(404);
  const quiz = [...content.quizzes.keys()][0]!;
  expect((await page.goto(`/trainer/preview/quizzes/${quiz}`))?.status()).toBe(403);
  expect((await page.goto('/trainer/preview'))?.status()).toBe(403);
});

test('a trainer previews a quiz with its key and a role-play as a graph', async ({ page }) => {
  await signIn(page, 'trainer@demo.test');
  const quiz = [...content.quizzes.values()][0]!.data!;
  await page.goto(`/trainer/preview/quizzes/${quiz.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(quiz.title);
  const marked = quiz.questions.flatMap((q) => q.options.filter((o) => o.correct)).length;
  await expect(page.getByText('✓ Correct')).toHaveCount(marked);

  const rp = [...content.roleplays.values()][0]!.data!;
  await page.goto(`/trainer/preview/roleplays/${rp.id}`);
  const graph = page.getByRole('img', { name: /Graph/ });
  await expect(graph).toBeVisible();
  await expect(graph.locator('g.box')).toHaveCount(Object.keys(rp.nodes).length + Object.keys(rp.endings).length);
  await expect(graph.locator('g.unreachable')).toHaveCount(0);
});

test("a trainer's role-play preview shows each node's other wordings and the condition that picks each", async ({
  page,
}) => {
  await signIn(page, 'trainer@demo.test');
  const rp = [...content.roleplays.values()]
    .map((e) => e.data!)
    .find((r) => Object.values(r.nodes).some((n) => n.variants?.length))!;
  await page.goto(`/trainer/preview/roleplays/${rp.id}`);
  for (const [id, node] of Object.entries(rp.nodes)) {
    const section = page.locator(`#node-${id}`);
    await expect(section.getByText('Other wordings:')).toHaveCount(node.variants?.length ? 1 : 0);
    for (const v of node.variants ?? []) {
      const item = section.locator('.variants li').filter({ has: page.getByText(`if ${v.if}`, { exact: true }) });
      await expect(item, `${id}: if ${v.if}`).toHaveCount(1);
      if (v.line) await expect(item).toContainText(v.line.slice(0, 60));
      if (v.narration) await expect(item).toContainText(v.narration.slice(0, 60));
      // content:check refuses a variant no reachable state meets, so none is marked.
      await expect(item.getByText('never holds')).toHaveCount(0);
    }
  }
});

test('a trainer reads assessment health without JavaScript: the verdict, then a track at a time', async ({
  browser,
}) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(page, 'trainer@demo.test');
  // The same report the build stores, computed here from the same files.
  const report = assessmentHealth(await loadValidContent('content', 'content/'));
  const failing = failingCertification(report);
  await page.goto('/trainer/health');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessment health');
  await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(
    failing.length === 0
      ? 'No naive strategy gets through any certification content'
      : `${failing.length} piece${failing.length === 1 ? '' : 's'} of certification content let a naive strategy through`,
  );

  for (const track of report.tracks) {
    await page.getByLabel('Track', { exact: true }).selectOption(track.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`track=${track.id}`));
    for (const id of track.quizzes) {
      const quiz = report.quizzes.find((q) => q.id === id)!;
      const article = page.locator(`#quiz-${id}`);
      await expect(article.getByRole('heading', { level: 3 })).toHaveText(quiz.title);
      await expect(
        article.getByRole('table', { name: `Naive strategies on ${quiz.title}` }).getByRole('row'),
      ).toHaveCount(1 + quiz.results.length);
      await expect(article.getByText(quiz.through.length > 0 ? 'Fails' : 'Passes', { exact: true })).toBeVisible();
      for (const f of quiz.findings)
        await expect(article.getByText(`${f.file}:${f.line}:${f.col}`).first()).toBeAttached();
      // The page names each question a naive strategy gets right at least half the time, and which strategy.
      await expect(article.getByText('No question lets a naive strategy through.')).toHaveCount(
        quiz.leaks.length === 0 ? 1 : 0,
      );
      for (const leak of quiz.leaks) {
        const prompt = content.quizzes.get(id)!.data!.questions.find((q) => q.id === leak.id)!.prompt;
        await expect(
          article
            .getByRole('listitem')
            .filter({ hasText: shorten(prompt).slice(0, 60) })
            .first(),
        ).toContainText(leakText(leak));
      }
    }
    for (const id of track.roleplays) {
      const rp = report.roleplays.find((r) => r.id === id)!;
      const verdict = rp.through.length === 0 ? 'Passes' : rp.certification ? 'Fails' : 'Would fail if required';
      const article = page.locator(`#roleplay-${id}`);
      await expect(article.getByText(verdict, { exact: true })).toBeVisible();
      await expect(article.getByText('No point of the conversation lets a naive strategy through.')).toHaveCount(
        rp.leaks.length === 0 ? 1 : 0,
      );
      for (const leak of rp.leaks) {
        const line = content.roleplays.get(id)!.data!.nodes[leak.id]!.line;
        await expect(
          article
            .getByRole('listitem')
            .filter({ hasText: shorten(line, 90).slice(0, 60) })
            .first(),
        ).toContainText(leakText(leak));
      }
    }
    await expect(
      page.getByRole('table', { name: `Judgment cases in the lessons of ${track.title}` }).getByRole('row'),
    ).toHaveCount(1 + track.cases.length);
  }

  const refused = await page.goto('/trainer/health?track=no-such-track');
  expect(refused?.status()).toBe(400);
  await expect(page.getByRole('alert')).toHaveText('There is no such track; showing the first one instead.');
});

// ------------------------------------------------------------------------------------------- answer-key leaks

/** Everything that must never reach a learner before they answer: as normalised text. */
function secrets(): string[] {
  const out: string[] = [];
  for (const { data: quiz } of content.quizzes.values()) {
    for (const q of quiz!.questions) for (const o of q.options) out.push(o.feedback);
  }
  for (const { data: rp } of content.roleplays.values()) {
    for (const node of Object.values(rp!.nodes)) for (const c of node.choices) out.push(c.feedback);
    for (const e of Object.values(rp!.endings)) out.push(e.text);
  }
  for (const { data: c } of content.cases.values()) for (const o of c!.options) out.push(o.reasoning);
  for (const { data: ex } of content.exercises.values()) {
    for (const contact of ex!.contacts) for (const call of Object.values(contact.expert)) out.push(call.reason);
  }
  return [...new Set(out.map(normalise))];
}

/** Undo HTML and JSON escaping, then compare case- and whitespace-insensitively. */
function normalise(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/\\(.)/g, '$1')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Key-shaped fields: `correct` flags, effects maps, scores and pass scores, in JSON or minified JS. */
const keyFields = /["']?\b(correct|effects|passScore|score)["']?\s*:\s*(!0|!1|true|false|\{|-?\d)/;

function leaks(haystack: string, all: string[]): string[] {
  const text = normalise(haystack);
  const found = all.filter((s) => text.includes(s)).map((s) => `text: ${s.slice(0, 80)}`);
  const field = keyFields.exec(haystack);
  if (field) found.push(`field: ${haystack.slice(Math.max(0, field.index - 40), field.index + 40)}`);
  return found;
}

test('the search finds keys where they are meant to be (the trainer preview)', async ({ page }) => {
  await signIn(page, 'trainer@demo.test');
  const quiz = [...content.quizzes.values()][0]!.data!;
  const html = await (await page.request.get(`/trainer/preview/quizzes/${quiz.id}`)).text();
  const feedback = quiz.questions.flatMap((q) => q.options.map((o) => normalise(o.feedback)));
  expect(leaks(html, feedback).length).toBe(feedback.length);
  const exercise = [...content.exercises.values()][0]!.data!;
  const reasons = exercise.contacts.flatMap((c) => Object.values(c.expert).map((x) => normalise(x.reason)));
  const preview = await (await page.request.get(`/trainer/preview/exercises/${exercise.id}`)).text();
  expect(leaks(preview, reasons).length).toBe(reasons.length);
  expect(leaks('{"id":"a","correct":true}', [])).toHaveLength(1);
  expect(leaks('x={correct:!0,text:"a"}', [])).toHaveLength(1);
});

test('no lesson page HTML holds a quiz key, feedback, role-play score or effect, case reasoning or an expert’s call', async ({
  page,
}) => {
  await signIn(page, 'rep2@demo.test');
  const all = secrets();
  for (const slug of content.modules.keys()) {
    const response = await page.request.get(`/modules/${slug}`);
    expect(response.status(), slug).toBe(200);
    expect(leaks(await response.text(), all), slug).toEqual([]);
  }
});

test('the client JavaScript bundle holds no quiz key, feedback, role-play score or effect, case reasoning or an expert’s call', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m?js|json|html)$/.test(entry.name)) files.push(path);
    }
  };
  walk(join(dist, 'client'));
  expect(files.length).toBeGreaterThan(0);
  const all = secrets();
  for (const file of files) expect(leaks(readFileSync(file, 'utf8'), all), file).toEqual([]);
});
