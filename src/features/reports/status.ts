/**
 * Where each person stands on each assigned track, and what that adds up to for a team. Pure: the caller loads one
 * team's assignment and certificate rows and passes the clock (`now()` from src/lib/server/clock.ts).
 *
 * The certificate decides, the assignment only schedules. Order of precedence for one person and one track at `at`:
 *   1. a valid certificate (issued, not revoked, not yet expired) → `expiring` if it expires within 30 days, else
 *      `certified`;
 *   2. otherwise, if their latest unrevoked certificate has lapsed → `expired` (they were certified and are not any
 *      more, whatever the assignment's due date says);
 *   3. otherwise (never certified, or the certificate was revoked) → `overdue` once the due date has passed, else
 *      `on-track`. A completed assignment whose certificate was revoked is therefore not certified: revocation must
 *      stop counting even though the assignment row says "completed".
 *
 * Several assignments of one track to one person (the original and a renewal) are one line: the open one with the
 * earliest due date wins, else the most recently created; the line is mandatory if any of them is.
 *
 * Every comparison is "as of `at`": rows created, issued, completed or revoked after `at` are ignored, so the same
 * code draws the monthly trend by asking at the end of each month.
 */

const DAY = 24 * 60 * 60 * 1000;
export const EXPIRING_WINDOW_MS = 30 * DAY;

export const trackStatuses = ['on-track', 'overdue', 'certified', 'expiring', 'expired'] as const;
export type TrackStatus = (typeof trackStatuses)[number];

/** Words for tables and CSV: status is never shown by colour alone. */
export const trackStatusLabels: Record<TrackStatus, string> = {
  'on-track': 'On track',
  overdue: 'Overdue',
  certified: 'Certified',
  expiring: 'Expiring',
  expired: 'Expired',
};

/** The assignment columns status needs (a subset of `assignmentTable`). */
export interface AssignmentFacts {
  id: string;
  userId: string;
  trackId: string;
  dueAt: number;
  mandatory: boolean;
  createdAt: number;
  completedAt: number | null;
}

/** The certificate columns status needs (a subset of `certificateTable`). */
export interface CertificateFacts {
  id: string;
  userId: string;
  trackId: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** One person's standing on one assigned track. */
export interface TrackStanding {
  userId: string;
  trackId: string;
  /** The assignment that sets the due date shown. */
  assignmentId: string;
  mandatory: boolean;
  dueAt: number;
  completedAt: number | null;
  status: TrackStatus;
  /** The certificate behind certified / expiring / expired; null otherwise. */
  certificateId: string | null;
  expiresAt: number | null;
}

const pairKey = (userId: string, trackId: string) => `${userId}\u0000${trackId}`;

function isOpen(a: AssignmentFacts, at: number): boolean {
  return a.completedAt === null || a.completedAt > at;
}

/** The assignment whose due date counts for a person and track (see the header). */
function pickAssignment(list: AssignmentFacts[], at: number): AssignmentFacts {
  const open = list.filter((a) => isOpen(a, at));
  if (open.length > 0) return open.reduce((best, a) => (a.dueAt < best.dueAt ? a : best));
  return list.reduce((best, a) => (a.createdAt > best.createdAt ? a : best));
}

/** The certificate that speaks for a person and track at `at`: the unrevoked one that runs longest. */
function pickCertificate(list: CertificateFacts[], at: number): CertificateFacts | null {
  let best: CertificateFacts | null = null;
  for (const c of list) {
    if (c.issuedAt > at) continue;
    if (c.revokedAt !== null && c.revokedAt <= at) continue;
    if (!best || c.expiresAt > best.expiresAt || (c.expiresAt === best.expiresAt && c.issuedAt > best.issuedAt)) {
      best = c;
    }
  }
  return best;
}

/** Status from a due date and the person's certificates for that track (rule in the header). */
export function decideTrackStatus(
  dueAt: number,
  certificates: readonly CertificateFacts[],
  at: number,
): { status: TrackStatus; certificate: CertificateFacts | null } {
  const certificate = pickCertificate([...certificates], at);
  if (certificate) {
    if (certificate.expiresAt <= at) return { status: 'expired', certificate };
    const status = certificate.expiresAt - at <= EXPIRING_WINDOW_MS ? 'expiring' : 'certified';
    return { status, certificate };
  }
  return { status: at > dueAt ? 'overdue' : 'on-track', certificate: null };
}

/** One standing per (person, assigned track), sorted by person then track. */
export function computeStandings(
  assignments: readonly AssignmentFacts[],
  certificates: readonly CertificateFacts[],
  at: number,
): TrackStanding[] {
  const byPair = new Map<string, AssignmentFacts[]>();
  for (const a of assignments) {
    if (a.createdAt > at) continue;
    const key = pairKey(a.userId, a.trackId);
    const list = byPair.get(key);
    if (list) list.push(a);
    else byPair.set(key, [a]);
  }
  const certsByPair = new Map<string, CertificateFacts[]>();
  for (const c of certificates) {
    const key = pairKey(c.userId, c.trackId);
    const list = certsByPair.get(key);
    if (list) list.push(c);
    else certsByPair.set(key, [c]);
  }

  const standings: TrackStanding[] = [];
  for (const [key, list] of byPair) {
    const chosen = pickAssignment(list, at);
    const { status, certificate } = decideTrackStatus(chosen.dueAt, certsByPair.get(key) ?? [], at);
    standings.push({
      userId: chosen.userId,
      trackId: chosen.trackId,
      assignmentId: chosen.id,
      mandatory: list.some((a) => a.mandatory),
      dueAt: chosen.dueAt,
      completedAt: isOpen(chosen, at) ? null : chosen.completedAt,
      status,
      certificateId: certificate?.id ?? null,
      expiresAt: certificate?.expiresAt ?? null,
    });
  }
  return standings.sort((a, b) => a.userId.localeCompare(b.userId) || a.trackId.localeCompare(b.trackId));
}

export interface TeamSummary {
  /** People with at least one assigned track. */
  people: number;
  /** Person-track lines. */
  assigned: number;
  mandatory: number;
  /** Mandatory lines currently certified (certified or expiring: an expiring certificate is still valid). */
  mandatoryCertified: number;
  /** 0–100, unrounded; null when nothing mandatory is assigned (show "—", not 0 % or 100 %). */
  compliancePct: number | null;
  /** Lines per status, mandatory or not; `expiring` is "expiring within 30 days". */
  counts: Record<TrackStatus, number>;
}

export function summarizeTeam(standings: readonly TrackStanding[]): TeamSummary {
  const counts = Object.fromEntries(trackStatuses.map((s) => [s, 0])) as Record<TrackStatus, number>;
  let mandatory = 0;
  let mandatoryCertified = 0;
  for (const s of standings) {
    counts[s.status] += 1;
    if (!s.mandatory) continue;
    mandatory += 1;
    if (s.status === 'certified' || s.status === 'expiring') mandatoryCertified += 1;
  }
  return {
    people: new Set(standings.map((s) => s.userId)).size,
    assigned: standings.length,
    mandatory,
    mandatoryCertified,
    compliancePct: mandatory === 0 ? null : (100 * mandatoryCertified) / mandatory,
    counts,
  };
}
