import { describe, expect, it } from 'vitest';
import { countOf } from '~/lib/plural';

describe('countOf', () => {
  it('uses the singular for exactly one', () => {
    expect(countOf(1, 'run')).toBe('1 run');
    expect(countOf(1, 'minute')).toBe('1 minute');
  });
  it('uses the plural for none, many and fractions', () => {
    expect(countOf(0, 'run')).toBe('0 runs');
    expect(countOf(2, 'minute')).toBe('2 minutes');
    expect(countOf(1.5, 'hour')).toBe('1.5 hours');
  });
  it('takes an irregular plural', () => {
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(3, 'person', 'people')).toBe('3 people');
  });
  it('groups large numbers', () => {
    expect(countOf(1200, 'attempt')).toBe('1,200 attempts');
  });
});
