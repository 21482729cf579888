/**
 * Calibration exercise actions: parse, authorize, delegate to exercise.server.ts. Both accept form posts: the
 * exercise page is a plain form (it needs no JavaScript) and redirects after a successful post. The submit input is
 * the strict form reader in features/exercise/submission.ts: a forged "agrees" flag or score is refused (400).
 * Ownership is checked in the service: someone else's attempt answers 404, like a missing one.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { startExerciseAttempt, submitExerciseAttempt } from '../features/exercise/exercise.server';
import { exerciseSubmissionFormSchema } from '../features/exercise/submission';
import { refusal, signedIn } from './guard';

export const exerciseActions = {
  exercise: {
    start: defineAction({
      accept: 'form',
      input: z.object({ exercise: slugSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, resumed } = await startExerciseAttempt(user.id, input.exercise).catch(refusal);
        return { exerciseId: attempt.exerciseId, attemptId: attempt.id, resumed };
      },
    }),

    submit: defineAction({
      accept: 'form',
      input: exerciseSubmissionFormSchema,
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, grade } = await submitExerciseAttempt({
          userId: user.id,
          attemptId: input.attempt,
          scores: input.scores,
        }).catch(refusal);
        return {
          exerciseId: attempt.exerciseId,
          attemptId: attempt.id,
          score: grade.score,
          passed: grade.passed,
          result: `/exercises/${attempt.exerciseId}/attempts/${attempt.id}`,
        };
      },
    }),
  },
};
