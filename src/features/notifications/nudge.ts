/**
 * A manager's reminder ("nudge"), pure: who it goes to and what it says. It is a notice like the daily reminders
 * (the person sees it on /learn, and by email when SMTP is set and they want that kind), keyed so that a person gets
 * at most one nudge a day whoever sends it and however many clicks race: the key is unique in the outbox.
 */
import type { TrackStatus } from '../progress/status';

export interface NudgeLine {
  trackTitle: string;
  status: TrackStatus;
  dueAt: number;
}

export interface NudgeInput {
  userId: string;
  managerName: string;
  /** The person's tracks still to do (not certified); overdue ones are named first. */
  lines: readonly NudgeLine[];
  formatDate: (t: number) => string;
  learnUrl: string;
  at: number;
}

export interface NudgeDraft {
  userId: string;
  kind: 'nudge';
  dedupeKey: string;
  subject: string;
  body: string;
}

/** One nudge per person per UTC day. */
export function nudgeKey(userId: string, at: number): string {
  return `nudge:${userId}:${new Date(at).toISOString().slice(0, 10)}`;
}

const open = (s: TrackStatus) => s === 'overdue' || s === 'on-track' || s === 'expired' || s === 'expiring';

export function draftNudge(input: NudgeInput): NudgeDraft {
  const todo = input.lines
    .filter((l) => open(l.status))
    .sort((a, b) => Number(b.status === 'overdue') - Number(a.status === 'overdue') || a.dueAt - b.dueAt);
  const list = todo.map(
    (l) => `- ${l.trackTitle}: ${l.status === 'overdue' ? 'overdue since' : 'due'} ${input.formatDate(l.dueAt)}`,
  );
  const body = [
    `${input.managerName} asks you to make time for your training.`,
    ...(list.length ? [list.join('\n')] : []),
    `See what is left to do: ${input.learnUrl}`,
    '— Frontline Academy',
  ].join('\n\n');
  return {
    userId: input.userId,
    kind: 'nudge',
    dedupeKey: nudgeKey(input.userId, input.at),
    subject: `A reminder from ${input.managerName}`,
    body,
  };
}

/** Who "remind everyone overdue" reaches: the people with at least one overdue track. */
export function overduePeople<P extends { lines: readonly { status: TrackStatus }[] }>(people: readonly P[]): P[] {
  return people.filter((p) => p.lines.some((l) => l.status === 'overdue'));
}
