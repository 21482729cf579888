/**
 * Progress on a track: the ONE definition every page shows (/learn, the track page, /team, a person's page). Pure;
 * callers load the inputs (progress.server.ts for one learner, team.server.ts for a team).
 *
 * - Requirements met: the certification rules' own count (decideCertification) over the results that count toward
 *   the next certificate: all of them before a first certificate, those of the renewal cycle once renewal is open
 *   (30 days before expiry, or after a lapse or a revocation). While a certificate is simply valid, the
 *   requirements it was earned with (all met).
 * - Per module: done when every requirement it holds (its quiz, role-play, calibration exercise) is met — a module
 *   that holds none, once its lesson is completed; in progress once anything was done in it in this cycle (lesson
 *   completed, judgment case answered, quiz, role-play or exercise attempted, a requirement met); else not started.
 */
import { requirementParts, type Track } from '../content/schema';
import {
  cycleStart,
  decideCertification,
  latestCertificate,
  mayIssue,
  type CertificateFacts,
  type Decision,
  type RequirementRules,
  type Results,
} from './certification';

export type ModuleState = 'done' | 'in-progress' | 'not-started';

export const moduleStateLabels: Record<ModuleState, string> = {
  done: 'Done',
  'in-progress': 'In progress',
  'not-started': 'Not started',
};

/** Something the learner did in a module, at a time (whatever it scored). */
export interface ModuleActivity {
  moduleId: string;
  at: number;
}

export interface ProgressInput {
  track: Pick<Track, 'modules' | 'requires'>;
  results: Results;
  rules: RequirementRules;
  /** The module that holds a requirement's quiz, role-play or exercise (undefined when unknown). */
  moduleOf: (kind: 'quiz' | 'roleplay' | 'exercise', id: string) => string | undefined;
  activity: readonly ModuleActivity[];
  /** The learner's certificates of this track (any order); only their dates matter. */
  certificates: readonly Pick<CertificateFacts, 'issuedAt' | 'expiresAt' | 'revokedAt'>[];
  at: number;
}

export interface TrackProgress extends Decision {
  /** Results and activity from here on count (0: all of them). */
  since: number;
  /** Whether the count is toward renewing (or replacing) an earlier certificate. */
  renewal: boolean;
  /** Anything done on the track in this cycle. */
  started: boolean;
  modules: { moduleId: string; state: ModuleState }[];
}

/** From when results count for progress (see the header). */
export function progressSince(
  certificates: ProgressInput['certificates'],
  at: number,
): { since: number; renewal: boolean } {
  const latest = latestCertificate(
    certificates.filter((c) => c.issuedAt <= at).map((c, i) => ({ ...c, id: String(i), moduleVersions: {} })),
  );
  if (!latest || !mayIssue(latest, at)) return { since: 0, renewal: false };
  return { since: cycleStart(latest), renewal: true };
}

export function measureProgress(input: ProgressInput): TrackProgress {
  const { since, renewal } = progressSince(input.certificates, input.at);
  const decision = decideCertification(input.track, input.results, input.rules, since);
  const active = new Set(input.activity.filter((a) => a.at >= since && a.at <= input.at).map((a) => a.moduleId));
  const modules = input.track.modules.map((moduleId) => {
    const mine = decision.requirements.filter((r) => {
      const { kind, id } = requirementParts(r.requirement);
      return input.moduleOf(kind, id) === moduleId;
    });
    const met = mine.filter((r) => r.met).length;
    const state: ModuleState =
      mine.length > 0
        ? met === mine.length
          ? 'done'
          : met > 0 || active.has(moduleId)
            ? 'in-progress'
            : 'not-started'
        : active.has(moduleId)
          ? 'done'
          : 'not-started';
    return { moduleId, state };
  });
  const started = decision.done > 0 || active.size > 0;
  return { ...decision, since, renewal, started, modules };
}

/** "3 of 8 requirements met", the words every page uses (with "for renewal" while renewing). */
export function progressWords(p: Pick<TrackProgress, 'done' | 'total' | 'renewal'>): string {
  return `${p.done} of ${p.total} requirements met${p.renewal ? ' for renewal' : ''}`;
}
