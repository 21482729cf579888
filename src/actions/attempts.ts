/**
 * "Allow one more attempt" from a learner's page: a manager (a member of their own teams) or an admin (anyone in the
 * organization) gives a learner who used every attempt of a quiz one more. A form post, so it works without
 * JavaScript. Parse, authorize, delegate to src/features/quiz/attempt-grants.server.ts.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { grantExtraAttempt } from '../features/quiz/grant-attempt.server';
import { refusal, signedIn } from './guard';

const idField = (what: string) =>
  z
    .string({ error: `Missing ${what}.` })
    .trim()
    .min(1, `Missing ${what}.`)
    .max(64);

export const attemptActions = {
  attempts: {
    allowAnother: defineAction({
      accept: 'form',
      input: z.object({ learner: idField('learner'), quiz: idField('quiz') }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        return await grantExtraAttempt(user, input.learner, input.quiz).catch(refusal);
      },
    }),
  },
};
