/**
 * What a percentage means on the team dashboard, so charts can colour by meaning (and say it in words beside the
 * colour): a standard's results and the team's compliance each have a target and a floor. One place, so the
 * chart, its table and the tests read the same cut-offs.
 */
export type Band = 'good' | 'warn' | 'bad';

export interface Thresholds {
  /** At or above: on target. */
  target: number;
  /** Below: needs attention now. Between floor and target: watch. */
  floor: number;
}

/** Right answers and honoured standards: 80 % is the usual pass mark of the certification quizzes. */
export const standardThresholds: Thresholds = { target: 80, floor: 60 };
/** Mandatory tracks held with a valid certificate. */
export const complianceThresholds: Thresholds = { target: 90, floor: 70 };

export function bandOf(pct: number, t: Thresholds): Band {
  if (pct >= t.target) return 'good';
  return pct >= t.floor ? 'warn' : 'bad';
}

/** Words for a band, shown next to the colour. */
export function bandLabel(band: Band, t: Thresholds): string {
  if (band === 'good') return `on target (${t.target} %+)`;
  if (band === 'warn') return `below target (${t.target} %)`;
  return `below ${t.floor} %`;
}
