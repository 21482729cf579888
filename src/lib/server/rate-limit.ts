/**
 * Sign-in throttling, shared by every app process through the `throttle` table: one row per key, counting the
 * attempts since `windowStart` (a window lasts THROTTLE_WINDOW; the first attempt after it starts a new one).
 *
 * A browser that has signed in to the account before (a valid device cookie, device-cookie.ts; OWASP's "device
 * cookies") counts its attempts on one key of its own:
 * - `device:<nonce>` — hard: PAIR_LIMIT failed attempts block that cookie until the window ends. Strangers behind
 *   the same office NAT address, or guessing at the account from anywhere, never lock out a known device; a stolen
 *   cookie buys PAIR_LIMIT guesses per window and no more (its nonce changes only at a correct sign-in).
 * Every other attempt counts on three kinds of key, so that nobody can lock someone else out:
 * - `ip:<address>` — hard (an IPv6 address counts by its /64, see client-address.ts): SIGN_IN_ADDRESS_LIMIT
 *   (src/env.ts) failed attempts in a window block the address until the window ends. One address cannot guess
 *   much, at any number of accounts. Its people's known devices are not blocked with it.
 * - `pair:<email>|<address>` — hard: PAIR_LIMIT failed attempts at one account from one address block that pair
 *   only. The account's owner, elsewhere, is not affected.
 * - `account:<email>` — never a block, a slow-down: after ACCOUNT_SLOW_AFTER failures from anywhere, the account
 *   takes one attempt per interval, the interval doubling up to ACCOUNT_MAX_DELAY. Guessing from many addresses is
 *   held to a crawl, and the owner waits seconds, not the rest of a window.
 *
 * An attempt is reserved BEFORE the password is verified: the check and the count happen in one write
 * transaction (serialized in this process by write-lock.ts, across processes by SQLite's write lock), so parallel
 * guesses cannot all pass the check — at most a key's limit get verified. A correct password hands its reservation
 * back: the address's count goes down by one, the other keys are cleared.
 *
 * A flood must not starve the site's other writes (quiz submits wait on the same write lock). So a refusal this
 * process has already made is made again from memory, without the database (`refused`: key → until when; a block
 * only ends with time, or with a correct password that a blocked key never lets through), and rows are pruned at
 * most once a minute, not after every failure. What still writes is a granted attempt, bounded by the keys'
 * limits and, behind it, by the argon2 verifications a process runs at once (password.ts).
 */
import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { throttleTable } from '../../../db/schema';
import { env } from '../../env';
import { addressBucket } from './client-address';
import { now } from './clock';
import { writeTransaction } from './write-lock';

export const THROTTLE_WINDOW = 15 * 60 * 1000;
export const PAIR_LIMIT = 5;
export const ACCOUNT_SLOW_AFTER = 10;
export const ACCOUNT_MAX_DELAY = 30 * 1000;

export interface ThrottleKey {
  key: string;
  /** Hard keys block at `limit` attempts in a window; slow keys space attempts out after `limit`. */
  kind: 'hard' | 'slow';
  limit: number;
  /** What a correct password does to the key: hand one attempt back, or clear it. */
  onSuccess: 'refund' | 'clear';
}

export function addressKey(ip: string, limit = env().signInAddressLimit): ThrottleKey {
  return { key: `ip:${addressBucket(ip)}`, kind: 'hard', limit, onSuccess: 'refund' };
}

export function pairKey(email: string, ip: string): ThrottleKey {
  return { key: `pair:${email}|${addressBucket(ip)}`, kind: 'hard', limit: PAIR_LIMIT, onSuccess: 'clear' };
}

export function accountKey(email: string): ThrottleKey {
  return { key: `account:${email}`, kind: 'slow', limit: ACCOUNT_SLOW_AFTER, onSuccess: 'clear' };
}

/** The current-password check on /account: a hard key per person. */
export function passwordChangeKey(userId: string): ThrottleKey {
  return { key: `password-change:${userId}`, kind: 'hard', limit: PAIR_LIMIT, onSuccess: 'clear' };
}

/** The key of a browser with a valid device cookie for the account (its nonce). */
export function deviceKey(nonce: string): ThrottleKey {
  return { key: `device:${nonce}`, kind: 'hard', limit: PAIR_LIMIT, onSuccess: 'clear' };
}

/** The keys of a sign-in attempt at `email` from `ip`, from a known device (its nonce) or not (null). */
export function signInKeys(email: string, ip: string, device: string | null = null): ThrottleKey[] {
  return device ? [deviceKey(device)] : [addressKey(ip), pairKey(email, ip), accountKey(email)];
}

/** The wait a slow key imposes after its `attempts`-th attempt in a window: 1 s, 2 s, 4 s … up to the maximum. */
export function slowDownDelay(attempts: number): number {
  if (attempts < ACCOUNT_SLOW_AFTER) return 0;
  return Math.min(ACCOUNT_MAX_DELAY, 1000 * 2 ** (attempts - ACCOUNT_SLOW_AFTER));
}

/** A granted attempt: which rows it counted in, by the window it counted in. */
export interface Reservation {
  keys: ThrottleKey[];
  windows: Map<string, number>;
}

/** A refusal: the seconds to wait, and the keys that refused (the sign-in page tells an account's slow-down apart). */
export type Refusal = { ok: false; retryAfter: number; refusedBy: string[] };
export type ReserveOutcome = { ok: true; reservation: Reservation } | Refusal;

interface Row {
  failures: number;
  windowStart: number;
  blockedUntil: number;
}

