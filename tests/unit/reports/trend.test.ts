import { describe, expect, it } from 'vitest';
import { computeMonthlyTrend, monthBuckets } from '~/features/reports/trend';

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('monthBuckets', () => {
  it('covers every month from the one holding `from` to the one holding `to`, across a year end', () => {
    expect(monthBuckets(utc(2025, 11, 15), utc(2026, 2, 2))).toEqual([
      { month: '2025-11', start: utc(2025, 11, 1), end: utc(2025, 12, 1) },
      { month: '2025-12', start: utc(2025, 12, 1), end: utc(2026, 1, 1) },
      { month: '2026-01', start: utc(2026, 1, 1), end: utc(2026, 2, 1) },
      { month: '2026-02', start: utc(2026, 2, 1), end: utc(2026, 3, 1) },
    ]);
  });

  it('gives one bucket inside a month, and refuses a reversed range', () => {
    expect(monthBuckets(utc(2026, 3, 3), utc(2026, 3, 30)).map((b) => b.month)).toEqual(['2026-03']);
    expect(() => monthBuckets(utc(2026, 3, 3), utc(2026, 3, 2))).toThrow(RangeError);
  });
});

describe('computeMonthlyTrend', () => {
  it('measures compliance at each month end (the last month at `to`) and averages that month’s scores', () => {
    const to = utc(2026, 2, 20);
    const trend = computeMonthlyTrend(
      {
        assignments: [
          {
            id: 'a',
            userId: 'u',
            trackId: 't',
            dueAt: utc(2025, 12, 1),
            mandatory: true,
            createdAt: utc(2025, 11, 1),
            completedAt: utc(2025, 12, 10),
          },
        ],
        certificates: [
          {
            id: 'c',
            userId: 'u',
            trackId: 't',
            issuedAt: utc(2025, 12, 10),
            expiresAt: utc(2026, 12, 10),
            revokedAt: utc(2026, 2, 10),
          },
        ],
        scores: [
          { at: utc(2025, 11, 3), score: 60 },
          { at: utc(2025, 11, 30), score: 80 },
          { at: utc(2026, 1, 9), score: 90 },
          { at: utc(2026, 2, 15), score: 50 },
          { at: utc(2026, 2, 25), score: 0 },
        ],
      },
      utc(2025, 11, 1),
      to,
    );
    // Nov: assigned, not yet certified → 0 %; Dec, Jan: certified → 100 %; Feb 20: revoked on Feb 10 → 0 %.
    expect(trend.map((p) => [p.month, p.compliancePct, p.averageScore, p.scoreCount])).toEqual([
      ['2025-11', 0, 70, 2],
      ['2025-12', 100, null, 0],
      ['2026-01', 100, 90, 1],
      ['2026-02', 0, 50, 1],
    ]);
    expect(trend[0]?.asOf).toBe(utc(2025, 12, 1) - 1);
    expect(trend[3]?.asOf).toBe(to);
  });

  it('has no compliance figure for months before anything was assigned', () => {
    const trend = computeMonthlyTrend(
      { assignments: [], certificates: [], scores: [] },
      utc(2026, 1, 1),
      utc(2026, 1, 2),
    );
    expect(trend).toEqual([
      {
        month: '2026-01',
        start: utc(2026, 1, 1),
        end: utc(2026, 2, 1),
        asOf: utc(2026, 1, 2),
        compliancePct: null,
        averageScore: null,
        scoreCount: 0,
      },
    ]);
  });
});
