/**
 * Quiz actions: parse, authorize, delegate to quiz.server.ts. Both accept form posts so the quiz works without
 * JavaScript (the page redirects after a successful post); the island sends the same FormData. The submit input is
 * the strict form reader in features/quiz/submission.ts: a forged score or "correct" field is refused (400).
 * Ownership is checked in the service: someone else's attempt answers 404, like a missing one.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { saveAnswers, startAttempt, submitAttempt } from '../features/quiz/quiz.server';
import { submissionFormSchema } from '../features/quiz/submission';
import { refusal, signedIn } from './guard';

export const quizActions = {
  quiz: {
    start: defineAction({
      accept: 'form',
      input: z.object({ quiz: slugSchema, practice: z.literal('1').optional() }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, resumed } = await startAttempt(user.id, input.quiz, {
          practice: input.practice === '1',
        }).catch(refusal);
        return { quizId: attempt.quizId, attemptId: attempt.id, resumed, practice: attempt.mode === 'practice' };
      },
    }),

    /**
     * Saves answers as they are given: the island posts each answer, the no-JS form posts the whole page ("Save my
     * answers") or, in practice, one question ("Check my answer"). Same strict reader as the submit.
     */
    save: defineAction({
      accept: 'form',
      input: submissionFormSchema,
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, feedback } = await saveAnswers({
          userId: user.id,
          attemptId: input.attempt,
          answers: input.answers,
        }).catch(refusal);
        const saved = Object.values(attempt.savedAnswers).filter((a) => a.length > 0).length;
        return { attemptId: attempt.id, saved, ...(feedback ? { feedback } : {}) };
      },
    }),

    submit: defineAction({
      accept: 'form',
      input: submissionFormSchema,
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { attempt, grade } = await submitAttempt({
          userId: user.id,
          attemptId: input.attempt,
          answers: input.answers,
        }).catch(refusal);
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
