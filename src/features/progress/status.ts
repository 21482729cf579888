/**
 * Where each person stands on each assigned track, and what that adds up to for a team. Pure: the caller loads one
 * team's assignment and certificate rows, the module updates their certificates still owe (pendingUpdates in
 * certification.server.ts) and passes the clock (`now()` from src/lib/server/clock.ts).
 *
 * The certificate decides, by the certification rules themselves (certificateStatus in certification.ts, the rule
 * /learn, the certificate page and /verify use); the assignment only schedules. For one person and track at `at`:
 *   1. their latest certificate, unless revoked: `certified`, `expiring` (within 30 days of expiry), `update-required`
 *      (a module changed and its quiz is not re-taken yet, within the grace period: still valid) or `expired` (by
 *      date, or because the update was not done in time) — they were certified and are not any more, whatever the
 *      assignment's due date says;
 *   2. otherwise (never certified, or the latest certificate was revoked) → `overdue` once the due date has passed,
 *      else `on-track`. A completed assignment whose certificate was revoked is therefore not certified: revocation
 *      must stop counting even though the assignment row says "completed".
 *
 * Several assignments of one track to one person (the original and a renewal) are one line: the open one with the
 * earliest due date wins, else the most recently created; the line is mandatory if any of them is.
 *
 * Every comparison is "as of `at`": rows created, issued, completed or revoked after `at` are ignored, so the same
 * code draws the monthly trend by asking at the end of each month (without updates: they are known only for now).
 */
import {
  certificateStatus,
  latestCertificate,
  RENEWAL_WINDOW_MS,
  type UpdateNeeded,
} from '../certification/certification';

/** A certificate reads "expiring" this long before it expires (the certification rules' renewal window). */
export const EXPIRING_WINDOW_MS = RENEWAL_WINDOW_MS;

export const trackStatuses = ['on-track', 'overdue', 'certified', 'expiring', 'update-required', 'expired'] as const;
export type TrackStatus = (typeof trackStatuses)[number];

/** Words for tables and CSV: status is never shown by colour alone. */
export const trackStatusLabels: Record<TrackStatus, string> = {
  'on-track': 'On track',
  overdue: 'Overdue',
  certified: 'Certified',
  expiring: 'Expiring',
  'update-required': 'Update due',
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
  /** The certificate behind certified / expiring / update-required / expired; null otherwise. */
  certificateId: string | null;
  expiresAt: number | null;
  /** update-required: the modules to re-take and by when; expired by a missed update: when it lapsed. */
  updates: readonly UpdateNeeded[];
  updateDueAt: number | null;
  /** expired: by its date, or because a required update was missed. */
  expiredBecause: 'date' | 'update-missed' | null;
}

/** Module updates still owed, by certificate id (none listed: none owed). */
export type PendingUpdates = ReadonlyMap<string, readonly UpdateNeeded[]>;

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

export interface StatusDecision {
  status: TrackStatus;
  certificate: CertificateFacts | null;
  updates: readonly UpdateNeeded[];
  updateDueAt: number | null;
  expiredBecause: 'date' | 'update-missed' | null;
}

/** Status from a due date, the person's certificates for that track and their pending updates (rule in the header). */
export function decideTrackStatus(
  dueAt: number,
  certificates: readonly CertificateFacts[],
  at: number,
  updates: PendingUpdates = new Map(),
): StatusDecision {
  // As of `at`: a revocation recorded later has not happened yet.
  const known = certificates
    .filter((c) => c.issuedAt <= at)
    .map((c) => ({
      ...c,
      revokedAt: c.revokedAt !== null && c.revokedAt <= at ? c.revokedAt : null,
      moduleVersions: {},
    }));
  const latest = latestCertificate(known);
  const none = { certificate: null, updates: [], updateDueAt: null, expiredBecause: null };
  if (!latest) return { status: at > dueAt ? 'overdue' : 'on-track', ...none };
  const lifecycle = certificateStatus(latest, updates.get(latest.id) ?? [], at);
  if (lifecycle.status === 'revoked' || lifecycle.status === 'not-started' || lifecycle.status === 'in-progress') {
    return { status: at > dueAt ? 'overdue' : 'on-track', ...none };
  }
  const certificate = certificates.find((c) => c.id === latest.id) ?? null;
  return {
    status: lifecycle.status,
    certificate,
    updates: lifecycle.updates ?? [],
    updateDueAt: lifecycle.graceUntil ?? null,
    expiredBecause: lifecycle.expiredBecause ?? null,
  };
}

/** One standing per (person, assigned track), sorted by person then track. */
export function computeStandings(
  assignments: readonly AssignmentFacts[],
  certificates: readonly CertificateFacts[],
  at: number,
  updates: PendingUpdates = new Map(),
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
    const { status, certificate, ...update } = decideTrackStatus(chosen.dueAt, certsByPair.get(key) ?? [], at, updates);
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
      ...update,
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
  /** Mandatory lines currently certified (certified, expiring or update-required: each is still valid). */
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
    if (isCompliant(s.status)) mandatoryCertified += 1;
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

/** Whether a line counts toward compliance: its certificate is valid now (an update still within its grace is). */
export function isCompliant(status: TrackStatus): boolean {
  return status === 'certified' || status === 'expiring' || status === 'update-required';
}
