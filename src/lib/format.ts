/**
 * Dates as people read them, in the reader's time zone: the one they chose on /account, else the organisation's
 * (content/organization.yaml `timeZone`). The middleware runs each request inside `inTimeZone(zone, …)`, so every
 * date a page shows follows its reader without each page passing the zone; code outside a request (the reminders
 * job) passes it explicitly. Outside both: the server's zone (TZ, UTC by default). Times say which zone they are in.
 * Server only (async context): islands show no absolute times.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const readerZone = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it awaits) with dates shown in `timeZone`. */
export function inTimeZone<T>(timeZone: string, fn: () => T): T {
  return readerZone.run(timeZone, fn);
}

/** The zone dates are shown in right now: the reader's, or undefined (the server's). */
export function currentTimeZone(): string | undefined {
  return readerZone.getStore();
}

/** Whether `name` is an IANA time zone this runtime knows (e.g. "Europe/London"). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zones offered on /account, sorted. */
export function timeZoneNames(): string[] {
  return [...Intl.supportedValuesOf('timeZone')].sort();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'dateTime' | 'date', timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f =
      kind === 'dateTime'
        ? new Intl.DateTimeFormat('en-GB', {
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            timeZoneName: 'short',
            timeZone,
          })
        : new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone });
    formatters.set(key, f);
  }
  return f;
}
/**
 * The calendar date (ISO, "2026-12-06") an instant falls on for the reader: what "today" means in a file name or a
 * date field's default. At 23:30 on 6 Dec in New York it is already 7 Dec in UTC, and the reader means the 6th.
 */
export function isoDateIn(ms: number, timeZone = currentTimeZone()): string {
  const key = `iso|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    formatters.set(key, f);
  }
  const part = (type: string) => f.formatToParts(ms).find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

const calendarDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDateTime(ms: number, timeZone = currentTimeZone()): string {
  return formatter('dateTime', timeZone).format(ms);
}

export function formatDate(ms: number, timeZone = currentTimeZone()): string {
  return formatter('date', timeZone).format(ms);
}

/**
 * A due date: the end of a calendar day in UTC (src/features/assignments/assignments.ts), so it is shown as that
 * calendar day wherever the reader is — in Berlin, 23:59 UTC is already the next morning.
 */
export function formatDueDate(ms: number): string {
  return calendarDate.format(ms);
}

/** "2025-11-23" (an ISO calendar date, as stored for hire dates) as "23 Nov 2025". */
export function formatIsoDate(isoDate: string): string {
  return calendarDate.format(new Date(`${isoDate}T00:00:00Z`));
}
