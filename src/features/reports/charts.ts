/**
 * Charts as SVG markup built on the server: no chart library reaches the browser. Each chart is one
 * `<svg role="img">` named by its `<title>` and described by its `<desc>`; the page puts a data table next to it
 * (the chart is a picture of the table, the table is what assistive technology and copy-paste use).
 *
 * Meaning never rides on colour alone: bars carry their label and value as text, line series differ in dash pattern
 * and marker shape and are named in a text legend. Red, amber and green mean a band (thresholds.ts) and nothing
 * else: series colours avoid them, and a series with thresholds colours its points by band and writes "▼ value"
 * beside every point below target. Colours are presentation attributes with a class on each part,
 * so the site stylesheet can restyle them (`.chart-bar { fill: … }` wins over the attribute). Text uses
 * currentColor so it follows the page's text colour. All text is XML-escaped.
 */

import { bandOf, type Band, type Thresholds } from './thresholds';

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Coordinates to one decimal keep the markup short. */
const n = (x: number) => String(Math.round(x * 10) / 10);
const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '-') || 'chart';
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

interface Frame {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
}

function svg(frame: Frame, body: string): string {
  const id = safeId(frame.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
    `viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" ` +
    `font-family="inherit" font-size="14" style="max-width: 100%; height: auto">` +
    `<title id="${id}-title">${escapeXml(frame.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(frame.description)}</desc>${body}</svg>`
  );
}

function formatValue(value: number | null, unit: string, decimals: number): string {
  return value === null || !Number.isFinite(value) ? 'no data' : `${value.toFixed(decimals)}${unit}`;
}

// ---------------------------------------------------------------------------------------------- bar chart

export interface Bar {
  label: string;
  /** Null when there is nothing to show yet ("no data" is written instead of a bar). */
  value: number | null;
  /** Extra text after the value, e.g. "12 answers". */
  detail?: string;
  /** What the value means against its thresholds (thresholds.ts): colours the bar; the detail should say it too. */
  tone?: 'good' | 'warn' | 'bad';
}

/** Bar fills by meaning; each has at least 3:1 contrast with the white page and the grey track (WCAG 1.4.11). */
export const toneFill = { good: '#15803d', warn: '#b45309', bad: '#b91c1c', none: '#1d4ed8' } as const;

export interface BarChartOptions {
  /** Unique on the page: the title and desc ids derive from it. */
  id: string;
  title: string;
  description: string;
  bars: readonly Bar[];
  /** Value of a full-width bar (default 100). */
  max?: number;
  /** Written after each value (default "%"). */
  unit?: string;
  decimals?: number;
  width?: number;
}

const BAR_ROW = 52;
const BAR_HEIGHT = 18;
// Room right of the bars for the value and its words ("50% (1 of 2, below floor (60 %))" did not fit in 150).
const VALUE_ROOM = 310;

/** Horizontal bars, one per row: the label above its bar, the value (and detail) as text right of the bar. */
export function horizontalBarChart(options: BarChartOptions): string {
  const { bars, max = 100, unit = '%', decimals = 0, width = 800 } = options;
  if (!(max > 0)) throw new RangeError('max must be above 0');
  const plot = width - VALUE_ROOM;
  const height = Math.max(1, bars.length) * BAR_ROW + 8;
  const rows = bars.map((bar, i) => {
    const top = i * BAR_ROW + 8;
    const barY = top + 22;
    const length = bar.value === null || !Number.isFinite(bar.value) ? 0 : (clamp(bar.value, 0, max) / max) * plot;
    const text = formatValue(bar.value, unit, decimals) + (bar.detail ? ` (${bar.detail})` : '');
    return (
      `<g class="chart-row">` +
      `<text class="chart-label" x="0" y="${n(top + 12)}" fill="currentColor">${escapeXml(bar.label)}</text>` +
      `<rect class="chart-track" x="0" y="${n(barY)}" width="${n(plot)}" height="${BAR_HEIGHT}" fill="#e5e7eb"/>` +
      (length > 0
        ? `<rect class="chart-bar${bar.tone ? ` chart-bar-${bar.tone}` : ''}" x="0" y="${n(barY)}" width="${n(length)}" height="${BAR_HEIGHT}" fill="${toneFill[bar.tone ?? 'none']}"/>`
        : '') +
      `<text class="chart-value" x="${n(plot + 8)}" y="${n(barY + 14)}" fill="currentColor">${escapeXml(text)}</text>` +
      `</g>`
    );
  });
  const empty = bars.length === 0 ? `<text x="0" y="28" fill="currentColor">No data yet</text>` : '';
  return svg({ ...options, width, height }, rows.join('') + empty);
}

