/**
 * Moving an assignment's due date later (from a person's page on /team), pure: the form and the rule. A due date
 * only moves forward: to shorten one, assign the track again. The new date is a calendar day (UTC), due at its end.
 */
import { z } from 'zod';
import { endOfUtcDay, isoDateOf, startOfIsoDate } from './assignments';

/** How far ahead a due date may be set: a year is already generous for any one track. */
export const MAX_EXTENSION_DAYS = 366;
const DAY = 24 * 60 * 60 * 1000;

export const extendDueSchema = z.object({
  assignment: z.string({ error: 'Missing assignment.' }).trim().min(1, 'Missing assignment.').max(64),
  due: z
    .string({ error: 'Give the new due date.' })
    .trim()
    .refine((d) => startOfIsoDate(d) !== undefined, 'Give the new due date as a date (YYYY-MM-DD).'),
  // Astro hands an empty optional text field to the schema as null.
  reason: z
    .string()
    .trim()
    .max(500, 'Keep the reason under 500 characters.')
    .nullish()
    .transform((v) => v || null),
});
export type ExtendDue = z.infer<typeof extendDueSchema>;

/** Why `due` cannot replace `currentDueAt` at `at`, or null when it can; returns the new due instant otherwise. */
export function checkExtension(currentDueAt: number, due: string, at: number): { error: string } | { dueAt: number } {
  const start = startOfIsoDate(due);
  if (start === undefined) return { error: 'Give the new due date as a date (YYYY-MM-DD).' };
  const dueAt = endOfUtcDay(start);
  if (due < isoDateOf(at)) return { error: 'The new due date cannot be in the past.' };
  if (dueAt <= currentDueAt) return { error: `Choose a date after the current due date (${isoDateOf(currentDueAt)}).` };
  if (dueAt > at + MAX_EXTENSION_DAYS * DAY) return { error: 'Choose a date within a year from today.' };
  return { dueAt };
}
