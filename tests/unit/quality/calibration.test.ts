/** Agreement statistics on hand-made calls with known answers. */
import { describe, expect, it } from 'vitest';
import { calibrationAgreement, callsAgree } from '../../../src/features/quality/calibration';
import type { ItemValue } from '../../../src/features/quality/quality';

const items = [
  { key: 'greet', scale: 'yes-no' as const },
  { key: 'listen', scale: 'yes-no' as const },
  { key: 'warmth', scale: 'scale' as const },
];
const calls = (entries: Record<string, Record<string, ItemValue>>) => new Map(Object.entries(entries));

describe('callsAgree', () => {
  it('agrees on equal calls and on scale values one point apart, never across N/A', () => {
    expect(callsAgree('yes', 'yes')).toBe(true);
    expect(callsAgree('yes', 'no')).toBe(false);
    expect(callsAgree('4', '5')).toBe(true);
    expect(callsAgree('2', '4')).toBe(false);
    expect(callsAgree('na', '1')).toBe(false);
  });
});

describe('calibrationAgreement', () => {
  it('counts agreeing pairs per item and overall, finds the consensus and the outlier', () => {
    const result = calibrationAgreement(
      items,
      calls({
        ann: { greet: 'yes', listen: 'no', warmth: '4' },
        bob: { greet: 'yes', listen: 'no', warmth: '5' },
        cat: { greet: 'no', listen: 'yes', warmth: '2' },
      }),
      90,
    );
    // greet: ann-bob agree, ann-cat and bob-cat do not → 1 of 3; listen the same; warmth: 4~5 agree, 2 agrees with neither → 1 of 3.
    expect(result.items.map((i) => [i.key, i.agreeingPairs, i.pairs, i.percent, i.consensus])).toEqual([
      ['greet', 1, 3, 33, 'yes'],
      ['listen', 1, 3, 33, 'no'],
      ['warmth', 1, 3, 33, undefined],
    ]);
    expect(result.overall).toEqual({ agreeingPairs: 3, pairs: 9, percent: 33 });
    expect(result.calibrated).toBe(false);
    expect(result.evaluators.map((e) => [e.evaluatorId, e.withConsensus, e.compared, e.outlier])).toEqual([
      ['ann', 2, 2, false],
      ['bob', 2, 2, false],
      ['cat', 0, 2, true],
    ]);
  });

  it('reaches 9 of 10: two evaluators who differ on one of ten items are calibrated', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ key: `i${i}`, scale: 'yes-no' as const }));
    const a = Object.fromEntries(ten.map((t) => [t.key, 'yes' as ItemValue]));
    const b = { ...a, i3: 'no' as ItemValue };
    const result = calibrationAgreement(ten, calls({ a, b }), 90);
    expect(result.overall.percent).toBe(90);
    expect(result.calibrated).toBe(true);
    const c = { ...b, i4: 'no' as ItemValue };
    expect(calibrationAgreement(ten, calls({ a, c }), 90).calibrated).toBe(false);
  });

  it('has no agreement to report with one evaluator', () => {
    const result = calibrationAgreement(items, calls({ ann: { greet: 'yes' } }), 90);
    expect(result.overall.percent).toBeUndefined();
    expect(result.calibrated).toBe(false);
  });
});
