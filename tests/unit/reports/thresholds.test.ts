import { describe, expect, it } from 'vitest';
import { bandLabel, bandOf, complianceThresholds, standardThresholds } from '~/features/reports/thresholds';
import { horizontalBarChart, lineChart, toneFill } from '~/features/reports/charts';
import { MIN_ATTEMPTS_TO_JUDGE, tooFewNote } from '~/features/reports/item-analysis';
import { trendView, type TrendPoint } from '~/features/reports/trend';
import { AA_TEXT, contrastRatio } from '~/lib/contrast';

describe('bands', () => {
  it('cut at the target and the floor, and say so in words', () => {
    expect(bandOf(80, standardThresholds)).toBe('good');
    expect(bandOf(79.9, standardThresholds)).toBe('warn');
    expect(bandOf(60, standardThresholds)).toBe('warn');
    expect(bandOf(59, standardThresholds)).toBe('bad');
    expect(bandLabel('bad', standardThresholds)).toBe('below 60 %');
    expect(bandLabel(bandOf(95, complianceThresholds), complianceThresholds)).toBe('on target (90 %+)');
  });

  it('colour bars by their tone and draw labelled reference lines', () => {
    const bars = horizontalBarChart({
      id: 'b',
      title: 't',
      description: 'd',
      bars: [
        { label: 'x', value: 40, tone: 'bad' },
        { label: 'y', value: 90, tone: 'good' },
      ],
    });
    expect(bars).toContain(
      `class="chart-bar chart-bar-bad" x="0" y="30" width="196" height="18" fill="${toneFill.bad}"`,
    );
    expect(bars).toContain(`chart-bar-good`);
    const line = lineChart({
      id: 'l',
      title: 't',
      description: 'd',
      labels: ['a', 'b'],
      series: [{ name: 's', values: [1, 2] }],
      references: [{ value: 90, label: 'Target 90 %', tone: 'good' }],
    });
    expect(line).toContain('Target 90 %');
    expect(line).toContain('chart-reference-good');
  });
});

describe('a line series with thresholds', () => {
  const chart = lineChart({
    id: 'trend',
    title: 't',
    description: 'd',
    labels: ['2026-09', '2026-10', '2026-11'],
    series: [
      { name: 'Compliance', values: [95, 75, 40], thresholds: complianceThresholds },
      { name: 'Average score', values: [70, 80, 90] },
    ],
  });
  // The plotted points (the legend's sample marker has no band).
  const points = [...chart.matchAll(/<circle class="chart-marker (chart-point-\w+)" fill="([^"]+)"/g)].map((m) => [
    m[1],
    m[2],
  ]);

  it('colours each point by its band: on target green, below target amber, below the floor red', () => {
    expect(points).toEqual([
      ['chart-point-good', toneFill.good],
      ['chart-point-warn', toneFill.warn],
      ['chart-point-bad', toneFill.bad],
    ]);
  });

  it('says "below target" without colour too: an arrow and the value beside each such point, and a key in the legend', () => {
    const labels = [...chart.matchAll(/<text class="chart-point-label chart-point-(\w+)"[^>]*>([^<]*)<\/text>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(labels).toEqual([
      ['warn', '▼ 75%'],
      ['bad', '▼ 40%'],
    ]);
    expect(chart).toContain('Compliance (▼ below target 90 %)');
  });

  it('draws its line in a neutral colour, and no series uses a band’s colour for itself', () => {
    const strokes = [...chart.matchAll(/<path class="chart-line"[^>]* stroke="([^"]+)"/g)].map((m) => m[1]!);
    expect(strokes).toHaveLength(2);
    for (const stroke of strokes) expect(Object.values(toneFill).slice(0, 3)).not.toContain(stroke);
  });

  it('keeps every colour it writes text or lines in at AA contrast on the white page', () => {
    const colours = new Set([...chart.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6})"/g)].map((m) => m[1]!));
    colours.delete('#d1d5db'); // the grid: decoration, not information
    for (const c of colours) expect(contrastRatio(c, '#ffffff'), c).toBeGreaterThanOrEqual(AA_TEXT);
  });
});

describe('item analysis sample size', () => {
  it('marks statistics resting on fewer than 30 attempts', () => {
    expect(MIN_ATTEMPTS_TO_JUDGE).toBe(30);
    expect(tooFewNote(4)).toBe('n=4, too few to judge');
    expect(tooFewNote(29)).toBe('n=29, too few to judge');
    expect(tooFewNote(30)).toBeNull();
  });
});

describe('trendView', () => {
  const point = (month: string, compliancePct: number | null, scoreCount = 0): TrendPoint => ({
    month,
    start: 0,
    end: 1,
    asOf: 0,
    compliancePct,
    averageScore: scoreCount ? 70 : null,
    scoreCount,
  });

  it('is not enough history when nothing was ever certified or scored (a line of zeros)', () => {
    expect(trendView([point('2026-01', null), point('2026-02', 0), point('2026-03', 0)])).toEqual({
      enough: false,
      months: 0,
    });
  });

  it('is not enough history with a single month of records', () => {
    expect(trendView([point('2026-01', null), point('2026-02', null), point('2026-03', 50, 3)])).toEqual({
      enough: false,
      months: 1,
    });
  });

  it('draws from the first month with records once there are two', () => {
    const view = trendView([point('2026-01', null), point('2026-02', 0, 2), point('2026-03', 50)]);
    expect(view.enough && view.points.map((p) => p.month)).toEqual(['2026-02', '2026-03']);
  });
});
