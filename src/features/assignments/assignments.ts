/**
 * Assignment rules, pure: who gets which track when, what a renewal is, and which reminders are due. The database
 * side is assignments.server.ts; status itself (on track, overdue, certified…) is src/features/progress/status.ts.
 *
 * Lifecycle of an assignment row: created (onboarding on account creation, manual by a manager or admin, renewal 30
 * days before a certificate expires) → completed when the learner earns a certificate of the track after it was
 * created. Completion is DERIVED from the certificate table at read time (see `completedAtSql`), not written: a
 * certificate is the one fact that says a track was done, and deriving keeps the two from disagreeing.
 *
 * Due dates are the END of a calendar day in UTC: "due 12 March" means the learner has all of 12 March.
 */
import { z } from 'zod';
import type { Job, NoticeKind } from '../../../db/schema';
import { slugSchema, type Track } from '../content/schema';
import { EXPIRING_WINDOW_MS, trackStatusLabels, type TrackStanding, type TrackStatus } from '../progress/status';

export const DAY = 24 * 60 * 60 * 1000;
/** A "due soon" reminder goes out this long before the due date. */
export const DUE_SOON_MS = 7 * DAY;
/** Renewal assignments are created this long before a certificate expires (and while it has lapsed this recently). */
export const RENEWAL_LEAD_MS = EXPIRING_WINDOW_MS;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of the first instant of an ISO calendar date (UTC); undefined when it is not a real date. */
export function startOfIsoDate(isoDate: string): number | undefined {
  const m = ISO_DATE.exec(isoDate);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const t = Date.UTC(y, mo, d);
  const back = new Date(t);
  // Date.UTC rolls 31 February over into March; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo || back.getUTCDate() !== d) return undefined;
  return t;
}

/** The last millisecond of the UTC day holding `t`. */
export function endOfUtcDay(t: number): number {
  return Math.floor(t / DAY) * DAY + DAY - 1;
}

/** The ISO calendar date (UTC) of an instant: what a date field shows for a due date. */
export function isoDateOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Mandatory tracks for a job: what a new rep or manager is auto-assigned. Admins and trainers (no job) get none. */
export function onboardingTracks(job: Job | null, tracks: readonly Track[]): Track[] {
  if (!job) return [];
  return tracks.filter((t) => t.mandatory && t.audience === job);
}

/**
 * When onboarding is due: `dueDays` after the hire date (end of that day), or after account creation when no hire
 * date is known. Someone hired long before they got an account is therefore overdue at once — which is true.
 */
export function onboardingDueAt(hireDate: string | null, createdAt: number, dueDays: number): number {
  const hired = hireDate ? startOfIsoDate(hireDate) : undefined;
  return endOfUtcDay((hired ?? createdAt) + dueDays * DAY);
}

export interface NewAssignment {
  userId: string;
  trackId: string;
  dueAt: number;
  mandatory: boolean;
  kind: 'onboarding' | 'manual' | 'renewal';
  certificateId: string | null;
  assignedBy: string | null;
  createdAt: number;
}

/** The onboarding rows for a new account. */
export function planOnboarding(
  user: { id: string; job: Job | null; hireDate: string | null; createdAt: number },
  tracks: readonly Track[],
): NewAssignment[] {
  return onboardingTracks(user.job, tracks).map((t) => ({
    userId: user.id,
    trackId: t.id,
    dueAt: onboardingDueAt(user.hireDate, user.createdAt, t.dueDays),
    mandatory: true,
    kind: 'onboarding',
    certificateId: null,
    assignedBy: null,
    createdAt: user.createdAt,
  }));
}

// ---------------------------------------------------------------------------------------------- renewals

export interface RenewalCandidate {
  certificateId: string;
  userId: string;
  trackId: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** Whether the person has a mandatory assignment of this track (the renewal is then mandatory too). */
  mandatory: boolean;
}

/**
 * Renewal rows for certificates that expire within the lead time (or lapsed within it — a missed daily run must not
 * lose a renewal): only the latest unrevoked certificate of each person and track, so a certificate that was
 * already renewed gets none. Due when the certificate expires. The unique index on `certificate_id` makes a second
 * run insert nothing.
 */
