/**
 * Certification as one lifecycle per learner and track, decided by pure functions from the track's rules, the
 * learner's recorded results, the certificate rows and the clock. certification.server.ts loads and writes.
 *
 *   not-started → in-progress → certified ⇄ expiring → expired
 *                                   │  └→ update-required (module content changed; grace period) → certified again
 *                                   └→ revoked (admin, with a reason)
 *   expired / revoked / expiring → a new certificate once the requirements are met again (renewed / issued)
 *
 * Certificates are rows that are never rewritten except for revocation; status is derived here, never stored.
 * Which results count toward the NEXT certificate (`cycleStart`): all of them for a first certificate; those since
 * the revocation after one is revoked; those since the renewal window opened (30 days before expiry) for a renewal,
 * so a learner re-qualifies with fresh results instead of being renewed by last year's scores.
 *
 * Requirements are data (`track.requires`): adding a role-play to a track needs no code. A new requirement applies
 * from the next certificate on; certificates already issued stay valid until they expire.
 */
import { requirementParts, type Requirement, type RequirementKind, type Track } from '../content/schema';

const DAY = 24 * 60 * 60 * 1000;
/** A certificate is "expiring", and renewal results start to count, this long before it expires. */
export const RENEWAL_WINDOW_MS = 30 * DAY;
/** After a module's content changes substantively, certified learners have this long to re-take its quiz. */
export const UPDATE_GRACE_MS = 30 * DAY;

// ---------------------------------------------------------------------------------------------- deciding

export interface QuizResult {
  quizId: string;
  /** Percent. Only graded certification-mode attempts are results; practice never counts. */
  score: number;
  /** The module content version the attempt was taken on. */
  contentVersion: string;
  at: number;
}

export interface RoleplayResult {
  roleplayId: string;
  /** Score of an ended run. */
  score: number;
  at: number;
}

export interface ExerciseResult {
  exerciseId: string;
  /** Percent agreement with the expert of a submitted attempt. */
  score: number;
  at: number;
}

export interface Results {
  quizzes: readonly QuizResult[];
  roleplays: readonly RoleplayResult[];
  /** Submitted calibration exercise attempts (none when left out). */
  exercises?: readonly ExerciseResult[];
}

/** What the rules need to know about content: pass marks and pass scores (undefined: no such item). */
export interface RequirementRules {
  quizPassMark(quizId: string): number | undefined;
  roleplayPassScore(roleplayId: string): number | undefined;
  exercisePassMark(exerciseId: string): number | undefined;
}

export interface RequirementStatus {
  requirement: Requirement;
  kind: RequirementKind;
  id: string;
  /** Score needed; undefined when the quiz, role-play or exercise no longer exists (then it cannot be met). */
  needed: number | undefined;
  best: number | undefined;
  met: boolean;
}

export interface Decision {
  met: boolean;
  done: number;
  total: number;
  requirements: RequirementStatus[];
}

/** Best score per item among results at or after `since`. */
function best<T extends { score: number; at: number }>(items: readonly T[], key: (r: T) => string, since: number) {
  const out = new Map<string, number>();
  for (const r of items) {
    if (r.at < since) continue;
    const k = key(r);
    out.set(k, Math.max(out.get(k) ?? -1, r.score));
  }
  return out;
}

/**
 * Whether the results meet every requirement of the track: each quiz's best score ≥ its pass mark, each
 * role-play's best ended run ≥ `minScore` (default: the role-play's `passScore`), each calibration exercise's best
 * attempt ≥ `minScore` (default: its `passMark`). Only results at or after `since` count (see `cycleStart`).
 */
