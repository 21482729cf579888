import { describe, expect, it } from 'vitest';
import { formatPct, formatShare } from '~/features/progress/status-tone';

describe('formatShare', () => {
  it('keeps one decimal under 10 % so a small pass rate is not shown as 0 %', () => {
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.0004)).toBe('< 0.1 %');
    expect(formatShare(0.004)).toBe('0.4 %');
    expect(formatShare(0.039)).toBe('3.9 %');
    expect(formatShare(0.14)).toBe('14 %');
    expect(formatShare(1)).toBe('100 %');
  });
  it('matches formatPct above 10 %', () => {
    expect(formatShare(0.5)).toBe(formatPct(50));
  });
});
