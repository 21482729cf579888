import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../../db/client';
import { throttleTable } from '../../../../db/schema';
import { setClockOffset } from '~/lib/server/clock';
import {
  ACCOUNT_MAX_DELAY,
  ACCOUNT_SLOW_AFTER,
  PAIR_LIMIT,
  THROTTLE_WINDOW,
  accountKey,
  addressKey,
  pairKey,
  pruneThrottle,
  reserveAttempt,
  settleSuccess,
  slowDownDelay,
  type ThrottleKey,
} from '~/lib/server/rate-limit';
import { freshDb } from '../../../helpers/db';

process.env.FRONTLINE_TEST_CLOCK = '1';
const MINUTE = 60 * 1000;
const YEAR = 365 * 24 * 60 * MINUTE;

async function fail(keys: ThrottleKey[], times: number) {
  for (let i = 0; i < times; i++) expect((await reserveAttempt(keys)).ok).toBe(true);
}

async function waitFor(keys: ThrottleKey[]): Promise<number> {
  const r = await reserveAttempt(keys);
  return r.ok ? 0 : r.retryAfter;
}

describe('sign-in throttling', () => {
  beforeEach(async () => {
    await freshDb();
    setClockOffset(0);
  });
  afterEach(() => setClockOffset(0));

  it('blocks an account from one address after its limit, for the rest of the window; only that pair', async () => {
    const pair = pairKey('a@example.com', '192.0.2.1');
    await fail([pair], PAIR_LIMIT - 1);
    setClockOffset(2 * MINUTE);
    await fail([pair], 1);
    // The window started at the first attempt: 13 of its 15 minutes are left.
    expect(await waitFor([pair])).toBe((THROTTLE_WINDOW - 2 * MINUTE) / 1000);
    expect(await waitFor([pairKey('a@example.com', '192.0.2.2')])).toBe(0);
    setClockOffset(THROTTLE_WINDOW);
    expect(await waitFor([pair])).toBe(0);
  });

  it('blocks an address at its configured limit, whatever the accounts', async () => {
    const ip = addressKey('203.0.113.7', 3);
    await fail([ip], 3);
    expect(await waitFor([ip])).toBeGreaterThan(0);
    expect(await waitFor([addressKey('203.0.113.8', 3)])).toBe(0);
  });

  it('slows an account down instead of blocking it: the wait doubles and never passes the maximum', async () => {
    expect(slowDownDelay(ACCOUNT_SLOW_AFTER - 1)).toBe(0);
    expect(slowDownDelay(ACCOUNT_SLOW_AFTER)).toBe(1000);
    expect(slowDownDelay(ACCOUNT_SLOW_AFTER + 2)).toBe(4000);
    expect(slowDownDelay(ACCOUNT_SLOW_AFTER + 50)).toBe(ACCOUNT_MAX_DELAY);
    const account = accountKey('a@example.com');
    await fail([account], ACCOUNT_SLOW_AFTER - 1);
    await fail([account], 1);
    expect(await waitFor([account])).toBe(1);
    // Forty more attempts, each as soon as it is allowed: every wait is at most the maximum, none is refused for good.
    let offset = 0;
    for (let granted = 0; granted < 40;) {
      const r = await reserveAttempt([account]);
      if (r.ok) {
        granted++;
        continue;
      }
      expect(r.retryAfter).toBeLessThanOrEqual(ACCOUNT_MAX_DELAY / 1000);
      offset += r.retryAfter * 1000;
      setClockOffset(offset);
    }
  });

  it('reserves before the verification: of 50 parallel attempts, exactly the limit are granted', async () => {
    const keys = [
      addressKey('198.51.100.1', 20),
      pairKey('a@example.com', '198.51.100.1'),
      accountKey('a@example.com'),
    ];
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt(keys)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(PAIR_LIMIT);
    const ip = addressKey('198.51.100.2', 20);
    const many = await Promise.all(Array.from({ length: 50 }, () => reserveAttempt([ip])));
    expect(many.filter((o) => o.ok)).toHaveLength(20);
  });

  it('a success refunds the address and clears the account keys', async () => {
    const ip = addressKey('192.0.2.9', 3);
    const keys = [ip, pairKey('a@example.com', '192.0.2.9'), accountKey('a@example.com')];
    await fail(keys, 2);
    const granted = await reserveAttempt(keys);
    if (!granted.ok) throw new Error('expected a reservation');
    await settleSuccess(granted.reservation);
    const rows = await getDb().select().from(throttleTable);
    expect(rows.map((r) => [r.key, r.failures])).toEqual([['ip:192.0.2.9', 2]]);
    // Correct sign-ins never use up an address's budget.
    for (let i = 0; i < 10; i++) {
      const r = await reserveAttempt([ip]);
      if (!r.ok) throw new Error('refused a correct sign-in');
      await settleSuccess(r.reservation);
    }
  });

  it('a clock set back starts a new window instead of adding to one that begins in its future', async () => {
    const ip = addressKey('203.0.113.9', 20);
    const account = accountKey('b@example.com');
    await fail([ip], 15);
    await fail([account], ACCOUNT_SLOW_AFTER);
    expect(await waitFor([account])).toBeGreaterThan(0);
    setClockOffset(-YEAR);
    expect(await waitFor([ip, account])).toBe(0);
    await fail([ip], 19);
    setClockOffset(0);
    expect(await waitFor([ip, account])).toBe(0);
  });

  it('prunes only rows whose window and slow-down are over', async () => {
    await fail([pairKey('old@example.com', '192.0.2.1')], PAIR_LIMIT);
    setClockOffset(THROTTLE_WINDOW + MINUTE);
    await fail([pairKey('new@example.com', '192.0.2.1')], 1);
    await pruneThrottle();
    const keys = (await getDb().select().from(throttleTable)).map((r) => r.key);
    expect(keys).toEqual(['pair:new@example.com|192.0.2.1']);
  });
});