export function decideCertification(
  track: Pick<Track, 'requires'>,
  results: Results,
  rules: RequirementRules,
  since = 0,
): Decision {
  const bestOf = {
    quiz: best(results.quizzes, (r) => r.quizId, since),
    roleplay: best(results.roleplays, (r) => r.roleplayId, since),
    exercise: best(results.exercises ?? [], (r) => r.exerciseId, since),
  };
  const ownMark = { quiz: rules.quizPassMark, roleplay: rules.roleplayPassScore, exercise: rules.exercisePassMark };
  const requirements = track.requires.map((requirement): RequirementStatus => {
    const { kind, id, minScore } = requirementParts(requirement);
    const needed = minScore ?? ownMark[kind](id);
    const score = bestOf[kind].get(id);
    return {
      requirement,
      kind,
      id,
      needed,
      best: score,
      met: needed !== undefined && score !== undefined && score >= needed,
    };
  });
  const done = requirements.filter((r) => r.met).length;
  return { met: done === requirements.length, done, total: requirements.length, requirements };
}

// ---------------------------------------------------------------------------------------------- issuing and renewing

export interface CertificateFacts {
  id: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokeReason?: string | null;
  moduleVersions: Record<string, string>;
}

/** The certificate that defines the lifecycle: the most recently issued one. */
export function latestCertificate<T extends CertificateFacts>(certificates: readonly T[]): T | undefined {
  return certificates.reduce<T | undefined>((a, c) => (!a || c.issuedAt > a.issuedAt ? c : a), undefined);
}

/** From when results count toward the next certificate (see the header). */
export function cycleStart(latest: CertificateFacts | undefined): number {
  if (!latest) return 0;
  if (latest.revokedAt !== null) return latest.revokedAt;
  return latest.expiresAt - RENEWAL_WINDOW_MS;
}

/** Whether a new certificate may be issued at `at`: none yet, the last one revoked, or its renewal window open. */
export function mayIssue(latest: CertificateFacts | undefined, at: number): boolean {
  return !latest || latest.revokedAt !== null || at >= latest.expiresAt - RENEWAL_WINDOW_MS;
}

/** `at` plus whole calendar months (UTC); the 31st becomes the month's last day where needed. */
export function addMonths(at: number, months: number): number {
  const d = new Date(at);
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

export interface Issue {
  kind: 'issued' | 'renewed';
  expiresAt: number;
  replacesId: string | null;
}

/**
 * The next certificate's kind and expiry. Renewing before the old one expires extends from its expiry date, so
 * renewing early costs nothing; otherwise validity runs from now. After a revocation it is a fresh issue.
 */
export function planIssue(latest: CertificateFacts | undefined, validityMonths: number, at: number): Issue {
  if (!latest) return { kind: 'issued', expiresAt: addMonths(at, validityMonths), replacesId: null };
  if (latest.revokedAt !== null)
    return { kind: 'issued', expiresAt: addMonths(at, validityMonths), replacesId: latest.id };
  const from = at < latest.expiresAt ? latest.expiresAt : at;
  return { kind: 'renewed', expiresAt: addMonths(from, validityMonths), replacesId: latest.id };
}

// ---------------------------------------------------------------------------------------------- content changes

export interface VersionSeen {
  version: string;
  firstSeenAt: number;
  editorial: boolean;
}

export interface UpdateNeeded {
  moduleId: string;
  /** The version the certificate (or the learner's later re-take) covers. */
  from: string;
  /** The module's current version. */
  to: string;
  /** When the first substantive change after `from` was first seen: the grace period runs from here. */
  since: number;
}

/**
 * Modules whose material changed substantively since the version covered. A module is up to date when its current
 * version is the one covered, or when every version first seen after the covered one, up to the current one, was
 * marked editorial by a trainer. A current version the server has not recorded yet counts as substantive, seen at
 * `at`. Modules the certificate does not cover are ignored.
 */
export function modulesNeedingUpdate(
  covered: Record<string, string>,
  current: Record<string, string>,
  history: Record<string, readonly VersionSeen[]>,
  at: number,
): UpdateNeeded[] {
  const out: UpdateNeeded[] = [];
  for (const [moduleId, from] of Object.entries(covered)) {
    const to = current[moduleId];
    if (to === undefined || to === from) continue;
    const seen = [...(history[moduleId] ?? [])].sort((a, b) => a.firstSeenAt - b.firstSeenAt);
    const i = seen.findIndex((v) => v.version === from);
    const j = seen.findIndex((v) => v.version === to);
    if (j === -1) {
      out.push({ moduleId, from, to, since: at });
      continue;
    }
    // A return to a version older than the covered one is a change like any other (nothing after `from` explains it).
    const between = i !== -1 && j > i ? seen.slice(i + 1, j + 1) : [seen[j]!];
    const substantive = between.find((v) => !v.editorial);
    if (substantive) out.push({ moduleId, from, to, since: substantive.firstSeenAt });
  }
  return out;
}

/**
 * The versions a certificate effectively covers: those recorded at issue, each replaced by the version of a later
 * passing re-take of that module's quiz (how a learner completes an update).
 */
export function coveredVersions(
  certificate: Pick<CertificateFacts, 'issuedAt' | 'moduleVersions'>,
  retakes: readonly { moduleId: string; contentVersion: string; at: number }[],
): Record<string, string> {
  const covered = { ...certificate.moduleVersions };
  const latestAt: Record<string, number> = {};
  for (const r of retakes) {
    if (r.at < certificate.issuedAt || !(r.moduleId in covered)) continue;
    if (r.at >= (latestAt[r.moduleId] ?? -Infinity)) {
      covered[r.moduleId] = r.contentVersion;
      latestAt[r.moduleId] = r.at;
    }
  }
  return covered;
}

// ---------------------------------------------------------------------------------------------- status

export type LifecycleStatus =
  'not-started' | 'in-progress' | 'certified' | 'expiring' | 'update-required' | 'expired' | 'revoked';

export const lifecycleLabels: Record<LifecycleStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  certified: 'Certified',
  expiring: 'Expiring soon',
  'update-required': 'Update required',
  expired: 'Expired',
  revoked: 'Revoked',
};

