/**
 * What an exercise submission may contain, read from the form post: the attempt id and one call per item,
 * `score.<contact>.<standard>` = met | not-met | na (src/features/scorecard/scorecard.ts names the fields). Anything
 * else — an "agrees" flag, a score, a file, a call given twice — is refused, not ignored, so a forged request fails
 * loudly and changes nothing. At most 60 calls (the schema allows 5 contacts × 8 standards).
 */
import { z } from 'zod';
import { isScore, parseScoreField } from '../scorecard/scorecard';
import type { ExerciseScores } from './exercise';

const MAX_CALLS = 60;

export interface ExerciseSubmission {
  attempt: string;
  scores: ExerciseScores;
}

interface RawSubmission {
  attempt: unknown;
  scores: Record<string, Record<string, string>>;
  calls: number;
  problems: string[];
}

/** FormData → the plain shape `exerciseSubmissionSchema` checks. An empty value is no call (left out). */
export function formToExerciseSubmission(form: FormData): RawSubmission {
  // No prototype: a contact or standard called "constructor" must not find Object's.
  const scores: RawSubmission['scores'] = Object.create(null);
  const problems: string[] = [];
  let attempt: unknown;
  let calls = 0;
  for (const [name, value] of form) {
    const item = parseScoreField(name);
    if (item && typeof value === 'string') {
      if (value === '') continue;
      const given = (scores[item.contactId] ??= Object.create(null) as Record<string, string>);
      if (!isScore(value)) problems.push(`A call must be met, not met or not applicable (${name.slice(0, 60)}).`);
      else if (given[item.standardId] !== undefined)
        problems.push(`One call per item (${name.slice(0, 60)} came twice).`);
      else {
        given[item.standardId] = value;
        calls += 1;
      }
    } else if (name === 'attempt' && typeof value === 'string' && attempt === undefined) {
      attempt = value;
    } else {
      problems.push(`Unexpected field: ${name.slice(0, 40)}. Only your calls are accepted.`);
    }
  }
  return { attempt, scores, calls, problems };
}

export const exerciseSubmissionSchema = z
  .strictObject({
    attempt: z.string({ error: 'Missing attempt.' }).trim().min(1, 'Missing attempt.').max(64, 'Not an attempt id.'),
    scores: z.record(z.string(), z.record(z.string(), z.string())),
    calls: z.number().int().max(MAX_CALLS, 'Too many calls.'),
    problems: z.array(z.string()),
  })
  .superRefine((s, ctx) => {
    if (s.problems.length > 0) ctx.addIssue({ code: 'custom', path: ['problems'], message: s.problems[0]! });
  })
  .transform((s): ExerciseSubmission => ({ attempt: s.attempt, scores: s.scores as ExerciseScores }));

export const exerciseSubmissionFormSchema = z
  .instanceof(FormData)
  .transform(formToExerciseSubmission)
  .pipe(exerciseSubmissionSchema);
