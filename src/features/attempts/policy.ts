/**
 * The attempt policy of graded assessments (quizzes, calibration exercises): whether a new attempt may start, from
 * the attempts already made, the policy's maximum and cooldown, and the deadline of a timed attempt. Pure.
 */
import type { AttemptPolicy } from '../content/schema';

const MINUTE = 60_000;
/** A submit this long after the deadline still counts: it covers the trip from the browser to the server. */
export const DEADLINE_GRACE_MS = 30_000;

export interface AttemptFacts {
  id: string;
  status: 'open' | 'submitted' | 'expired' | 'content_changed';
  startedAt: number;
  deadlineAt: number | null;
  submittedAt: number | null;
  passed: boolean | null;
}

export type StartDecision =
  | { ok: true }
  | { ok: false; reason: 'open'; attemptId: string }
  | { ok: false; reason: 'cooldown'; until: number }
  | { ok: false; reason: 'max-attempts'; max: number };

/** True once the deadline (plus the grace for the network) has passed: the attempt can no longer be submitted. */
export function isPastDeadline(deadlineAt: number | null, at: number): boolean {
  return deadlineAt !== null && at > deadlineAt + DEADLINE_GRACE_MS;
}

/** When a finished attempt ended: its submit, or for one that ran out of time, its deadline. */
function finishedAt(a: AttemptFacts): number {
  return a.submittedAt ?? a.deadlineAt ?? a.startedAt;
}

/**
 * Whether a new attempt may start at `at`, from the attempts of the current certification cycle (the server passes
 * only those, so a renewal starts with a fresh count). An open attempt still in time is resumed, not doubled. Every
 * graded or timed-out attempt counts toward `max`; one closed because the content changed does not. After a failed
 * attempt the learner waits `cooldownMinutes` from when it ended; after a pass there is no wait. `extraAttempts`
 * are the further tries a manager granted in this cycle (attempt-grants.server.ts `grantedAttempts`), each raising `max` by one.
 */
export function canStart(
  policy: AttemptPolicy,
  attempts: readonly AttemptFacts[],
  at: number,
  extraAttempts = 0,
): StartDecision {
  const live = attempts.find((a) => a.status === 'open' && !isPastDeadline(a.deadlineAt, at));
  if (live) return { ok: false, reason: 'open', attemptId: live.id };
  const counted = attempts.filter((a) => a.status === 'submitted' || a.status === 'expired' || a.status === 'open');
  if (policy.max !== undefined && counted.length >= policy.max + extraAttempts) {
    return { ok: false, reason: 'max-attempts', max: policy.max + extraAttempts };
  }
  const last = [...counted].sort((a, b) => finishedAt(b) - finishedAt(a))[0];
  if (last && last.passed !== true && policy.cooldownMinutes > 0) {
    const until = finishedAt(last) + policy.cooldownMinutes * MINUTE;
    if (at < until) return { ok: false, reason: 'cooldown', until };
  }
  return { ok: true };
}
