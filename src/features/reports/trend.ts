/**
 * The team's monthly trend: compliance as it stood at the end of each month (the current month: as of `to`), and
 * the average of the scores recorded during the month. Months are calendar months in UTC: the schema keeps no
 * organization time zone, and a fixed zone keeps every viewer's chart the same.
 */
import { computeStandings, summarizeTeam, type AssignmentFacts, type CertificateFacts } from '../progress/status';

export interface MonthBucket {
  /** `YYYY-MM`. */
  month: string;
  /** First millisecond of the month (UTC). */
  start: number;
  /** First millisecond of the next month: the bucket is [start, end). */
  end: number;
}

/** Every calendar month from the one holding `from` to the one holding `to`, oldest first. */
export function monthBuckets(from: number, to: number): MonthBucket[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw new RangeError('need from <= to');
  const first = new Date(from);
  let year = first.getUTCFullYear();
  let month = first.getUTCMonth();
  const buckets: MonthBucket[] = [];
  for (;;) {
    const start = Date.UTC(year, month, 1);
    if (start > to) return buckets;
    const end = Date.UTC(year, month + 1, 1);
    buckets.push({ month: `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`, start, end });
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
}

/** A graded result to average: a quiz attempt's or a role-play run's score, 0–100. */
export interface ScoreFact {
  at: number;
  score: number;
}

export interface TrendPoint extends MonthBucket {
  /** The instant compliance was measured: the month's last millisecond, or `to` for the month holding it. */
  asOf: number;
  compliancePct: number | null;
  /** Mean of the month's scores, unrounded; null when there were none. */
  averageScore: number | null;
  scoreCount: number;
}

export function computeMonthlyTrend(
  input: {
    assignments: readonly AssignmentFacts[];
    certificates: readonly CertificateFacts[];
    scores: readonly ScoreFact[];
  },
  from: number,
  to: number,
): TrendPoint[] {
  return monthBuckets(from, to).map((bucket) => {
    const asOf = Math.min(bucket.end - 1, to);
    const { compliancePct } = summarizeTeam(computeStandings(input.assignments, input.certificates, asOf));
    let sum = 0;
    let scoreCount = 0;
    for (const s of input.scores) {
      if (s.at < bucket.start || s.at >= bucket.end || s.at > to) continue;
      sum += s.score;
      scoreCount += 1;
    }
    return { ...bucket, asOf, compliancePct, averageScore: scoreCount === 0 ? null : sum / scoreCount, scoreCount };
  });
}

/** A trend needs this many months with records; fewer is a dot or a flat line that says nothing yet. */
export const MIN_TREND_MONTHS = 2;

export type TrendView = { enough: true; points: TrendPoint[] } | { enough: false; months: number };

/**
 * What the chart draws: the months from the first one with any record (compliance measured or a score), when
 * there are at least MIN_TREND_MONTHS of them and something happened (a certificate or a score); otherwise "not
 * enough history yet" rather than a line of zeros.
 */
export function trendView(points: readonly TrendPoint[]): TrendView {
  const first = points.findIndex((p) => p.compliancePct !== null || p.scoreCount > 0);
  const kept = first < 0 ? [] : points.slice(first);
  const happened = kept.some((p) => (p.compliancePct ?? 0) > 0 || p.scoreCount > 0);
  if (kept.length < MIN_TREND_MONTHS || !happened) return { enough: false, months: happened ? kept.length : 0 };
  return { enough: true, points: kept };
}
