/**
 * "Allow one more attempt" against the built server: a new rep of team A uses every attempt of a quiz (through the
 * real actions, the test clock moving past each cooldown) and is refused a further start; their manager gives them
 * one more from the rep's page, which is audit-logged and lets the rep start exactly once more; the manager of
 * another team cannot.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import {
  callAction,
  demo,
  DEMO_PASSWORD,
  invitePerson,
  one,
  realContent,
  signedIn,
  startQuiz,
  submitQuiz,
  TEAM_A,
  teamId,
} from '../helpers/e2e-world';

const MIN = 60_000;

async function setClock(ctx: APIRequestContext, offsetMs: number) {
  expect((await ctx.post('/api/test/clock', { data: { offsetMs } })).status()).toBe(200);
}

test('a manager allows a rep who is out of attempts one more; another team’s manager cannot', async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const mgrA = await signedIn(playwright, base, demo.managerA);
  const rep = await invitePerson(playwright, base, mgrA, { name: 'Otto Outoftries', teamId: await teamId(TEAM_A) });
  const quiz = [...(await realContent()).quizzes.values()]
    .map((q) => q.data!)
    .find((q) => q.attempts.max !== undefined)!;
  const max = quiz.attempts.max!;
  const step = (quiz.attempts.cooldownMinutes + 1) * MIN;
  try {
    for (let i = 0; i < max; i++) {
      await setClock(rep.ctx, i * step);
      expect((await submitQuiz(rep.ctx, await startQuiz(rep.ctx, quiz.id), false)).passed).toBe(false);
    }
    await setClock(rep.ctx, max * step);
    expect((await callAction(rep.ctx, 'quiz.start', [['quiz', quiz.id]])).status()).toBe(403);

    await page.goto('/login');
    await page.getByLabel('Email').fill(demo.managerA);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await page.goto(`/team/people/${rep.id}`);
    const section = page.getByRole('region', { name: 'Out of attempts' });
    const allow = section.getByRole('button', { name: `Allow one more attempt at ${quiz.title}` });
    await expect(allow).toBeVisible();
    await allow.click();
    await expect(page.getByRole('status')).toContainText('One more attempt allowed.');
    await expect(section.getByRole('button', { name: /Allow one more attempt/ })).toHaveCount(0);

    const grants = await one<{ n: number }>(
      'SELECT count(*) AS n FROM attempt_grant WHERE user_id = ? AND quiz_id = ?',
      [rep.id, quiz.id],
    );
    expect(Number(grants.n)).toBe(1);
    const audit = await one<{ actor: string }>(
      "SELECT u.email AS actor FROM audit_log a JOIN user u ON u.id = a.actor_id WHERE a.action = 'quiz.attempt_granted' AND a.target = ?",
      [rep.id],
    );
    expect(audit.actor).toBe(demo.managerA);

    // Another team's manager: the rep is not theirs (404), and nothing more is granted.
    const mgrB = await signedIn(playwright, base, demo.managerB);
    expect(
      (
        await callAction(mgrB, 'attempts.allowAnother', [
          ['learner', rep.id],
          ['quiz', quiz.id],
        ])
      ).status(),
    ).toBe(404);
    // The rep cannot grant themselves one.
    expect(
      (
        await callAction(rep.ctx, 'attempts.allowAnother', [
          ['learner', rep.id],
          ['quiz', quiz.id],
        ])
      ).status(),
    ).toBe(403);
    expect(
      Number((await one<{ n: number }>('SELECT count(*) AS n FROM attempt_grant WHERE user_id = ?', [rep.id])).n),
    ).toBe(1);

    // The rep's quiz page offers the extra try, and the start action honours it; once used, it is refused again.
    const quizPage = await (await rep.ctx.get(`/quizzes/${quiz.id}`)).text();
    expect(quizPage).toContain('Start your extra attempt');
    expect((await submitQuiz(rep.ctx, await startQuiz(rep.ctx, quiz.id), false)).passed).toBe(false);
    await setClock(rep.ctx, (max + 1) * step);
    expect((await callAction(rep.ctx, 'quiz.start', [['quiz', quiz.id]])).status()).toBe(403);
  } finally {
    await setClock(rep.ctx, 0);
  }
});
