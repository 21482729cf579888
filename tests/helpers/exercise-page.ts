/**
 * A calibration exercise taken in a browser page the way a person does it: start it, find each contact's scorecard
 * by its group names ("<standard>, contact <n>"), tick a call, send. Calls come from content/: the expert's, except
 * on the items listed in `differ` (by "contact.standard"), where a careless scorer's call is ticked (not met or not
 * applicable become met, met becomes not met). `started`: the page already shows the open attempt.
 */
import { expect, type Page } from '@playwright/test';
import { scoreLabels, type ScorecardScore } from '../../src/features/scorecard/scorecard';
import { otherCall, realContent } from './e2e-world';

export async function scoreExerciseInPage(
  page: Page,
  exerciseId: string,
  differ: readonly string[] = [],
  opts: { started?: boolean } = {},
): Promise<void> {
  const content = await realContent();
  const exercise = content.exercises.get(exerciseId)!.data!;
  if (!opts.started) {
    await page.goto(`/exercises/${exerciseId}`);
    await page.getByRole('button', { name: /^Start (the exercise|a new attempt|attempt)/ }).click();
  }
  for (const [i, contact] of exercise.contacts.entries()) {
    for (const standardId of exercise.scorecard) {
      const title = content.standards.get(standardId)!.data!.title;
      const expert = contact.expert[standardId]!.score;
      const call = (differ.includes(`${contact.id}.${standardId}`) ? otherCall(expert) : expert) as ScorecardScore;
      await page
        .getByRole('group', { name: `${title}, contact ${i + 1}`, exact: true })
        .getByRole('radio', { name: scoreLabels[call], exact: true })
        .check();
    }
  }
  await page.getByRole('button', { name: 'Send my calls' }).click();
  await expect(page).toHaveURL(new RegExp(`/exercises/${exerciseId}/attempts/[a-z2-7]+$`));
}
