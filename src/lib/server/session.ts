/**
 * Sessions after Lucia's current guide. The browser holds a random token (20 bytes, base32); the database holds
 * only its SHA-256, so a database dump cannot be replayed as a cookie.
 *
 * Lifetime: a session expires 30 days after it was last extended and is extended (sliding) when fewer than 15 days
 * remain; it also dies after IDLE_TIMEOUT without use, and after ABSOLUTE_LIFETIME whatever happens.
 */
import type { AstroCookies } from 'astro';
import { and, eq, ne, sql } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { sessionTable, userTable } from '../../../db/schema';
import { env } from '../../env';
import { now } from './clock';
import { preparedQuery } from './prepared';
import { randomToken, sha256Hex } from './ids';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
export const RENEW_WHEN_LEFT = 15 * DAY;
export const IDLE_TIMEOUT = 7 * DAY;
export const ABSOLUTE_LIFETIME = 90 * DAY;
/** lastSeenAt is written at most this often, so reads do not turn every request into a write. */
const TOUCH_EVERY = 5 * 60 * 1000;

export type SessionUser = Pick<
  typeof userTable.$inferSelect,
  'id' | 'organizationId' | 'email' | 'name' | 'role' | 'job' | 'hireDate'
> & {
  /** The zone they chose on /account (null or absent: the organisation's). */
  timeZone?: string | null;
};
export type Session = typeof sessionTable.$inferSelect;
/** What a request knows of its session: enough to judge its lifetime and to end it. */
export type ActiveSession = Pick<Session, 'id' | 'userId' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>;

export function generateSessionToken(): string {
  return randomToken(20);
}

export async function createSession(
  token: string,
  userId: string,
  meta: { userAgent?: string | null; ip?: string | null } = {},
): Promise<Session> {
  const t = now();
  const session: Session = {
    id: sha256Hex(token),
    userId,
    createdAt: t,
    lastSeenAt: t,
    expiresAt: t + SESSION_LIFETIME,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  };
  await getDb().insert(sessionTable).values(session);
  return session;
}

/** Pure lifetime rule, unit-tested with a fake clock: what to do with a stored session at time `t`. */
export function sessionVerdict(s: Pick<Session, 'createdAt' | 'lastSeenAt' | 'expiresAt'>, t: number) {
  if (t >= s.expiresAt || t - s.lastSeenAt >= IDLE_TIMEOUT || t - s.createdAt >= ABSOLUTE_LIFETIME) {
    return { valid: false as const };
  }
  // Capped at the absolute maximum: near the end of a session's life the "extended" expiry stops moving, and
  // comparing against the stored one keeps that from turning every request into a write.
  const renewed = Math.min(t + SESSION_LIFETIME, s.createdAt + ABSOLUTE_LIFETIME);
  const extend = s.expiresAt - t < RENEW_WHEN_LEFT && renewed > s.expiresAt;
  return {
    valid: true as const,
    expiresAt: extend ? renewed : s.expiresAt,
    write: extend || t - s.lastSeenAt >= TOUCH_EVERY,
  };
}

export type SessionValidation = { session: ActiveSession; user: SessionUser } | { session: null; user: null };

/** Tokens we issue are exactly this shape; anything else (a tampered cookie) is refused without a query. */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

/**
 * Every request runs this: one primary-key lookup joined to the user, prepared once, reading only the columns a
 * request uses (never the password hash).
 */
const sessionWithUser = preparedQuery((db) =>
  db
    .select({
      session: {
        id: sessionTable.id,
        userId: sessionTable.userId,
        createdAt: sessionTable.createdAt,
        lastSeenAt: sessionTable.lastSeenAt,
        expiresAt: sessionTable.expiresAt,
      },
      user: {
        id: userTable.id,
        organizationId: userTable.organizationId,
        email: userTable.email,
        name: userTable.name,
        role: userTable.role,
        job: userTable.job,
        hireDate: userTable.hireDate,
        timeZone: userTable.timeZone,
        active: userTable.active,
      },
    })
    .from(sessionTable)
    .innerJoin(userTable, eq(sessionTable.userId, userTable.id))
    .where(eq(sessionTable.id, sql.placeholder('sessionId')))
    .prepare(),
);

export async function validateSessionToken(token: string): Promise<SessionValidation> {
  if (!TOKEN_SHAPE.test(token)) return { session: null, user: null };
  const db = getDb();
  const sessionId = sha256Hex(token);
  const row = await sessionWithUser().get({ sessionId });
  if (!row) return { session: null, user: null };
  const t = now();
  const verdict = sessionVerdict(row.session, t);
  if (!verdict.valid || !row.user.active) {
    await db.delete(sessionTable).where(eq(sessionTable.id, sessionId));
    return { session: null, user: null };
  }
  const session = { ...row.session };
  if (verdict.write) {
    session.lastSeenAt = t;
    session.expiresAt = verdict.expiresAt;
    await db
      .update(sessionTable)
      .set({ lastSeenAt: t, expiresAt: verdict.expiresAt })
      .where(eq(sessionTable.id, sessionId));
  }
  const { id, organizationId, email, name, role, job, hireDate, timeZone } = row.user;
  return { session, user: { id, organizationId, email, name, role, job, hireDate, timeZone } };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await getDb().delete(sessionTable).where(eq(sessionTable.id, sessionId));
}

export async function invalidateUserSessions(userId: string, except?: string): Promise<void> {
  const where = except
    ? and(eq(sessionTable.userId, userId), ne(sessionTable.id, except))
    : eq(sessionTable.userId, userId);
  await getDb().delete(sessionTable).where(where);
}

/** `__Host-` prefix and Secure in production; plain name over http in development and tests. */
export function sessionCookieName(): string {
  return secureCookies() ? '__Host-session' : 'session';
}

export function secureCookies(): boolean {
  return import.meta.env.PROD && !env().insecureCookies;
}

export function setSessionTokenCookie(cookies: AstroCookies, token: string, expiresAt: number): void {
  cookies.set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function deleteSessionTokenCookie(cookies: AstroCookies): void {
  cookies.delete(sessionCookieName(), { path: '/', secure: secureCookies(), httpOnly: true, sameSite: 'lax' });
}
