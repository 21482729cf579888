/**
 * The curriculum in a real browser against the built server: every lesson renders without console errors, tracks
 * and previews obey their access rules, and no answer key, feedback, role-play score or effect reaches a lesson's
 * HTML or the client JavaScript bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadValidContent, type Content } from '../../src/features/content/load';

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
      await expect(page.getByRole('heading', { level: 3, name: content.standards.get(id)!.data!.title, exact: true }).first()).toBeVisible();
    }
  }
  expect(errors).toEqual([]);
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
  await page.getByRole('navigation', { name: 'Previous and next module' }).getByRole('link', { name: titles[1]! }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(titles[1]!);
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

test('no lesson page HTML holds a quiz key, feedback, role-play score or effect, case reasoning or an expert’s call', async ({ page }) => {
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
