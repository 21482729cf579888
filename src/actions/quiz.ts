/**
 * Quiz actions: parse, authorize, delegate to quiz.server.ts. Both accept form posts so the quiz works without
 * JavaScript (the page redirects after a successful post); the island sends the same FormData. The submit input is
 * the strict form reader in features/quiz/submission.ts: a forged score or "correct" field is refused (400).
 * Ownership is checked in the service: someone else's attempt answers 404, like a missing one.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { QuizError, startAttempt, submitAttempt } from '../features/quiz/quiz.server';
import { submissionFormSchema } from '../features/quiz/submission';

function signedIn(locals: App.Locals) {
  if (!locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return locals.user;
}

function refusal(e: unknown): never {
  if (e instanceof QuizError) throw new ActionError({ code: e.code, message: e.message });
  throw e;
}

export const quizActions = {
  quiz: {
    start: defineAction({
      accept: 'form',
      input: z.object({ quiz: slugSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, resumed } = await startAttempt(user.id, input.quiz).catch(refusal);
        return { quizId: attempt.quizId, attemptId: attempt.id, resumed };
      },
    }),

    submit: defineAction({
      accept: 'form',
      input: submissionFormSchema,
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, grade } = await submitAttempt({ userId: user.id, attemptId: input.attempt, answers: input.answers }).catch(refusal);
        return {
          quizId: attempt.quizId,
          attemptId: attempt.id,
          score: grade.score,
          passed: grade.passed,
          result: `/quizzes/${attempt.quizId}/attempts/${attempt.id}`,
        };
      },
    }),
  },
};
