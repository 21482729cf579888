import { describe, expect, it } from 'vitest';
import { escapeXml, horizontalBarChart, lineChart } from '~/features/reports/charts';

/**
 * A strict little well-formedness check: tags nest and close, attributes are quoted, and no raw `<` or stray `&`
 * appears in text or attribute values. Returns the text content of every element, in order.
 */
function checkXml(markup: string): { texts: string[]; tags: string[] } {
  const stack: string[] = [];
  const tags: string[] = [];
  const texts: string[] = [];
  const entity = /&(amp|lt|gt|quot|apos);/g;
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < markup.length) {
    if (markup[i] === '<') {
      tag.lastIndex = i;
      const m = tag.exec(markup);
      if (!m) throw new Error(`bad tag at ${i}: ${markup.slice(i, i + 40)}`);
      const [all, close, name, attrs, selfClose] = m;
      if (attrs!.replace(entity, '').includes('&')) throw new Error(`raw & in attributes of <${name}>`);
      if (close) {
        if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
      } else {
        tags.push(name!);
        if (!selfClose) stack.push(name!);
      }
      i += all.length;
    } else {
      const end = markup.indexOf('<', i);
      const text = markup.slice(i, end === -1 ? undefined : end);
      if (text.replace(entity, '').includes('&')) throw new Error(`raw & in text: ${text}`);
      texts.push(text.replace(entity, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!));
      i += text.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
  return { texts, tags };
}

const attr = (markup: string, el: string, name: string) =>
  [...markup.matchAll(new RegExp(`<${el}(?=[\\s/>])[^>]*\\s${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });
});

describe('horizontalBarChart', () => {
  const chart = horizontalBarChart({
    id: 'standards team/1',
    title: 'Results per standard',
    description: 'Share of correct answers per standard, this month',
    bars: [
      { label: 'Never argue', value: 50, detail: '12 answers' },
      { label: 'Keep promises <or> call & say', value: 100 },
      { label: 'Use the name', value: null },
      { label: 'Over the top', value: 130 },
    ],
  });

  it('is a well-formed svg with role img, a title and a desc it is labelled by', () => {
    const { texts, tags } = checkXml(chart);
    expect(tags[0]).toBe('svg');
    expect(chart).toMatch(/^<svg [^>]*role="img"/);
    expect(attr(chart, 'svg', 'aria-labelledby')).toEqual(['standards-team-1-title standards-team-1-desc']);
    expect(chart).toContain('<title id="standards-team-1-title">Results per standard</title>');
    expect(chart).toContain(
      '<desc id="standards-team-1-desc">Share of correct answers per standard, this month</desc>',
    );
    expect(texts).toContain('Results per standard');
  });

  it('writes every label and value as text, escaped, with "no data" for a missing value', () => {
    const { texts } = checkXml(chart);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Never argue',
        '50% (12 answers)',
        'Keep promises <or> call & say',
        '100%',
        'Use the name',
        'no data',
        '130%',
      ]),
    );
    expect(chart).toContain('Keep promises &lt;or&gt; call &amp; say');
    expect(chart).not.toContain('<or>');
  });

  it('draws bars in proportion to the value, capped at full width, and none for missing data', () => {
    // Default width 800 leaves 490 for the bars (the rest is for the value and its words).
    expect(attr(chart, 'rect class="chart-bar"', 'width')).toEqual(['245', '490', '490']);
    expect(attr(chart, 'rect class="chart-track"', 'width')).toEqual(['490', '490', '490', '490']);
  });

  it('says so when there are no bars, and refuses a non-positive max', () => {
    const empty = horizontalBarChart({ id: 'e', title: 'T', description: 'D', bars: [] });
    expect(checkXml(empty).texts).toContain('No data yet');
    expect(() => horizontalBarChart({ id: 'e', title: 'T', description: 'D', bars: [], max: 0 })).toThrow(RangeError);
  });

  it('honours unit and decimals', () => {
    const c = horizontalBarChart({
      id: 'x',
      title: 'T',
      description: 'D',
      bars: [{ label: 'a', value: 2.345 }],
      unit: ' pts',
      decimals: 1,
      max: 10,
    });
    expect(checkXml(c).texts).toContain('2.3 pts');
  });
});

describe('lineChart', () => {
  const chart = lineChart({
    id: 'trend',
    title: 'Monthly trend',
    description: 'Compliance and average score, November to February',
    labels: ['2025-11', '2025-12', '2026-01', '2026-02'],
    series: [
      { name: 'Compliance %', values: [0, 100, null, 50] },
      { name: 'Average score <quiz & role-play>', values: [70, 80, 90, 60] },
    ],
  });

  it('is a well-formed svg with role img, title and desc', () => {
    checkXml(chart);
    expect(chart).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="trend-title trend-desc"/);
    expect(chart).toContain('<title id="trend-title">Monthly trend</title>');
  });

  it('names each series in a text legend (escaped) and labels the axes in text', () => {
    const { texts } = checkXml(chart);
    expect(texts).toEqual(expect.arrayContaining(['Compliance %', 'Average score <quiz & role-play>']));
    expect(texts).toEqual(expect.arrayContaining(['2025-11', '2025-12', '2026-01', '2026-02']));
    expect(texts).toEqual(expect.arrayContaining(['0%', '25%', '50%', '75%', '100%']));
  });

  it('breaks the line at a missing value and tells series apart by dash and marker, not colour only', () => {
    const paths = attr(chart, 'path', 'd');
    // Series 1: two runs (Nov–Dec, then Feb alone): two move-tos.
    expect(paths[0]?.match(/M/g)).toHaveLength(2);
    expect(paths[1]?.match(/M/g)).toHaveLength(1);
    expect(paths[1]?.match(/L/g)).toHaveLength(3);
    expect(attr(chart, 'path', 'stroke-dasharray')).toEqual(['6 4']);
    expect(chart.match(/<circle class="chart-marker"/g)).toHaveLength(3 + 1);
    expect(chart.match(/<rect class="chart-marker"/g)).toHaveLength(4 + 1);
  });

  it('places values on the y scale: 0 at the bottom, 100 at the top', () => {
    const d = attr(chart, 'path', 'd')[0]!;
    const ys = [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
    // Height 300: bottom at 268; legend of one row (24) + 16 puts the top at 40; 50 sits halfway.
    expect(ys).toEqual([268, 40, 154]);
  });

  it('thins x labels to at most 12 plus the last, and refuses max <= min', () => {
    const labels = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const many = lineChart({ id: 'm', title: 'T', description: 'D', labels, series: [{ name: 's', values: [] }] });
    const shown = checkXml(many).texts.filter((t) => /^m\d+$/.test(t));
    expect(shown.length).toBeLessThanOrEqual(13);
    expect(shown).toContain('m0');
    expect(shown).toContain('m29');
    expect(() => lineChart({ id: 'm', title: 'T', description: 'D', labels, series: [], min: 5, max: 5 })).toThrow(
      RangeError,
    );
  });
});
