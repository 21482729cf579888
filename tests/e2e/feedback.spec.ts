/**
 * Feedback that teaches, end to end in Chromium with and without JavaScript: a failed certification attempt says
 * which questions were wrong, the standard each tested and the lesson section that teaches it (keys stay hidden),
 * and counts down to the next attempt, which opens without a reload; practice (feedback after each answer, never
 * counted, no attempt spent, no xAPI statement; the only retake of a passed quiz); answers saved as they are given,
 * so a reload or a second browser continues; a judgment case's verdict line before its reasoning; the next-module
 * button after a pass.
 *
 * People come from the real invite flow; answers come from content/ (as someone who knows the material would
 * answer). Failing or passing a quiz that is only the set-up of a test goes through the same action posts the
 * island sends (tests/helpers/e2e-world.ts).
 */
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { Question, Quiz } from '../../src/features/content/schema';
import {
  demo,
  DEMO_PASSWORD,
  e2eDb,
  invitePerson,
  one,
  realContent,
  signedIn,
  startQuiz,
  submitQuiz,
  TEAM_A,
  teamId,
  type Person,
} from '../helpers/e2e-world';
import { waitForHydration } from '../helpers/islands';

const MINUTE = 60_000;

let quiz: Quiz;
let nextModule: { slug: string; title: string };
const standardTitles = new Map<string, string>();
/** Module slug → its MDX source, to know which standards a lesson places with <Standard id>. */
const lessonSource = new Map<string, string>();

test.beforeAll(async () => {
  const content = await realContent();
  const track = [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
  const first = content.modules.get(track.modules[0]!)!;
  quiz = content.quizzes.get(first.data!.quiz!)!.data!;
  const second = content.modules.get(track.modules[1]!)!;
  nextModule = { slug: track.modules[1]!, title: second.data!.title };
  for (const [id, e] of content.standards) standardTitles.set(id, e.data!.title);
  for (const [slug, e] of content.modules) lessonSource.set(slug, e.text);
});

test.afterEach(async ({ request }) => {
  await request.post('/api/test/clock', { data: { offsetMs: 0 } });
});

async function setClock(request: { post: Page['request']['post'] }, offsetMs: number) {
  expect((await request.post('/api/test/clock', { data: { offsetMs } })).status()).toBe(200);
}

/** A new rep (real invite flow) and a browser context signed in as them. */
async function newLearner(
  playwright: Parameters<typeof invitePerson>[0],
  browser: Browser,
  baseURL: string,
  name: string,
  javaScriptEnabled = true,
): Promise<{ person: Person; context: BrowserContext; page: Page }> {
  const admin = await signedIn(playwright, baseURL, demo.admin, DEMO_PASSWORD);
  const person = await invitePerson(playwright, baseURL, admin, { name, teamId: await teamId(TEAM_A) });
  await admin.dispose();
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled,
    storageState: await person.ctx.storageState(),
  });
  return { person, context, page: await context.newPage() };
}

async function frozenOf(attemptId: string): Promise<{ id: string; options: string[] }[]> {
  return JSON.parse(
    (await one<{ questions: string }>('SELECT questions FROM quiz_attempt WHERE id = ?', [attemptId])).questions,
  );
}

async function latestAttempt(userId: string, mode: 'practice' | 'certification'): Promise<string> {
  return String(
    (
      await one('SELECT id FROM quiz_attempt WHERE user_id = ? AND mode = ? ORDER BY started_at DESC LIMIT 1', [
        userId,
        mode,
      ])
    ).id,
  );
}

/** The content question behind what the page shows (several scenario questions share a prompt). */
function questionShown(prompt: string, scenario: string | null): Question {
  const q = quiz.questions.find(
    (x) => prompt.trim().endsWith(x.prompt.trim()) && (x.scenario ?? null) === (scenario?.trim() || null),
  );
  if (!q) throw new Error(`no question of ${quiz.id} matches "${prompt}"`);
  return q;
}

async function scenarioIn(scope: Locator): Promise<string | null> {
  const p = scope.locator('.quiz-scenario');
  return (await p.count()) > 0 ? await p.first().innerText() : null;
}

/** The island's current question, as content. */
async function currentQuestion(page: Page): Promise<Question> {
  const section = page.locator('section.quiz-question');
  return questionShown(
    (await section.locator('h2').innerText()).replace(/^Question \d+:\s*/, ''),
    await scenarioIn(section),
  );
}

