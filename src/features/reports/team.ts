/**
 * The team dashboard's rows, pure: per person, each assigned track's standing (status.ts) with progress toward the
 * next certificate (the certification rules), plus the CSV layout and the per-standard chart data. team.server.ts
 * loads the rows for one team and calls these.
 */
import type { RequirementRules, Results } from '../certification/certification';
import { measureProgress, type ProgressInput } from '../certification/progress';
import type { Track } from '../content/schema';
import type { CsvColumn } from './csv';
import { trackStatusLabels, type CertificateFacts, type TrackStanding } from '../progress/status';

export interface TeamLine extends TrackStanding {
  trackTitle: string;
  /** Requirements met toward the current (or next) certificate, of `total` (certification/progress.ts). */
  done: number;
  total: number;
  /** Whether `done` counts toward renewing an earlier certificate. */
  renewal: boolean;
}

export interface TeamPerson {
  id: string;
  name: string;
  email: string;
  hireDate: string | null;
  /** Latest quiz attempt, role-play run or judgment answer; null when none. */
  lastActivity: number | null;
  lines: TeamLine[];
}

/**
 * Requirements met for one person and track: the one definition of progress (certification/progress.ts), the count
 * /learn and the track page show. Team pages show counts only, so no activity is loaded for them.
 */
export function trackProgress(
  track: Track | undefined,
  results: Results,
  certificates: readonly CertificateFacts[],
  rules: RequirementRules,
  at: number,
  moduleOf: ProgressInput['moduleOf'] = () => undefined,
): { done: number; total: number; renewal: boolean } {
  if (!track) return { done: 0, total: 0, renewal: false };
  const { done, total, renewal } = measureProgress({ track, results, rules, moduleOf, activity: [], certificates, at });
  return { done, total, renewal };
}

/** One CSV record per person and assigned track; a person with nothing assigned gets one record without a track. */
export interface TeamCsvRow {
  team: string;
  person: TeamPerson;
  line: TeamLine | null;
}

const isoDate = (t: number | null | undefined) =>
  t === null || t === undefined ? null : new Date(t).toISOString().slice(0, 10);

export const teamCsvColumns: readonly CsvColumn<TeamCsvRow>[] = [
  { header: 'Team', value: (r) => r.team },
  { header: 'Person', value: (r) => r.person.name },
  { header: 'Email', value: (r) => r.person.email },
  { header: 'Hire date', value: (r) => r.person.hireDate },
  { header: 'Track', value: (r) => r.line?.trackTitle },
  { header: 'Track id', value: (r) => r.line?.trackId },
  { header: 'Priority', value: (r) => (r.line ? (r.line.mandatory ? 'Mandatory' : 'Recommended') : null) },
  { header: 'Status', value: (r) => (r.line ? trackStatusLabels[r.line.status] : null) },
  { header: 'Requirements met', value: (r) => r.line?.done },
  { header: 'Requirements', value: (r) => r.line?.total },
  { header: 'Due date', value: (r) => isoDate(r.line?.dueAt) },
  { header: 'Certificate expires', value: (r) => isoDate(r.line?.expiresAt) },
  { header: 'Last activity', value: (r) => isoDate(r.person.lastActivity) },
];

export function teamCsvRows(team: string, people: readonly TeamPerson[]): TeamCsvRow[] {
  return people.flatMap((person): TeamCsvRow[] =>
    person.lines.length === 0 ? [{ team, person, line: null }] : person.lines.map((line) => ({ team, person, line })),
  );
}

export interface StandardTally {
  standardId: string;
  ok: number;
  total: number;
}

/**
 * Per-standard results as chart bars, weakest first — the standards to coach this month come to the top. Ties go
 * by more answers first (more evidence), then by title.
 */
export function standardBars(tallies: readonly StandardTally[], titleOf: (id: string) => string) {
  return tallies
    .filter((t) => t.total > 0)
    .map((t) => ({
      standardId: t.standardId,
      title: titleOf(t.standardId),
      ok: t.ok,
      total: t.total,
      pct: (100 * t.ok) / t.total,
    }))
    .sort((a, b) => a.pct - b.pct || b.total - a.total || a.title.localeCompare(b.title));
}