// ---------------------------------------------------------------------------------------------- line chart

export interface LineSeries {
  name: string;
  /** One value per x label; null leaves a gap in the line. */
  values: readonly (number | null)[];
  /**
   * What the values mean (thresholds.ts): each point is coloured by its band, and points below target also say so
   * in text ("▼ 72%"), so the meaning does not ride on colour. The line itself is then neutral.
   */
  thresholds?: Thresholds;
}

export interface LineChartOptions {
  id: string;
  title: string;
  description: string;
  /** X axis labels, e.g. months "2026-01". */
  labels: readonly string[];
  series: readonly LineSeries[];
  min?: number;
  max?: number;
  unit?: string;
  width?: number;
  height?: number;
  /** Horizontal reference lines (a target, a floor), each labelled in text at the right end. */
  references?: readonly { value: number; label: string; tone: 'good' | 'warn' | 'bad' }[];
}

/**
 * Per series: colour, dash pattern and marker shape, so series differ without colour. No red, amber or green: those
 * mean a band (toneFill). Each has at least 4.5:1 contrast on white.
 */
const seriesStyles = [
  { colour: '#1d4ed8', dash: '', marker: 'circle' },
  { colour: '#6d28d9', dash: '6 4', marker: 'square' },
  { colour: '#0e7490', dash: '2 3', marker: 'triangle' },
  { colour: '#334155', dash: '10 3 2 3', marker: 'diamond' },
] as const;
/** The line of a series whose points carry the colour (thresholds): slate, 7.6:1 on white. */
const NEUTRAL_LINE = '#475569';

function marker(
  shape: (typeof seriesStyles)[number]['marker'],
  x: number,
  y: number,
  colour: string,
  extraClass = '',
): string {
  const attrs = `class="chart-marker${extraClass ? ` ${extraClass}` : ''}" fill="${colour}"`;
  if (shape === 'circle') return `<circle ${attrs} cx="${n(x)}" cy="${n(y)}" r="4"/>`;
  if (shape === 'square') return `<rect ${attrs} x="${n(x - 4)}" y="${n(y - 4)}" width="8" height="8"/>`;
  const points =
    shape === 'triangle'
      ? [
          [x, y - 5],
          [x + 5, y + 4],
          [x - 5, y + 4],
        ]
      : [
          [x, y - 5],
          [x + 5, y],
          [x, y + 5],
          [x - 5, y],
        ];
  return `<polygon ${attrs} points="${points.map(([px, py]) => `${n(px!)},${n(py!)}`).join(' ')}"/>`;
}