export function planRenewals(certificates: readonly RenewalCandidate[], at: number): NewAssignment[] {
  const latest = new Map<string, RenewalCandidate>();
  for (const c of certificates) {
    const key = `${c.userId}\u0000${c.trackId}`;
    const other = latest.get(key);
    if (!other || c.issuedAt > other.issuedAt) latest.set(key, c);
  }
  return [...latest.values()]
    .filter(
      (c) =>
        c.revokedAt === null &&
        c.issuedAt <= at &&
        c.expiresAt - RENEWAL_LEAD_MS <= at &&
        at < c.expiresAt + RENEWAL_LEAD_MS,
    )
    .map((c) => ({
      userId: c.userId,
      trackId: c.trackId,
      dueAt: c.expiresAt,
      mandatory: c.mandatory,
      kind: 'renewal',
      certificateId: c.certificateId,
      assignedBy: null,
      createdAt: at,
    }));
}

// ---------------------------------------------------------------------------------------------- manual assignment

export const priorities = ['mandatory', 'recommended'] as const;

/**
 * The "assign a track" form on /team. `who` is `team` (every member) or one member's user id. `today` gives the
 * server's date when the form is checked, so "not in the past" follows the server clock.
 */
export function assignFormSchema(today: () => string) {
  return z.object({
    team: z.string({ error: 'Choose a team.' }).trim().min(1, 'Choose a team.').max(64),
    who: z.string({ error: 'Choose who to assign.' }).trim().min(1, 'Choose who to assign.').max(64),
    track: z.string({ error: 'Choose a track.' }).pipe(slugSchema),
    due: z
      .string({ error: 'Give a due date.' })
      .regex(ISO_DATE, 'Give the due date as a date (YYYY-MM-DD).')
      .refine((d) => startOfIsoDate(d) !== undefined, 'That is not a real date.')
      .refine((d) => d >= today(), 'The due date cannot be in the past.'),
    priority: z.enum(priorities, { error: 'Choose mandatory or recommended.' }),
    /** Sent by the confirmation step: assign a manager track to reps after all. */
    confirm: z.literal('manager-track-to-reps').optional(),
  });
}

/** The reps among `targets` when `track` is for managers: who the confirmation step names (empty: no step). */
export function repsGivenManagerTrack<M extends { job: Job | null }>(
  track: Pick<Track, 'audience'>,
  targets: readonly M[],
): M[] {
  return track.audience === 'manager' ? targets.filter((m) => m.job === 'rep') : [];
}
export type AssignForm = z.infer<ReturnType<typeof assignFormSchema>>;

// ---------------------------------------------------------------------------------------------- reminders

export type { NoticeKind } from '../../../db/schema';

export interface NoticeDraft {
  userId: string;
  kind: NoticeKind;
  assignmentId: string;
  /** Unique in the outbox: the same reminder is never written (or sent) twice. */
  dedupeKey: string;
  subject: string;
  body: string;
}

export interface ReminderContext {
  /** Track titles by id (falls back to the id). */
  trackTitle: (trackId: string) => string;
  /** Formats an instant (an expiry, a deadline) for the message, in the person's time zone. */
  formatDate: (t: number, userId: string) => string;
  /** Formats a due date: a calendar day, the same in every zone. */
  formatDueDate: (t: number) => string;
  /** Absolute URL of the learner's home page, put in every message. */
  learnUrl: string;
}

/**
 * The reminders a person's standings call for at `at`. One notice per occasion, keyed so that a daily run adds
 * nothing new until something changes: "due soon" once per assignment (within a week of the due date), "overdue"
 * once per assignment, "expiring" and "expired" once per certificate, "update" once per certificate and change.
 */
