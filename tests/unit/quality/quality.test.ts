/** Scorecard generation, scoring and floor results on hand-made data with known answers. */
import { describe, expect, it } from 'vitest';
import type { Standard } from '../../../src/features/content/schema';
import { evaluationScore, isMet, scorecardItems, standardResults } from '../../../src/features/quality/quality';

const standard = (id: string, title: string): Standard => ({
  id,
  title,
  audience: 'rep',
  standard: `Do ${title}.`,
  why: `Because ${title}.`,
  measure: `Count ${title}.`,
  bend: `Unless ${title}.`,
  source: 'x',
});
const standards = new Map([standard('greet', 'Greet'), standard('listen', 'Listen')].map((s) => [s.id, s]));

describe('scorecardItems', () => {
  it('turns each item into what the scorer sees, with the standard’s measure, reason and bend', () => {
    const items = scorecardItems(
      {
        items: [
          { standard: 'greet', scale: 'yes-no' },
          { standard: 'listen', id: 'listen-opening', scale: 'scale', ask: 'How well did they listen?' },
          { standard: 'listen', id: 'listen-rest', scale: 'yes-no' },
        ],
      },
      standards,
    );
    expect(items.map((i) => [i.key, i.standardId, i.scale, i.ask])).toEqual([
      ['greet', 'greet', 'yes-no', 'Greet: was the standard met?'],
      ['listen-opening', 'listen', 'scale', 'How well did they listen?'],
      ['listen-rest', 'listen', 'yes-no', 'Listen: was the standard met?'],
    ]);
    expect(items[0]).toMatchObject({
      measure: 'Count Greet.',
      why: 'Because Greet.',
      bend: 'Unless Greet.',
      standard: 'Do Greet.',
    });
  });

  it('leaves out an item whose standard is unknown', () => {
    expect(scorecardItems({ items: [{ standard: 'nope', scale: 'yes-no' }] }, standards)).toEqual([]);
  });
});

describe('scoring', () => {
  it('scores applicable points only, rounded down', () => {
    // yes 1 + no 0 + 5 → 1 + 3 → 0.5 = 2.5 of 4 applicable = 62.5 → 62
    expect(evaluationScore(['yes', 'no', '5', '3', 'na'])).toBe(62);
    expect(evaluationScore(['yes', 'yes', 'yes'])).toBe(100);
    expect(evaluationScore(['na', 'na'])).toBeUndefined();
  });

  it('calls yes and 4–5 met, no and 1–3 not met, N/A neither', () => {
    expect(['yes', 'no', '1', '3', '4', '5', 'na'].map((v) => isMet(v as never))).toEqual([
      true,
      false,
      false,
      false,
      true,
      true,
      undefined,
    ]);
  });

  it('tallies each standard over evaluations, skipping N/A', () => {
    const results = standardResults([
      { standardId: 'greet', value: 'yes' },
      { standardId: 'greet', value: 'no' },
      { standardId: 'greet', value: 'yes' },
      { standardId: 'listen', value: 'na' },
      { standardId: 'listen', value: '4' },
      { standardId: 'smile', value: 'na' },
    ]);
    expect(results).toEqual([
      { standardId: 'greet', met: 2, applicable: 3, percent: 66 },
      { standardId: 'listen', met: 1, applicable: 1, percent: 100 },
    ]);
  });
});