/** Answers the island's current question (right or wrong) with the mouse, as a person would. */
async function answerCurrent(page: Page, q: Question, right: boolean): Promise<void> {
  if (q.kind === 'ordering') {
    const texts = (right ? q.options : [...q.options].reverse()).map((o) => o.text);
    for (const [k, text] of texts.entries()) {
      const items = await page.locator('.quiz-order-text').allInnerTexts();
      for (let j = items.indexOf(text); j > k; j--)
        await page.getByRole('button', { name: `Move up: ${text}`, exact: true }).click();
    }
    return;
  }
  const texts = right
    ? q.options.filter((o) => o.correct).map((o) => o.text)
    : [q.options.find((o) => !o.correct)!.text];
  for (const text of texts)
    await page.getByRole(q.kind === 'multiple' ? 'checkbox' : 'radio', { name: text, exact: true }).check();
}

// ---------------------------------------------------------------------------------------------- a failed attempt

test('a failed certification attempt names the wrong questions, their standards and lesson sections; the countdown opens the next attempt without a reload', async ({
  playwright,
  browser,
  baseURL,
  request,
}) => {
  await setClock(request, 0);
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Fay Feedback');
  const attemptId = await startQuiz(person.ctx, quiz.id);
  const frozen = await frozenOf(attemptId);
  const { result, passed } = await submitQuiz(person.ctx, attemptId, false);
  expect(passed).toBe(false);

  await page.clock.install();
  await page.goto(result);
  const revisit = page.getByRole('region', { name: 'What to revisit' });
  await expect(revisit).toContainText(`${frozen.length} questions were not right`);
  // Every wrong question is listed with each standard it tested, linked to the lesson section placing it.
  const items = revisit.getByRole('listitem');
  await expect(items).toHaveCount(frozen.length);
  for (const [n, f] of frozen.entries()) {
    const q = quiz.questions.find((x) => x.id === f.id)!;
    const item = items.nth(n);
    await expect(item.getByRole('link', { name: `Question ${n + 1}`, exact: true })).toHaveAttribute(
      'href',
      `#review-${q.id}`,
    );
    for (const s of q.standards) {
      const link = item.getByRole('link', { name: standardTitles.get(s)!, exact: true });
      const module = [...lessonSource].find(([, text]) => text.includes(`<Standard id="${s}"`))?.[0];
      if (module) await expect(link).toHaveAttribute('href', new RegExp(`^/modules/[a-z0-9-]+#standard-${s}$`));
      else await expect(link).toHaveAttribute('href', /^\/modules\/[a-z0-9-]+$/);
    }
  }
  // Each question in the review is marked wrong; no key and no option's why is on the page.
  await expect(page.locator('.quiz-review-item.is-wrong')).toHaveCount(frozen.length);
  await expect(page.getByText('Correct answer')).toHaveCount(0);
  const html = await page.content();
  for (const f of frozen)
    for (const o of quiz.questions.find((x) => x.id === f.id)!.options)
      if (o.feedback) expect(html).not.toContain(o.feedback.slice(0, 40));

  // The countdown runs in the page; at zero the start button appears in place (the page is not reloaded).
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^(29|30):\d\d$/);
  await expect(page.getByRole('button', { name: 'Start your next attempt' })).toHaveCount(0);
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await setClock(request, 31 * MINUTE);
  await page.clock.fastForward('31:00');
  await expect(page.getByText('Your next attempt is open now.')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await page.getByRole('button', { name: 'Start your next attempt' }).click();
  await expect(page).toHaveURL(`/quizzes/${quiz.id}`);
  await expect(page.getByText(`Question 1 of ${frozen.length}`)).toBeVisible();

  // A lesson-section link lands on that section.
  const [s] = quiz.questions.find((x) => x.id === frozen[0]!.id)!.standards;
  await page.goto(result);
  await page
    .getByRole('region', { name: 'What to revisit' })
    .getByRole('link', { name: standardTitles.get(s!)!, exact: true })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/modules/[a-z0-9-]+#standard-${s}$`));
  await expect(page.locator(`#standard-${s}`)).toBeInViewport();
  await context.close();
});

