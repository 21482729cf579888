import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDueDate,
  formatIsoDate,
  inTimeZone,
  isoDateIn,
  isTimeZone,
  timeZoneNames,
} from '~/lib/format';

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

describe('format in the reader’s time zone', () => {
  const t = Date.UTC(2026, 0, 5, 23, 30);
  it('shows a request’s dates in the zone it runs in, and due dates as their calendar day', () => {
    expect(inTimeZone('Asia/Tokyo', () => formatDateTime(t))).toMatch(/^6 Jan 2026, 08:30 GMT\+9$/);
    expect(inTimeZone('America/New_York', () => formatDate(t))).toBe('5 Jan 2026');
    expect(inTimeZone('Asia/Tokyo', () => formatDueDate(t))).toBe('5 Jan 2026');
    expect(formatDateTime(t, 'Europe/London')).toMatch(/^5 Jan 2026, 23:30 GMT$/);
  });
  it('names the reader’s calendar day, not UTC’s, for file names and date-field defaults', () => {
    const lateInNewYork = Date.UTC(2026, 11, 7, 4, 30); // 23:30 on 6 Dec in New York
    expect(inTimeZone('America/New_York', () => isoDateIn(lateInNewYork))).toBe('2026-12-06');
    expect(inTimeZone('Asia/Tokyo', () => isoDateIn(lateInNewYork))).toBe('2026-12-07');
    expect(isoDateIn(Date.UTC(2026, 0, 5, 0, 0), 'UTC')).toBe('2026-01-05');
  });
  it('knows IANA zone names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(timeZoneNames()).toContain('America/New_York');
  });
});
