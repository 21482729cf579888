import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../../db/client';
import { throttleTable } from '../../../../db/schema';
import { setClockOffset } from '../../../../src/lib/server/clock';
import {
  ACCOUNT_LIMIT,
  IP_LIMIT,
  THROTTLE_WINDOW,
  accountKey,
  clearThrottle,
  ipKey,
  pruneThrottle,
  recordFailure,
  retryAfterSeconds,
} from '../../../../src/lib/server/rate-limit';
import { freshDb } from '../../../helpers/db';

process.env.FRONTLINE_TEST_CLOCK = '1';
const MINUTE = 60 * 1000;

describe('sign-in throttling', () => {
  beforeEach(async () => {
    await freshDb();
    setClockOffset(0);
  });
  afterEach(() => setClockOffset(0));

  async function fail(key: ReturnType<typeof accountKey>, times: number) {
    for (let i = 0; i < times; i++) await recordFailure(key);
  }

  it('lets an account fail 4 times, blocks at the 5th for the rest of the window', async () => {
    const key = accountKey('a@example.com');
    await fail(key, ACCOUNT_LIMIT - 1);
    expect(await retryAfterSeconds([key])).toBe(0);
    setClockOffset(2 * MINUTE);
    await fail(key, 1);
    // The window started at the first failure: 13 of its 15 minutes are left.
    expect(await retryAfterSeconds([key])).toBe((THROTTLE_WINDOW - 2 * MINUTE) / 1000);
  });

  it('unblocks when the window ends, and the next failure starts a fresh count', async () => {
    const key = accountKey('a@example.com');
    await fail(key, ACCOUNT_LIMIT);
    setClockOffset(THROTTLE_WINDOW - 1000);
    expect(await retryAfterSeconds([key])).toBe(1);
    setClockOffset(THROTTLE_WINDOW);
    expect(await retryAfterSeconds([key])).toBe(0);
    await fail(key, 1);
    expect(await retryAfterSeconds([key])).toBe(0);
    const [row] = await getDb().select().from(throttleTable);
    expect(row).toMatchObject({ failures: 1, windowStart: expect.any(Number), blockedUntil: 0 });
  });

  it('never locks out for good: after any number of failures the block ends within one window', async () => {
    const key = accountKey('a@example.com');
    await fail(key, 50);
    const wait = await retryAfterSeconds([key]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(THROTTLE_WINDOW / 1000);
    setClockOffset(THROTTLE_WINDOW);
    expect(await retryAfterSeconds([key])).toBe(0);
  });

  it('counts per IP with a higher limit, independent of accounts', async () => {
    const ip = ipKey('203.0.113.7');
    for (let i = 0; i < IP_LIMIT - 1; i++) await recordFailure(ip);
    expect(await retryAfterSeconds([ip])).toBe(0);
    await recordFailure(ip);
    expect(await retryAfterSeconds([ip])).toBeGreaterThan(0);
    expect(await retryAfterSeconds([ipKey('203.0.113.8')])).toBe(0);
    // An account reached from the blocked IP is blocked when both keys are asked about.
    expect(await retryAfterSeconds([accountKey('b@example.com'), ip])).toBeGreaterThan(0);
  });

  it('a clock set back starts a new window instead of adding to one that begins in its future', async () => {
    const ip = ipKey('203.0.113.9');
    for (let i = 0; i < IP_LIMIT - 1; i++) await recordFailure(ip);
    setClockOffset(-365 * 24 * 60 * MINUTE);
    await fail(ip, 5);
    setClockOffset(0);
    expect(await retryAfterSeconds([ip])).toBe(0);
  });

  it('clearing an account key (after a success) resets its count', async () => {
    const key = accountKey('a@example.com');
    await fail(key, ACCOUNT_LIMIT - 1);
    await clearThrottle(key);
    await fail(key, ACCOUNT_LIMIT - 1);
    expect(await retryAfterSeconds([key])).toBe(0);
  });

  it('prunes only rows whose window and block are over', async () => {
    await fail(accountKey('old@example.com'), ACCOUNT_LIMIT);
    setClockOffset(THROTTLE_WINDOW + MINUTE);
    await fail(accountKey('new@example.com'), 1);
    await pruneThrottle();
    const keys = (await getDb().select().from(throttleTable)).map((r) => r.key);
    expect(keys).toEqual(['account:new@example.com']);
  });

  it('counts concurrent failures exactly (single-statement upsert)', async () => {
    const key = ipKey('198.51.100.1');
    await Promise.all(Array.from({ length: 12 }, () => recordFailure(key)));
    const [row] = await getDb().select().from(throttleTable);
    expect(row?.failures).toBe(12);
  });
});