export function planNotices(standings: readonly TrackStanding[], at: number, ctx: ReminderContext): NoticeDraft[] {
  const out: NoticeDraft[] = [];
  for (const s of standings) {
    const title = ctx.trackTitle(s.trackId);
    const need = s.mandatory ? 'required' : 'recommended';
    const base = { userId: s.userId, assignmentId: s.assignmentId };
    const footer = `\n\nSee what is left to do: ${ctx.learnUrl}\n\n— Frontline Academy`;
    if (s.status === 'on-track' && s.dueAt - at <= DUE_SOON_MS) {
      out.push({
        ...base,
        kind: 'due',
        dedupeKey: `due:${s.assignmentId}`,
        subject: `Due ${ctx.formatDueDate(s.dueAt)}: ${title}`,
        body: `Your ${need} training “${title}” is due on ${ctx.formatDueDate(s.dueAt)}.${footer}`,
      });
    } else if (s.status === 'overdue') {
      out.push({
        ...base,
        kind: 'overdue',
        dedupeKey: `overdue:${s.assignmentId}`,
        subject: `Overdue: ${title}`,
        body: `Your ${need} training “${title}” was due on ${ctx.formatDueDate(s.dueAt)} and is not finished yet.${footer}`,
      });
    } else if (s.status === 'update-required' && s.certificateId && s.updateDueAt !== null) {
      out.push({
        ...base,
        kind: 'update',
        dedupeKey: `update:${s.certificateId}:${s.updates.map((u) => `${u.moduleId}@${u.to}`).join(',')}`,
        subject: `Update needed by ${ctx.formatDate(s.updateDueAt, s.userId)}: ${title}`,
        body: `Part of “${title}” has changed since you were certified. Read the changed lesson${s.updates.length > 1 ? 's' : ''} again and pass ${s.updates.length > 1 ? 'their quizzes' : 'its quiz'} by ${ctx.formatDate(s.updateDueAt, s.userId)}, or your certificate lapses.${footer}`,
      });
    } else if (s.status === 'expiring' && s.certificateId && s.expiresAt !== null) {
      out.push({
        ...base,
        kind: 'expiring',
        dedupeKey: `expiring:${s.certificateId}`,
        subject: `Certificate expiring: ${title}`,
        body: `Your “${title}” certificate expires on ${ctx.formatDate(s.expiresAt, s.userId)}. Renew it by passing the track's quizzes again before then.${footer}`,
      });
    } else if (s.status === 'expired' && s.certificateId && s.expiresAt !== null) {
      const missed = s.expiredBecause === 'update-missed' && s.updateDueAt !== null;
      out.push({
        ...base,
        kind: 'expired',
        dedupeKey: `expired:${s.certificateId}`,
        subject: `Certificate expired: ${title}`,
        body: missed
          ? `Your “${title}” certificate lapsed on ${ctx.formatDate(s.updateDueAt!, s.userId)}: part of the track changed and its quiz was not passed again in time. Pass it again to be certified.${footer}`
          : `Your “${title}” certificate expired on ${ctx.formatDate(s.expiresAt, s.userId)}. Pass the track again to be certified.${footer}`,
      });
    }
  }
  return out;
}

/**
 * Whether an open notice still says something true next to the track's status now: an "expiring" notice is
 * stale once the certificate expired (or was renewed), a "due" one once the track is certified, and so on. Stale
 * notices stay on the notices page but leave /learn.
 */
export function noticeStillApplies(kind: NoticeKind, status: TrackStatus | undefined): boolean {
  if (status === undefined) return true;
  switch (kind) {
    case 'due':
    case 'overdue':
      return status === 'on-track' || status === 'overdue';
    case 'expiring':
      return status === 'expiring';
    case 'update':
      return status === 'update-required';
    case 'expired':
      return status === 'expired';
    case 'nudge':
      // A manager's reminder stands until the training it is about is done.
      return status !== 'certified';
  }
}

/** Words for a notice kind, for lists. */
export const noticeKindLabels: Record<NoticeKind, string> = {
  due: 'Due soon',
  overdue: trackStatusLabels.overdue,
  expiring: 'Expiring',
  expired: trackStatusLabels.expired,
  update: 'Update needed',
  nudge: 'From your manager',
};
