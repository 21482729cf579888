import type { TrackStatus } from './status';

/** The badge style for each status (always shown with its words: colour never carries the meaning alone). */
export const statusTone: Record<TrackStatus, 'good' | 'warn' | 'bad' | 'info'> = {
  'on-track': 'info',
  overdue: 'bad',
  certified: 'good',
  expiring: 'warn',
  'update-required': 'warn',
  expired: 'bad',
};

/** "83 %" or "—" when there is nothing to measure. */
export function formatPct(value: number | null, decimals = 0): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(decimals)} %`;
}

/** A share of simulated attempts as a percent, with one decimal under 10 % so "0.4 %" is not shown as "0 %". */
export function formatShare(x: number): string {
  return x > 0 && x < 0.001 ? '< 0.1 %' : formatPct(100 * x, x > 0 && x < 0.1 ? 1 : 0);
}
