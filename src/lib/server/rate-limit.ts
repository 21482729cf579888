/**
 * Sign-in throttling, shared by every app process through the `throttle` table.
 *
 * One row per key (`account:<email>` or `ip:<address>`): the number of failures since `windowStart`. When a key
 * reaches its limit it is blocked until its window ends (`blockedUntil`); the first failure after the window
 * starts a new one. So an attacker gets at most LIMIT guesses per WINDOW and nobody is ever locked out for good.
 * A successful sign-in clears its account key (not the IP key: one valid account must not reset an IP's budget).
 *
 * A failure is recorded with one UPSERT statement, so concurrent processes never lose a count.
 */
import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { throttleTable } from '../../../db/schema';
import { now } from './clock';

export const THROTTLE_WINDOW = 15 * 60 * 1000;
export const ACCOUNT_LIMIT = 5;
export const IP_LIMIT = 20;

export interface ThrottleKey {
  key: string;
  limit: number;
}

export function accountKey(email: string): ThrottleKey {
  return { key: `account:${email}`, limit: ACCOUNT_LIMIT };
}

export function ipKey(ip: string): ThrottleKey {
  return { key: `ip:${ip}`, limit: IP_LIMIT };
}

/** Seconds until every given key accepts attempts again; 0 when none is blocked. */
export async function retryAfterSeconds(keys: ThrottleKey[]): Promise<number> {
  const t = now();
  const rows = await getDb()
    .select({ blockedUntil: throttleTable.blockedUntil })
    .from(throttleTable)
    .where(inArray(throttleTable.key, keys.map((k) => k.key)));
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil));
  return until > t ? Math.ceil((until - t) / 1000) : 0;
}

export async function recordFailure({ key, limit }: ThrottleKey): Promise<void> {
  const t = now();
  const { windowStart, failures, blockedUntil } = throttleTable;
  // In an UPSERT's SET clause every column reference reads the row as it was before this update. A window that
  // starts after now (the clock was set back) is over too: otherwise it would run on, and block, until its own end.
  const windowOver = sql`(${t} - ${windowStart} >= ${THROTTLE_WINDOW} OR ${t} < ${windowStart})`;
  await getDb()
    .insert(throttleTable)
    .values({ key, failures: 1, windowStart: t, blockedUntil: limit <= 1 ? t + THROTTLE_WINDOW : 0 })
    .onConflictDoUpdate({
      target: throttleTable.key,
      set: {
        failures: sql`CASE WHEN ${windowOver} THEN 1 ELSE ${failures} + 1 END`,
        windowStart: sql`CASE WHEN ${windowOver} THEN ${t} ELSE ${windowStart} END`,
        blockedUntil: sql`CASE
          WHEN ${windowOver} THEN ${limit <= 1 ? t + THROTTLE_WINDOW : 0}
          WHEN ${failures} + 1 >= ${limit} THEN ${windowStart} + ${THROTTLE_WINDOW}
          ELSE ${blockedUntil} END`,
      },
    });
}

export async function clearThrottle({ key }: ThrottleKey): Promise<void> {
  await getDb().delete(throttleTable).where(eq(throttleTable.key, key));
}

/** Drops rows whose window and block are both over; they would be reset by the next failure anyway. */
export async function pruneThrottle(): Promise<void> {
  const t = now();
  await getDb()
    .delete(throttleTable)
    .where(and(lt(throttleTable.windowStart, t - THROTTLE_WINDOW), lte(throttleTable.blockedUntil, t)));
}
