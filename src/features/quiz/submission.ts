/**
 * What a quiz submission may contain, read from the form post (the no-JS form and the island send the same
 * FormData): the attempt id and, per question, `q.<question id>` once per chosen option position (ordering: once per
 * step, in the learner's order). Anything else — a "score", a "correct" flag, a file — is refused, not ignored, so a
 * forged request fails loudly and changes nothing. Limits keep the payload small: at most 100 questions, 8 options.
 */
import { z } from 'zod';
import { slugSchema } from '../content/schema';
import type { Answers } from './quiz';

const MAX_QUESTIONS = 100;
const MAX_OPTIONS = 8;
const ANSWER_PREFIX = 'q.';

export const submissionSchema = z
  .strictObject({
    attempt: z.string({ error: 'Missing attempt.' }).trim().min(1, 'Missing attempt.').max(64, 'Not an attempt id.'),
    answers: z.record(
      slugSchema,
      z
        .array(
          z
            .number({ error: 'An answer must be an option number.' })
            .int()
            .min(0)
            .max(MAX_OPTIONS - 1),
          {
            error: 'An answer must be an option number.',
          },
        )
        .max(MAX_OPTIONS),
    ),
    unexpected: z.array(z.string()),
  })
  .superRefine((s, ctx) => {
    if (s.unexpected.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['unexpected'],
        message: `Unexpected field(s): ${s.unexpected.slice(0, 5).join(', ')}. Only answers are accepted.`,
      });
    }
    if (Object.keys(s.answers).length > MAX_QUESTIONS)
      ctx.addIssue({ code: 'custom', path: ['answers'], message: 'Too many answers.' });
  })
  .transform((s): Submission => ({ attempt: s.attempt, answers: s.answers as Answers }));

export interface Submission {
  attempt: string;
  answers: Answers;
}

/** FormData → the plain shape `submissionSchema` checks. Empty values (an unchosen step) are left out. */
export function formToSubmission(form: FormData): unknown {
  // No prototype: a field named "q.__proto__" or "q.constructor" must be an unknown question, not Object's own.
  const answers: Record<string, unknown[]> = Object.create(null);
  const unexpected: string[] = [];
  let attempt: unknown;
  for (const [name, value] of form) {
    // A question id that is not a slug is an unexpected field: zod would otherwise drop "__proto__" silently.
    if (
      name.startsWith(ANSWER_PREFIX) &&
      typeof value === 'string' &&
      slugSchema.safeParse(name.slice(ANSWER_PREFIX.length)).success
    ) {
      const list = (answers[name.slice(ANSWER_PREFIX.length)] ??= []);
      if (value !== '') list.push(/^\d{1,2}$/.test(value) ? Number(value) : value);
    } else if (name === 'attempt' && typeof value === 'string' && attempt === undefined) {
      attempt = value;
    } else {
      unexpected.push(name.slice(0, 40));
    }
  }
  return { attempt, answers, unexpected };
}

export const submissionFormSchema = z.instanceof(FormData).transform(formToSubmission).pipe(submissionSchema);