test('without JavaScript a failed attempt states when the next attempt opens, and offers practice meanwhile', async ({
  playwright,
  browser,
  baseURL,
  request,
}) => {
  await setClock(request, 0);
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Fabian Feedback', false);
  const attemptId = await startQuiz(person.ctx, quiz.id);
  const { result } = await submitQuiz(person.ctx, attemptId, false);
  await page.goto(result);
  await expect(page.getByRole('region', { name: 'What to revisit' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByText(/Your next attempt opens at .+ \(in about (29|30) minutes\)\./)).toBeVisible();
  await page.goto(`/quizzes/${quiz.id}`);
  await expect(page.getByText(/Your next attempt opens at .+ \(in about (29|30) minutes\)\./)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Start/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Practise while you wait' })).toBeVisible();
  // Once the time has come, the page (reloaded: no script) offers the start.
  await setClock(request, 31 * MINUTE);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start attempt 2 of 5' })).toBeVisible();
  await context.close();
});

// ---------------------------------------------------------------------------------------------- practice

test('practice: other questions, feedback after each answer (the key only once answered), never counted, no attempt spent, no xAPI statement', async ({
  playwright,
  browser,
  baseURL,
  request,
}) => {
  await setClock(request, 0);
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Pia Practice');
  const certId = await startQuiz(person.ctx, quiz.id);
  const certQuestions = new Set((await frozenOf(certId)).map((f) => f.id));
  await submitQuiz(person.ctx, certId, false);

  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Practise while you wait' }).click();
  await expect(page.getByText(/^Practice\. Check each answer/)).toBeVisible();
  const practiceId = await latestAttempt(person.id, 'practice');
  const practiceQuestions = (await frozenOf(practiceId)).map((f) => f.id);
  // Questions the learner has not just seen come first, as far as the pool allows.
  const fresh = practiceQuestions.filter((id) => !certQuestions.has(id));
  expect(fresh).toHaveLength(Math.min(quiz.questions.length - certQuestions.size, practiceQuestions.length));

  await waitForHydration(page);
  const total = practiceQuestions.length;
  for (let i = 0; i < total; i++) {
    const q = await currentQuestion(page);
    const right = i > 0;
    // Before the answer is checked, nothing of its key is in the page.
    const before = await page.content();
    for (const o of q.options) if (o.feedback) expect(before).not.toContain(o.feedback.slice(0, 40));
    await answerCurrent(page, q, right);
    await page.getByRole('button', { name: 'Check my answer' }).click();
    const feedback = page.locator(`#feedback-${q.id}`);
    await expect(feedback).toBeFocused();
    await expect(feedback).toContainText(right ? 'Right' : 'Not quite');
    if (q.kind !== 'ordering') {
      for (const o of q.options.filter((x) => x.correct))
        await expect(feedback.getByRole('listitem').filter({ hasText: o.text })).toContainText('Correct answer');
    }
    if (q.options[0]!.feedback) await expect(feedback).toContainText(q.options[0]!.feedback.slice(0, 40));
    // A checked answer is final.
    if (q.kind !== 'ordering') await expect(page.locator('section.quiz-question input').first()).toBeDisabled();
    await page.getByRole('button', { name: i === total - 1 ? 'Review and finish' : 'Next', exact: true }).click();
  }
  await page.getByRole('button', { name: 'Finish practice' }).click();
  await expect(page).toHaveURL(`/quizzes/${quiz.id}/attempts/${practiceId}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your practice result');
  await expect(
    page.getByText(/practice: does not count toward a certificate and used none of your attempts/),
  ).toBeVisible();

  // Never counted: no standard results, no xAPI statement, still one certification attempt used.
  const rows = async (sql: string) => Number((await e2eDb().execute({ sql, args: [practiceId] })).rows[0]![0]);
  expect(await rows('SELECT count(*) FROM xapi_statement WHERE source_id = ?')).toBe(0);
  expect(await rows('SELECT count(*) FROM standard_result WHERE source_id = ?')).toBe(0);
  await setClock(request, 31 * MINUTE);
  await page.goto(`/quizzes/${quiz.id}`);
  await expect(page.getByRole('button', { name: 'Start attempt 2 of 5' })).toBeVisible();
  await expect(page.getByRole('table').getByText('Practice', { exact: true })).toHaveCount(1);
  await context.close();
});

test('a passed certification quiz retakes as practice: "Practise again" spends no certification attempt', async ({
  playwright,
  browser,
  baseURL,
}) => {
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Paolo Passed');
  const attemptId = await startQuiz(person.ctx, quiz.id);
  const { result, passed } = await submitQuiz(person.ctx, attemptId, true);
  expect(passed).toBe(true);
  // The pass: a clear next-module button.
  await page.goto(result);
  const nextLink = page.getByRole('link', { name: `Next module: ${nextModule.title}` });
  await expect(nextLink).toHaveAttribute('href', new RegExp(`^/modules/${nextModule.slug}\\?track=`));

  await page.goto(`/quizzes/${quiz.id}`);
  await expect(page.getByText('You passed this quiz.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Start/ })).toHaveCount(0);
  const certCount = () =>
    one<{ n: number }>("SELECT count(*) AS n FROM quiz_attempt WHERE user_id = ? AND mode = 'certification'", [
      person.id,
    ]).then((r) => Number(r.n));
  expect(await certCount()).toBe(1);
  await page.getByRole('button', { name: 'Practise again' }).click();
  await expect(page.getByText(/^Practice\. Check each answer/)).toBeVisible();
  expect(await certCount()).toBe(1);
  // Even a replayed certification start after the pass is practice.
  await startQuiz(person.ctx, quiz.id);
  expect(await certCount()).toBe(1);
  await context.close();
});

test('practice without JavaScript: a form per question, "Check my answer" brings back its feedback', async ({
  playwright,
  browser,
  baseURL,
}) => {
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Nils Nojs Practice', false);
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Practise first' }).click();
  await expect(page.getByText(/^Practice\. Check each answer/)).toBeVisible();
  const practiceId = await latestAttempt(person.id, 'practice');
  const [first] = await frozenOf(practiceId);
  const q = quiz.questions.find((x) => x.id === first!.id)!;
  const item = page.locator(`#question-${q.id}`);
  if (q.kind === 'ordering') {
    for (const [k, o] of q.options.entries())
      await item.getByLabel(`Step ${k + 1}`, { exact: true }).selectOption({ label: o.text });
  } else {
    for (const o of q.options.filter((x) => x.correct))
      await item.getByRole(q.kind === 'multiple' ? 'checkbox' : 'radio', { name: o.text, exact: true }).check();
  }
  await item.getByRole('button', { name: 'Check my answer' }).click();
  await expect(page).toHaveURL(new RegExp(`/quizzes/${quiz.id}#question-${q.id}$`));
  await expect(page.locator(`#feedback-${q.id}`)).toContainText('Right');
  await expect(page.locator(`#question-${q.id}`).getByRole('button', { name: 'Check my answer' })).toHaveCount(0);
  // Checking it again (a replayed form) is refused with a message, not a 500.
  const replay = await page.request.post(`/quizzes/${quiz.id}?_action=quiz.save`, {
    form: { attempt: practiceId, [`q.${q.id}`]: '0' },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(replay.status()).toBe(409);
  expect(await replay.text()).toContain('You have already answered this practice question; its feedback is shown.');
  await page.getByRole('button', { name: 'Finish practice' }).click();
  await expect(page).toHaveURL(`/quizzes/${quiz.id}/attempts/${practiceId}`);
  await expect(page.getByText(`1 of ${quiz.draw} right`)).toBeVisible();
  // From practice, the certification attempt is one button away (practice used none of the attempts).
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Practise first' }).click();
  await page.getByRole('button', { name: 'Leave practice: start the quiz' }).click();
  await expect(page.getByRole('button', { name: 'Save my answers' })).toBeVisible();
  await expect(page.getByText(/^Practice\. Check each answer/)).toHaveCount(0);
  await context.close();
});

// ---------------------------------------------------------------------------------------------- saving as you go

test('answers are saved as they are given: a reload and a second browser continue with the same answers', async ({
  playwright,
  browser,
  baseURL,
}) => {
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Rita Reload');
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Start the quiz' }).click();
  await waitForHydration(page);
  const chosen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const q = await currentQuestion(page);
    await answerCurrent(page, q, true);
    chosen.push(q.id);
    await expect(page.getByText('· Answers saved')).toBeVisible();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByText('3 answered')).toBeVisible();
  for (const n of [1, 2, 3]) await expect(page.getByRole('button', { name: `Question ${n}, answered` })).toBeVisible();

  // Another device: the same attempt with the same answers chosen.
  const other = await browser.newContext({ baseURL, storageState: await person.ctx.storageState() });
  const second = await other.newPage();
  await second.goto(`/quizzes/${quiz.id}`);
  await waitForHydration(second);
  await expect(second.getByText('3 answered')).toBeVisible();
  for (const id of chosen) {
    const q = quiz.questions.find((x) => x.id === id)!;
    if (q.kind === 'ordering' || q.kind === 'multiple') continue;
    const n = chosen.indexOf(id) + 1;
    await second.getByRole('button', { name: `Question ${n}, answered` }).click();
    await expect(
      second.getByRole('radio', { name: q.options.find((o) => o.correct)!.text, exact: true }),
    ).toBeChecked();
  }
  await other.close();
  await context.close();
});

test('without JavaScript "Save my answers" keeps them on the server for a reload or another browser', async ({
  playwright,
  browser,
  baseURL,
}) => {
  const { person, context, page } = await newLearner(playwright, browser, baseURL!, 'Sam Save Nojs', false);
  await page.goto(`/quizzes/${quiz.id}`);
  await page.getByRole('button', { name: 'Start the quiz' }).click();
  const groups = page.locator('form.quiz-form fieldset.quiz-options');
  const picked: { n: number; text: string }[] = [];
  for (let n = 0; picked.length < 3; n++) {
    const group = groups.nth(n);
    const q = questionShown(await group.locator('legend').innerText(), await scenarioIn(group));
    if (q.kind === 'ordering' || q.kind === 'multiple') continue;
    const text = q.options.find((o) => o.correct)!.text;
    await group.getByRole('radio', { name: text, exact: true }).check();
    picked.push({ n, text });
  }
  await page.getByRole('button', { name: 'Save my answers' }).click();
  await expect(page.getByText('Your answers are saved (3 so far).')).toBeVisible();
  await page.goto(`/quizzes/${quiz.id}`);
  for (const { n, text } of picked)
    await expect(groups.nth(n).getByRole('radio', { name: text, exact: true })).toBeChecked();

  const other = await browser.newContext({
    baseURL,
    javaScriptEnabled: false,
    storageState: await person.ctx.storageState(),
  });
  const second = await other.newPage();
  await second.goto(`/quizzes/${quiz.id}`);
  const groups2 = second.locator('form.quiz-form fieldset.quiz-options');
  for (const { n, text } of picked)
    await expect(groups2.nth(n).getByRole('radio', { name: text, exact: true })).toBeChecked();
  await other.close();
  await context.close();
});

// ---------------------------------------------------------------------------------------------- judgment verdict

for (const javaScriptEnabled of [true, false]) {
  test(`a judgment case gives its verdict line before the reasoning (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({
    playwright,
    browser,
    baseURL,
  }) => {
    const content = await realContent();
    const [module, c] = [...content.modules]
      .flatMap(([slug, e]) =>
        [...e.text.matchAll(/<JudgmentCase id="([^"]+)"/g)].map(
          (m) => [slug, content.cases.get(m[1]!)!.data!] as const,
        ),
      )
      .find(([, x]) => new Set(x.options.map((o) => o.score)).size >= 3)!;
    const scores = [...new Set(c.options.map((o) => o.score))].sort((a, b) => b - a);
    const weakest = c.options.find((o) => o.score === scores.at(-1))!;
    const strongest = c.options.filter((o) => o.score === scores[0]);
    const { context, page } = await newLearner(
      playwright,
      browser,
      baseURL!,
      `Vera Verdict ${javaScriptEnabled ? 'js' : 'nojs'}`,
      javaScriptEnabled,
    );
    await page.goto(`/modules/${module}`);
    const section = page.getByRole('region', { name: c.title });
    if (javaScriptEnabled) await waitForHydration(section);
    await section.getByRole('radio', { name: weakest.label, exact: true }).check();
    if (c.prompt) await section.getByRole('textbox').fill('I would follow the rule and tell them why.');
    await section.getByRole('button', { name: 'Submit my answer' }).click();
    const verdict = section.locator('.jc-verdict');
    await expect(verdict).toHaveText(
      `Weaker call Not the strongest call: that was ${strongest.map((o) => `“${o.label}”`).join(' or ')}. See why below.`,
    );
    if (javaScriptEnabled) await expect(verdict).toBeFocused();
    // The verdict comes before the reasoning.
    const order = await section.evaluate((el) => {
      const v = el.querySelector('.jc-verdict')!;
      const h = [...el.querySelectorAll('h4')].find((x) => x.textContent?.includes('How each option plays out'))!;
      return v.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await context.close();
  });
}
