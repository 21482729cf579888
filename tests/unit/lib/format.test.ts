import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatIsoDate } from '../../../src/lib/format';

describe('format', () => {
  const t = Date.UTC(2026, 0, 5, 14, 30);

  it('shows a date and time with its zone', () => {
    expect(formatDateTime(t)).toMatch(/^5 Jan 2026, \d\d:\d\d [A-Z]/);
  });

  it('shows calendar dates without shifting them across zones', () => {
    expect(formatIsoDate('2026-01-05')).toBe('5 Jan 2026');
    expect(formatDate(t)).toMatch(/Jan 2026$/);
  });
});
