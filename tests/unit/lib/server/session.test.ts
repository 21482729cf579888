import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getClient, getDb } from '../../../../db/client';
import { sessionTable, userTable } from '../../../../db/schema';
import { setClockOffset } from '~/lib/server/clock';
import { sha256Hex } from '~/lib/server/ids';
import {
  ABSOLUTE_LIFETIME,
  IDLE_TIMEOUT,
  RENEW_WHEN_LEFT,
  SESSION_LIFETIME,
  createSession,
  generateSessionToken,
  invalidateUserSessions,
  sessionVerdict,
  validateSessionToken,
} from '~/lib/server/session';
import { freshDemoDb, userByEmail } from '../../../helpers/accounts';

process.env.FRONTLINE_TEST_CLOCK = '1';
const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

describe('sessionVerdict (pure lifetime rule)', () => {
  const t0 = 1_700_000_000_000;
  const fresh = { createdAt: t0, lastSeenAt: t0, expiresAt: t0 + SESSION_LIFETIME };

  it('keeps a fresh session without writing', () => {
    expect(sessionVerdict(fresh, t0 + MINUTE)).toEqual({ valid: true, expiresAt: fresh.expiresAt, write: false });
  });

  it('records activity at most every few minutes', () => {
    expect(sessionVerdict(fresh, t0 + 10 * MINUTE)).toMatchObject({
      valid: true,
      write: true,
      expiresAt: fresh.expiresAt,
    });
  });

  it('slides the expiry 30 days forward once fewer than 15 days remain', () => {
    const s = { createdAt: t0, lastSeenAt: t0 + 15 * DAY, expiresAt: t0 + SESSION_LIFETIME };
    const t = s.expiresAt - RENEW_WHEN_LEFT + MINUTE;
    expect(sessionVerdict(s, t)).toEqual({ valid: true, expiresAt: t + SESSION_LIFETIME, write: true });
  });

  it('does not slide while 15 days or more remain', () => {
    const s = { createdAt: t0, lastSeenAt: t0 + 14 * DAY, expiresAt: t0 + SESSION_LIFETIME };
    const t = s.expiresAt - RENEW_WHEN_LEFT - MINUTE;
    expect(sessionVerdict(s, t)).toMatchObject({ valid: true, expiresAt: s.expiresAt });
  });

  it('ends at the expiry', () => {
    expect(sessionVerdict(fresh, fresh.expiresAt).valid).toBe(false);
  });

  it('ends after the idle timeout even before the expiry', () => {
    const s = { createdAt: t0, lastSeenAt: t0, expiresAt: t0 + SESSION_LIFETIME };
    expect(sessionVerdict(s, t0 + IDLE_TIMEOUT - MINUTE).valid).toBe(true);
    expect(sessionVerdict(s, t0 + IDLE_TIMEOUT).valid).toBe(false);
  });

  it('never extends past the absolute maximum, and stops writing the expiry once capped', () => {
    const cap = t0 + ABSOLUTE_LIFETIME;
    const t = cap - 10 * DAY;
    const s = { createdAt: t0, lastSeenAt: t - MINUTE, expiresAt: t + 8 * DAY };
    const v = sessionVerdict(s, t);
    expect(v).toEqual({ valid: true, expiresAt: cap, write: true });
    const capped = { ...s, expiresAt: cap };
    expect(sessionVerdict(capped, t)).toEqual({ valid: true, expiresAt: cap, write: false });
    expect(sessionVerdict({ ...capped, lastSeenAt: cap - MINUTE }, cap).valid).toBe(false);
  });
});

describe('sessions in the database', () => {
  let userId: string;
  beforeAll(async () => {
    await freshDemoDb();
    userId = (await userByEmail('rep1@demo.test')).id;
  });
  afterEach(() => setClockOffset(0));

  const sha = sha256Hex;

  it('validates a new session and returns its user', async () => {
    const token = generateSessionToken();
    await createSession(token, userId, { userAgent: 'test', ip: '127.0.0.1' });
    const { session, user } = await validateSessionToken(token);
    expect(session?.userId).toBe(userId);
    expect(user?.email).toBe('rep1@demo.test');
  });

  it('stores only the SHA-256 of the token: no table holds the raw token', async () => {
    const token = generateSessionToken();
    await createSession(token, userId);
    const tables = await getClient().execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    let dump = '';
    for (const { name } of tables.rows) {
      const rows = await getClient().execute(`SELECT * FROM "${String(name)}"`);
      dump += JSON.stringify(rows.rows);
    }
    expect(dump).toContain(sha(token));
    expect(dump).not.toContain(token);
  });

  it('slides the expiry forward when used in the second half of its life', async () => {
    const token = generateSessionToken();
    const created = await createSession(token, userId);
    // Used within the idle timeout on the way there.
    setClockOffset(6 * DAY);
    await validateSessionToken(token);
    setClockOffset(12 * DAY);
    await validateSessionToken(token);
    setClockOffset(16 * DAY);
    const { session } = await validateSessionToken(token);
    expect(session).not.toBeNull();
    expect(session!.expiresAt).toBeGreaterThan(created.expiresAt);
    const [row] = await getDb()
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.id, sha(token)));
    expect(row?.expiresAt).toBe(session!.expiresAt);
  });

  it('dies after the idle timeout and is deleted from the database', async () => {
    const token = generateSessionToken();
    await createSession(token, userId);
    setClockOffset(IDLE_TIMEOUT + MINUTE);
    expect((await validateSessionToken(token)).session).toBeNull();
    const rows = await getDb()
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.id, sha(token)));
    expect(rows).toHaveLength(0);
  });

  it('dies at the absolute maximum however active it is', async () => {
    const token = generateSessionToken();
    await createSession(token, userId);
    for (let day = 5; day < ABSOLUTE_LIFETIME / DAY; day += 5) {
      setClockOffset(day * DAY);
      expect((await validateSessionToken(token)).session, `day ${day}`).not.toBeNull();
    }
    setClockOffset(ABSOLUTE_LIFETIME);
    expect((await validateSessionToken(token)).session).toBeNull();
    expect(
      await getDb()
        .select()
        .from(sessionTable)
        .where(eq(sessionTable.id, sha(token))),
    ).toHaveLength(0);
  });

  it('refuses a tampered or unknown token without failing', async () => {
    for (const bad of ['', 'x', 'a'.repeat(32), generateSessionToken().toUpperCase(), '"; DROP TABLE session; --']) {
      expect((await validateSessionToken(bad)).session).toBeNull();
    }
  });

  it('refuses the session of a deactivated user and deletes it', async () => {
    const other = await userByEmail('rep2@demo.test');
    const token = generateSessionToken();
    await createSession(token, other.id);
    await getDb().update(userTable).set({ active: false }).where(eq(userTable.id, other.id));
    expect((await validateSessionToken(token)).session).toBeNull();
    const [{ n }] = (await getDb()
      .select({ n: sql<number>`count(*)` })
      .from(sessionTable)
      .where(eq(sessionTable.userId, other.id))) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('invalidateUserSessions can keep the current one', async () => {
    const keep = generateSessionToken();
    const drop = generateSessionToken();
    const kept = await createSession(keep, userId);
    await createSession(drop, userId);
    await invalidateUserSessions(userId, kept.id);
    expect((await validateSessionToken(keep)).session).not.toBeNull();
    expect((await validateSessionToken(drop)).session).toBeNull();
  });
});