export interface Lifecycle {
  status: LifecycleStatus;
  /** Whether the latest certificate counts as valid right now (certified, expiring, or an update within grace). */
  valid: boolean;
  certificate?: CertificateFacts;
  /** For update-required (and an expiry caused by a missed update): the modules to re-take and the deadline. */
  updates?: UpdateNeeded[];
  graceUntil?: number;
  /** expired: by date, or because a required update was not done in time. */
  expiredBecause?: 'date' | 'update-missed';
}

/**
 * A certificate's standing at `at`. Revoked wins; then the expiry date; then outstanding updates (valid during the
 * grace period, expired after it until the learner re-takes the module); then "expiring" within the window.
 */
export function certificateStatus(
  certificate: CertificateFacts,
  updates: readonly UpdateNeeded[],
  at: number,
): Lifecycle {
  if (certificate.revokedAt !== null && certificate.revokedAt <= at)
    return { status: 'revoked', valid: false, certificate };
  if (at >= certificate.expiresAt) return { status: 'expired', valid: false, certificate, expiredBecause: 'date' };
  if (updates.length > 0) {
    const graceUntil = Math.min(...updates.map((u) => u.since)) + UPDATE_GRACE_MS;
    if (at >= graceUntil)
      return {
        status: 'expired',
        valid: false,
        certificate,
        updates: [...updates],
        graceUntil,
        expiredBecause: 'update-missed',
      };
    return { status: 'update-required', valid: true, certificate, updates: [...updates], graceUntil };
  }
  if (at >= certificate.expiresAt - RENEWAL_WINDOW_MS) return { status: 'expiring', valid: true, certificate };
  return { status: 'certified', valid: true, certificate };
}

/** A learner's standing on a track: from the latest certificate when there is one, else from their progress. */
export function trackLifecycle(
  latest: CertificateFacts | undefined,
  updates: readonly UpdateNeeded[],
  progress: Pick<Decision, 'done'> & { started: boolean },
  at: number,
): Lifecycle {
  if (latest) return certificateStatus(latest, updates, at);
  return { status: progress.started || progress.done > 0 ? 'in-progress' : 'not-started', valid: false };
}

/** What verification shows the public: three words and the dates. */
export function publicVerdict(l: Lifecycle): 'valid' | 'expired' | 'revoked' {
  if (l.status === 'revoked') return 'revoked';
  return l.valid ? 'valid' : 'expired';
}
