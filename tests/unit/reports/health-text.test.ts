import { describe, expect, it } from 'vitest';
import { leakText, shorten, throughText } from '~/features/reports/health-text';
import type { StrategyResult } from '~/features/reports/naive-strategies';

describe('health page wording', () => {
  const results: StrategyResult[] = [
    { strategy: 'first', expected: 27, passRate: 0.039, getsThrough: true },
    { strategy: 'longest', expected: 100, passRate: 1, getsThrough: true },
    { strategy: 'random', expected: 20, passRate: 0.004, getsThrough: false },
  ];
  it('names only the strategies that get through, with how often', () => {
    expect(throughText(results, 'runs')).toBe(
      'always the first shown passes 3.9 % of runs; always the longest passes 100 % of runs',
    );
  });
  it('names who gets a question right and how often', () => {
    expect(leakText({ id: 'q', rates: { longest: 1, false: 0.5 } })).toBe(
      'Always the longest (100 %), Always “False” (50 %)',
    );
    expect(leakText(undefined)).toBe('');
  });
  it('cuts long text with an ellipsis', () => {
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcd', 4)).toBe('abcd');
  });
});
