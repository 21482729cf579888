/**
 * Rules of reading a lesson, pure: where a knowledge check sits on the page and how its options are told apart in a
 * no-JavaScript answer (`?choice=`), and what a learner's completions of a module say about the version they see.
 *
 * A check and its options are named by hashes of what the author wrote, so a lesson needs no ids for them: the
 * checker makes every question unique within a lesson, and an option's value covers its text and feedback.
 */
import { createHash } from 'node:crypto';

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

/** The check's id on the page (its anchor). */
export function checkAnchor(question: string): string {
  return `check-${short(question.trim())}`;
}

/** The value an option's radio button posts; the page shows that option's feedback when `?choice=` carries it. */
export function optionValue(text: string, feedback: string): string {
  return short(`${text.trim()}\u0000${feedback.trim()}`);
}

export interface Completion {
  moduleId: string;
  contentVersion: string;
  completedAt: number;
}

export type CompletionState =
  | { kind: 'none' }
  /** Completed as it reads now. */
  | { kind: 'current'; at: number }
  /** Completed once, but the lesson (or what it shows) has changed since. */
  | { kind: 'earlier'; at: number };

/** What a learner's completions of one module say about its `version`: the newest completion wins. */
export function completionState(completions: readonly Completion[], version: string | undefined): CompletionState {
  const current = completions.find((c) => c.contentVersion === version);
  if (current) return { kind: 'current', at: current.completedAt };
  const newest = completions.reduce<Completion | undefined>(
    (a, c) => (!a || c.completedAt > a.completedAt ? c : a),
    undefined,
  );
  return newest ? { kind: 'earlier', at: newest.completedAt } : { kind: 'none' };
}