/** A window that starts after now (the test clock was set back) is over too, or it would run on until its end. */
const windowOver = (row: Row, t: number) => t - row.windowStart >= THROTTLE_WINDOW || t < row.windowStart;

/** Refusals this process has made, per database (a test's fresh database starts with none). */
const refusals = new WeakMap<Db, Map<string, { from: number; until: number }>>();
/** Enough for a flood from many addresses; past it, expired entries go, then the oldest. */
const MAX_REMEMBERED = 50_000;

function refusedKeys(): Map<string, { from: number; until: number }> {
  const db = getDb();
  let map = refusals.get(db);
  if (!map) refusals.set(db, (map = new Map()));
  return map;
}

function rememberRefusal(key: string, from: number, until: number): void {
  const map = refusedKeys();
  if (map.size >= MAX_REMEMBERED) {
    for (const [k, v] of map) if (v.until <= from) map.delete(k);
    for (const k of map.keys()) {
      if (map.size < MAX_REMEMBERED) break;
      map.delete(k);
    }
  }
  map.set(key, { from, until });
}

/** A refusal decided from memory, without the database; undefined when the database must decide. */
export function knownRefusal(keys: ThrottleKey[]): Refusal | undefined {
  const map = refusedKeys();
  const t = now();
  let wait = 0;
  const refusedBy: string[] = [];
  for (const k of keys) {
    const r = map.get(k.key);
    // A clock set back before the refusal (the test clock) ends it, as it ends a window.
    if (r && r.from <= t && t < r.until) {
      wait = Math.max(wait, r.until - t);
      refusedBy.push(k.key);
    }
  }
  return wait > 0 ? { ok: false, retryAfter: Math.ceil(wait / 1000), refusedBy } : undefined;
}

/** Counts one attempt against every key, or none when any key refuses it (then: the seconds to wait). */
export function reserveAttempt(keys: ThrottleKey[]): Promise<ReserveOutcome> {
  const known = knownRefusal(keys);
  if (known) return Promise.resolve(known);
  return writeTransaction((tx) => reserveIn(tx, keys));
}

/** reserveAttempt inside a write transaction the caller holds (with other writes that must go with the count). */
export async function reserveIn(tx: Tx, keys: ThrottleKey[]): Promise<ReserveOutcome> {
  const t = now();
  const rows = await tx
    .select()
    .from(throttleTable)
    .where(
      inArray(
        throttleTable.key,
        keys.map((k) => k.key),
      ),
    );
  const current = new Map(rows.map((r) => [r.key, r]));
  const states = keys.map((k) => {
    const row = current.get(k.key);
    return { k, row: row && !windowOver(row, t) ? row : { failures: 0, windowStart: t, blockedUntil: 0 } };
  });
  let wait = 0;
  const refusedBy: string[] = [];
  for (const { k, row } of states) {
    let until = 0;
    if (k.kind === 'hard' && row.failures >= k.limit) until = row.windowStart + THROTTLE_WINDOW;
    // A slow key's `blockedUntil` is when it takes its next attempt; that wait holds across a window's end, but
    // never for longer than the longest delay (a clock set back must not turn it into a block).
    const next = current.get(k.key)?.blockedUntil ?? 0;
    if (k.kind === 'slow' && next > t && next - t <= ACCOUNT_MAX_DELAY) until = next;
    if (until > t) {
      rememberRefusal(k.key, t, until);
      wait = Math.max(wait, until - t);
      refusedBy.push(k.key);
    }
  }
  if (wait > 0) return { ok: false, retryAfter: Math.ceil(wait / 1000), refusedBy };
  const windows = new Map<string, number>();
  for (const { k, row } of states) {
    // Granted, so any refusal remembered for this key is over (the test clock was set back past it).
    refusedKeys().delete(k.key);
    const failures = row.failures + 1;
    const blockedUntil = k.kind === 'slow' && failures >= k.limit ? t + slowDownDelay(failures) : 0;
    const values = { key: k.key, failures, windowStart: row.windowStart, blockedUntil };
    await tx.insert(throttleTable).values(values).onConflictDoUpdate({ target: throttleTable.key, set: values });
    windows.set(k.key, row.windowStart);
  }
  return { ok: true, reservation: { keys, windows } };
}

/** After a correct password: refunds or clears each key of the reservation (a key in a newer window is left alone). */
export async function settleSuccess({ keys, windows }: Reservation): Promise<void> {
  for (const k of keys) if (k.onSuccess === 'clear') refusedKeys().delete(k.key);
  await writeTransaction(async (tx) => {
    for (const k of keys) {
      const inWindow = and(eq(throttleTable.key, k.key), eq(throttleTable.windowStart, windows.get(k.key)!));
      if (k.onSuccess === 'clear') await tx.delete(throttleTable).where(eq(throttleTable.key, k.key));
      else
        await tx
          .update(throttleTable)
          .set({ failures: sql`max(${throttleTable.failures} - 1, 0)` })
          .where(inWindow);
    }
  });
}

const PRUNE_EVERY = 60 * 1000;
let lastPrune = -Infinity;

/** pruneThrottle, at most once a minute per process: the rows it drops are harmless until then. */
export async function pruneThrottleNowAndThen(): Promise<void> {
  const t = now();
  if (t >= lastPrune && t - lastPrune < PRUNE_EVERY) return;
  lastPrune = t;
  await pruneThrottle();
}

/** Drops rows whose window and slow-down are both over; the next attempt would start them afresh anyway. */
export async function pruneThrottle(): Promise<void> {
  const t = now();
  await getDb()
    .delete(throttleTable)
    .where(and(lt(throttleTable.windowStart, t - THROTTLE_WINDOW), lte(throttleTable.blockedUntil, t)));
}
