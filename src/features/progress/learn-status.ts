/**
 * The status line of a track card on /learn. The learner's own lifecycle (certified, update required, expired…)
 * speaks first while it says something the team dashboard would also say; otherwise the assignment's due date
 * decides, by the same rule as the team dashboard (src/features/progress/status.ts): the open assignment with the
 * earliest due date counts, and once that date has passed a learner with no current certificate is "Overdue" — in
 * words, not only in colour. A lapsed certificate stays "Expired" (the dashboard's rule 1), without a past due date.
 */
import { computeStandings, trackStatusLabels, type AssignmentFacts } from './status';
import { lifecycleLabels, type LifecycleStatus } from '../certification/certification';

export type Tone = 'info' | 'good' | 'warn' | 'bad';

export const lifecycleTone: Record<LifecycleStatus, Tone> = {
  'not-started': 'info',
  'in-progress': 'info',
  certified: 'good',
  expiring: 'warn',
  'update-required': 'warn',
  expired: 'bad',
  revoked: 'bad',
};

export interface CardStatus {
  label: string;
  tone: Tone;
  /** The due date to show after the label, and whether it has passed; null when the card shows none. */
  due: { at: number; passed: boolean } | null;
}

/** The due date that counts per track for one learner's assignments (the dashboard's choice of assignment). */
export function dueDates(assignments: readonly Omit<AssignmentFacts, 'userId'>[], at: number): Map<string, number> {
  const rows = assignments.map((a) => ({ ...a, userId: '' }));
  return new Map(computeStandings(rows, [], at).map((s) => [s.trackId, s.dueAt]));
}

export function cardStatus(
  lifecycle: { status: LifecycleStatus; valid: boolean },
  dueAt: number | undefined,
  at: number,
): CardStatus {
  const own = { label: lifecycleLabels[lifecycle.status], tone: lifecycleTone[lifecycle.status] };
  if (dueAt === undefined || lifecycle.valid) return { ...own, due: null };
  // A lapsed certificate speaks for itself: the due date of the assignment it once completed (onboarding, last
  // year's renewal) is history, not a deadline.
  if (lifecycle.status === 'expired') return { ...own, due: at > dueAt ? null : { at: dueAt, passed: false } };
  if (at > dueAt) {
    return { label: trackStatusLabels.overdue, tone: 'bad', due: { at: dueAt, passed: true } };
  }
  return { ...own, due: { at: dueAt, passed: at > dueAt } };
}

/** "about 45 minutes", "about 1 hour", "about 2½ hours": how long the work left takes, rounded as people say it. */
export function aboutDuration(minutes: number): string {
  if (minutes < 60) {
    const m = Math.max(5, Math.round(minutes / 5) * 5);
    return `about ${m} minutes`;
  }
  const halves = Math.round(minutes / 30);
  const hours = Math.floor(halves / 2);
  const half = halves % 2 === 1 ? '½' : '';
  return `about ${hours}${half} hour${hours === 1 && !half ? '' : 's'}`;
}