/** A line per series over shared x labels, with a y grid, x labels (thinned to at most 12) and a text legend. */
export function lineChart(options: LineChartOptions): string {
  const { labels, series, min = 0, max = 100, unit = '%', width = 640, height = 300 } = options;
  if (!(max > min)) throw new RangeError('max must be above min');
  const left = 48;
  const right = 36;
  const legendHeight = 24 * Math.ceil(series.length / 2);
  const top = legendHeight + 16;
  const bottom = height - 32;
  const xAt = (i: number) =>
    labels.length <= 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (labels.length - 1);
  const yAt = (v: number) => bottom - ((clamp(v, min, max) - min) / (max - min)) * (bottom - top);

  const parts: string[] = [];
  series.forEach((s, i) => {
    const style = seriesStyles[i % seriesStyles.length]!;
    const lx = (i % 2) * (width / 2);
    const ly = Math.floor(i / 2) * 24 + 14;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    const line = s.thresholds ? NEUTRAL_LINE : style.colour;
    const name = s.thresholds ? `${s.name} (▼ below target ${s.thresholds.target} %)` : s.name;
    parts.push(
      `<g class="chart-legend-item">` +
        `<line x1="${n(lx)}" y1="${n(ly - 4)}" x2="${n(lx + 28)}" y2="${n(ly - 4)}" stroke="${line}" stroke-width="2"${dash}/>` +
        marker(style.marker, lx + 14, ly - 4, line) +
        `<text x="${n(lx + 36)}" y="${n(ly)}" fill="currentColor">${escapeXml(name)}</text></g>`,
    );
  });

  for (let k = 0; k <= 4; k += 1) {
    const v = min + ((max - min) * k) / 4;
    const y = yAt(v);
    parts.push(
      `<line class="chart-grid" x1="${left}" y1="${n(y)}" x2="${n(width - right)}" y2="${n(y)}" stroke="#d1d5db" stroke-width="1"/>` +
        `<text class="chart-tick" x="${left - 6}" y="${n(y + 4)}" text-anchor="end" fill="currentColor">${escapeXml(formatValue(v, unit, 0))}</text>`,
    );
  }

  for (const r of options.references ?? []) {
    const y = yAt(r.value);
    parts.push(
      `<g class="chart-reference chart-reference-${r.tone}">` +
        `<line x1="${left}" y1="${n(y)}" x2="${n(width - right)}" y2="${n(y)}" stroke="${toneFill[r.tone]}" stroke-width="1.5" stroke-dasharray="1 4"/>` +
        `<text x="${n(width - right)}" y="${n(y - 4)}" text-anchor="end" fill="currentColor" font-size="12">${escapeXml(r.label)}</text></g>`,
    );
  }

  const every = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return;
    parts.push(
      `<text class="chart-tick" x="${n(xAt(i))}" y="${n(bottom + 20)}" text-anchor="middle" fill="currentColor">${escapeXml(label)}</text>`,
    );
  });

  series.forEach((s, i) => {
    const style = seriesStyles[i % seriesStyles.length]!;
    let d = '';
    let penDown = false;
    const markers: string[] = [];
    labels.forEach((_, j) => {
      const v = s.values[j];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        penDown = false;
        return;
      }
      d += `${penDown ? 'L' : 'M'}${n(xAt(j))} ${n(yAt(v))}`;
      penDown = true;
      if (!s.thresholds) {
        markers.push(marker(style.marker, xAt(j), yAt(v), style.colour));
        return;
      }
      const band: Band = bandOf(v, s.thresholds);
      // The words go under the point (clear of the target and floor names, which sit above their lines), or over it
      // at the bottom of the plot.
      markers.push(marker(style.marker, xAt(j), yAt(v), toneFill[band], `chart-point-${band}`));
      if (band !== 'good')
        markers.push(
          `<text class="chart-point-label chart-point-${band}" x="${n(xAt(j))}" y="${n(yAt(v) + 20 > bottom - 2 ? yAt(v) - 10 : yAt(v) + 20)}" text-anchor="middle" fill="${toneFill[band]}" font-size="13" font-weight="600">${escapeXml(`▼ ${formatValue(v, unit, 0)}`)}</text>`,
        );
    });
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    parts.push(
      `<g class="chart-series">` +
        (d
          ? `<path class="chart-line" d="${d}" fill="none" stroke="${s.thresholds ? NEUTRAL_LINE : style.colour}" stroke-width="2"${dash}/>`
          : '') +
        markers.join('') +
        `</g>`,
    );
  });

  return svg({ ...options, width, height }, parts.join(''));
}
