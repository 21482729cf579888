import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../db/client';
import { sessionTable, userTable } from '../../../db/schema';
import { signIn } from '~/features/accounts/sign-in.server';
import { setClockOffset } from '~/lib/server/clock';
import { sha256Hex } from '~/lib/server/ids';
import { ACCOUNT_MAX_DELAY, PAIR_LIMIT, THROTTLE_WINDOW } from '~/lib/server/rate-limit';
import { validateSessionToken } from '~/lib/server/session';
import { writeTransaction } from '~/lib/server/write-lock';
import { DEMO_PASSWORD, freshDemoDb } from '../../helpers/accounts';

process.env.FRONTLINE_TEST_CLOCK = '1';
const attempt = (email: string, password: string, ip = '192.0.2.1') =>
  signIn({ email, password, ip, userAgent: 'vitest' });

describe('signIn', () => {
  beforeEach(async () => {
    await freshDemoDb();
    setClockOffset(0);
  });
  afterEach(() => setClockOffset(0));

  it('signs in with the right password and issues a new session token each time', async () => {
    const first = await attempt('rep1@demo.test', DEMO_PASSWORD);
    const second = await attempt('rep1@demo.test', DEMO_PASSWORD);
    if (!first.ok || !second.ok) throw new Error('sign-in failed');
    expect(first.role).toBe('learner');
    expect(first.token).not.toBe(second.token);
    expect(first.session.id).toBe(sha256Hex(first.token));
    expect((await validateSessionToken(first.token)).user?.email).toBe('rep1@demo.test');
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const wrong = await attempt('rep1@demo.test', 'not-the-password');
    const unknown = await attempt('nobody@demo.test', 'not-the-password');
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a deactivated account with the same answer, even with the right password', async () => {
    await getDb().update(userTable).set({ active: false }).where(eq(userTable.email, 'rep2@demo.test'));
    expect(await attempt('rep2@demo.test', DEMO_PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('blocks an account from the address that failed 5 times, even the right password, until the window ends', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('rep3@demo.test', `wrong-${i}`)).ok).toBe(false);
    const blocked = await attempt('rep3@demo.test', DEMO_PASSWORD);
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
    if (blocked.ok || blocked.reason !== 'throttled') throw new Error('expected throttled');
    expect(blocked.retryAfter).toBeGreaterThan(0);
    expect(blocked.retryAfter).toBeLessThanOrEqual(THROTTLE_WINDOW / 1000);
    // The owner, at another address, is not locked out; other accounts neither.
    expect((await attempt('rep3@demo.test', DEMO_PASSWORD, '192.0.2.50')).ok).toBe(true);
    expect((await attempt('rep4@demo.test', DEMO_PASSWORD, '192.0.2.2')).ok).toBe(true);
    setClockOffset(THROTTLE_WINDOW);
    expect((await attempt('rep3@demo.test', DEMO_PASSWORD)).ok).toBe(true);
  });

  it('cannot be used to lock an account: guesses from many addresses only slow it, and the owner gets in', async () => {
    for (let i = 0; i < 30; i++) await attempt('rep4@demo.test', 'wrong-guess', `203.0.113.${i}`);
    let wait = 0;
    for (let tries = 0; tries < 3; tries++) {
      const r = await attempt('rep4@demo.test', DEMO_PASSWORD, '192.0.2.60');
      if (r.ok) return;
      if (r.reason !== 'throttled') throw new Error('the right password was refused');
      expect(r.retryAfter).toBeLessThanOrEqual(ACCOUNT_MAX_DELAY / 1000);
      wait += r.retryAfter * 1000;
      setClockOffset(wait);
    }
    throw new Error('the owner never got in');
  });

  it('50 parallel wrong guesses get at most 5 verifications; the right password after them is refused too', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attempt('rep5@demo.test', `wrong-${i}`, '198.51.100.7')),
    );
    expect(outcomes.filter((o) => !o.ok && o.reason === 'invalid')).toHaveLength(PAIR_LIMIT);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'throttled')).toHaveLength(50 - PAIR_LIMIT);
    expect(await attempt('rep5@demo.test', DEMO_PASSWORD, '198.51.100.7')).toMatchObject({ reason: 'throttled' });
  });

  it('throttles unknown emails the same way as real ones', async () => {
    for (let i = 0; i < 5; i++) await attempt('ghost@demo.test', 'whatever-123');
    expect(await attempt('ghost@demo.test', 'whatever-123')).toMatchObject({ reason: 'throttled' });
  });

  it('throttles one IP after 20 failures across accounts; correct sign-ins do not count', async () => {
    for (let i = 0; i < 25; i++) expect((await attempt('rep1@demo.test', DEMO_PASSWORD, '198.51.100.9')).ok).toBe(true);
    for (let i = 0; i < 20; i++) await attempt(`guess${i}@demo.test`, 'wrong', '198.51.100.9');
    expect(await attempt('rep5@demo.test', DEMO_PASSWORD, '198.51.100.9')).toMatchObject({ reason: 'throttled' });
    expect((await attempt('rep5@demo.test', DEMO_PASSWORD, '198.51.100.10')).ok).toBe(true);
  });

  it("an office behind one address: a stranger there blocks the address, not a colleague's known browser", async () => {
    const office = '198.51.100.20';
    // Grace signed in on her browser yesterday: it kept a device cookie.
    const yesterday = await attempt('rep6@demo.test', DEMO_PASSWORD, office);
    if (!yesterday.ok) throw new Error('sign-in failed');
    // Today a stranger on the office network guesses, in parallel, at many accounts and at Grace's own; others
    // guess at hers from 30 addresses elsewhere.
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        attempt(i % 2 ? 'rep6@demo.test' : `guess${i}@demo.test`, `wrong-${i}`, office),
      ),
      ...Array.from({ length: 30 }, (_, i) => attempt('rep6@demo.test', `wrong-${i}`, `203.0.113.${i}`)),
    ]);
    // Guesses turned away at a full queue ('busy') were never checked nor counted: the stranger goes on until blocked.
    for (let i = 0; i < 40; i++) {
      const more = await attempt(`more${i}@demo.test`, 'wrong', office);
      if (!more.ok && more.reason === 'throttled') break;
    }
    // A browser the office address does not vouch for is refused, even with the right password: guessing stays dear.
    expect(await attempt('rep1@demo.test', DEMO_PASSWORD, office)).toMatchObject({ reason: 'throttled' });
    expect(await attempt('rep6@demo.test', DEMO_PASSWORD, office)).toMatchObject({ reason: 'throttled' });
    // Grace's browser gets straight in, and again with the fresh cookie it was handed.
    const today = await signIn({
      email: 'rep6@demo.test',
      password: DEMO_PASSWORD,
      ip: office,
      userAgent: 'vitest',
      deviceCookie: yesterday.deviceCookie,
    });
    if (!today.ok) throw new Error(`the known device was refused: ${JSON.stringify(today)}`);
    expect(today.deviceCookie).not.toBe(yesterday.deviceCookie);
    const again = await signIn({
      email: 'rep6@demo.test',
      password: DEMO_PASSWORD,
      ip: office,
      userAgent: 'vitest',
      deviceCookie: today.deviceCookie,
    });
    expect(again.ok).toBe(true);
  });

  it('a device cookie vouches for its own account only; a forged one for none; a stolen one buys 5 guesses', async () => {
    const office = '198.51.100.30';
    const mine = await attempt('rep1@demo.test', DEMO_PASSWORD, office);
    if (!mine.ok) throw new Error('sign-in failed');
    for (let i = 0; i < 20; i++) await attempt(`guess${i}@demo.test`, 'wrong', office);
    const withCookie = (email: string, password: string, deviceCookie: string) =>
      signIn({ email, password, ip: office, userAgent: 'vitest', deviceCookie });
    expect(await withCookie('rep2@demo.test', DEMO_PASSWORD, mine.deviceCookie)).toMatchObject({ reason: 'throttled' });
    const [nonce] = mine.deviceCookie.split('.');
    expect(await withCookie('rep1@demo.test', DEMO_PASSWORD, `${nonce}.${'A'.repeat(43)}`)).toMatchObject({
      reason: 'throttled',
    });
    // A thief with the cookie, guessing in parallel from anywhere: 5 verifications, then the cookie is spent too.
    const thief = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signIn({
          email: 'rep1@demo.test',
          password: `guess-${i}`,
          ip: `192.0.2.${100 + i}`,
          userAgent: 'x',
          deviceCookie: mine.deviceCookie,
        }),
      ),
    );
    expect(thief.filter((o) => !o.ok && o.reason === 'invalid')).toHaveLength(PAIR_LIMIT);
    expect(await withCookie('rep1@demo.test', DEMO_PASSWORD, mine.deviceCookie)).toMatchObject({ reason: 'throttled' });
  });

  it("a flood of refused guesses never waits for the write lock, so the site's other writes are not starved", async () => {
    for (let i = 0; i < PAIR_LIMIT + 1; i++) await attempt('rep2@demo.test', `wrong-${i}`, '203.0.113.99');
    // A slow writer holds the write lock (say a large import); 300 more guesses arrive meanwhile.
    let release!: () => void;
    const held = new Promise<void>((go) => (release = go));
    let started!: () => void;
    const running = new Promise<void>((go) => (started = go));
    const writer = writeTransaction(async () => {
      started();
      await held;
    });
    await running;
    const flood = Promise.all(
      Array.from({ length: 300 }, (_, i) => attempt('rep2@demo.test', `wrong-${i}`, '203.0.113.99')),
    );
    const outcome = await Promise.race([flood, new Promise<'waited'>((go) => setTimeout(() => go('waited'), 3000))]);
    release();
    await writer;
    if (outcome === 'waited') throw new Error('refused guesses waited for the write lock');
    expect(outcome.every((o) => !o.ok && o.reason === 'throttled')).toBe(true);
  });

  it('records device and address on the session', async () => {
    const r = await attempt('rep6@demo.test', DEMO_PASSWORD, '192.0.2.77');
    if (!r.ok) throw new Error('sign-in failed');
    const [row] = await getDb().select().from(sessionTable).where(eq(sessionTable.id, r.session.id));
    expect(row).toMatchObject({ ip: '192.0.2.77', userAgent: 'vitest' });
  });
});
