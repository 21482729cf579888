/**
 * Judgment-case actions: a learner answers a case (option + optional "what would you do and why"; the first answer
 * is on record, later ones are practice); a manager or admin reviews a written answer on the case's rubric. Form
 * posts, so both work without JavaScript.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { answerTextSchema, COMMENT_MAX } from '../features/judgment/judgment';
import { submitAnswer, submitReview } from '../features/judgment/judgment.server';
import { refusal, signedIn } from './guard';

/** Ratings arrive as fields named `rating.<criterion>` holding 1–5. */
const RATING_PREFIX = 'rating.';

export const judgmentActions = {
  judgment: {
    answer: defineAction({
      accept: 'form',
      input: z.object({
        case: slugSchema,
        option: z.string({ error: 'Choose one of the options.' }).pipe(slugSchema),
        text: answerTextSchema,
      }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const { answer, options, verdict } = await submitAnswer(user.id, {
          caseId: input.case,
          optionId: input.option,
          text: input.text,
        }).catch(refusal);
        return {
          caseId: answer.caseId,
          answerId: answer.id,
          practice: answer.practice,
          queued: !answer.practice && answer.text !== null,
          options,
          verdict,
        };
      },
    }),

    review: defineAction({
      accept: 'form',
      input: z
        .object({
          answer: z.string().trim().min(1).max(64),
          comment: z
            .string({ error: 'Write a comment for the learner.' })
            .trim()
            .min(1, 'Write a comment for the learner.')
            .max(COMMENT_MAX, `Keep the comment under ${COMMENT_MAX} characters.`),
        })
        .catchall(z.string().max(100)),
      handler: async (input, ctx) => {
        const user = ctx.locals.user;
        if (!user || (user.role !== 'manager' && user.role !== 'admin')) {
          throw new ActionError({ code: 'FORBIDDEN', message: 'Only managers and admins review answers.' });
        }
        const ratings: Record<string, number> = {};
        for (const [key, value] of Object.entries(input)) {
          if (!key.startsWith(RATING_PREFIX)) continue;
          if (!/^[1-5]$/.test(String(value))) {
            throw new ActionError({ code: 'BAD_REQUEST', message: 'Each rating is a whole number from 1 to 5.' });
          }
          ratings[key.slice(RATING_PREFIX.length)] = Number(value);
        }
        const review = await submitReview(user, { answerId: input.answer, ratings, comment: input.comment }).catch(
          refusal,
        );
        return { answerId: review.answerId };
      },
    }),
  },
};
