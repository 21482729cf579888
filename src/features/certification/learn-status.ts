/**
 * The status line of a track card on /learn. The learner's own lifecycle (certified, update required, expired…)
 * speaks first while it says something the team dashboard would also say; otherwise the assignment's due date
 * decides, by the same rule as the team dashboard (src/features/reports/status.ts): the open assignment with the
 * earliest due date counts, and once that date has passed a learner with no current certificate is "Overdue" — in
 * words, not only in colour. A lapsed certificate stays "Expired" (the dashboard's rule 2).
 */
import { computeStandings, trackStatusLabels, type AssignmentFacts } from '../reports/status';
import { lifecycleLabels, type LifecycleStatus } from './certification';

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

export function cardStatus(lifecycle: { status: LifecycleStatus; valid: boolean }, dueAt: number | undefined, at: number): CardStatus {
  const own = { label: lifecycleLabels[lifecycle.status], tone: lifecycleTone[lifecycle.status] };
  if (dueAt === undefined || lifecycle.valid) return { ...own, due: null };
  if (at > dueAt && lifecycle.status !== 'expired') {
    return { label: trackStatusLabels.overdue, tone: 'bad', due: { at: dueAt, passed: true } };
  }
  return { ...own, due: { at: dueAt, passed: at > dueAt } };
}
