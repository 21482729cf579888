/** A person's own account: their sessions (list, end one, end all others) and changing their password. */
import { and, desc, eq, ne } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { organizationTable, sessionTable, userTable } from '../../../db/schema';
import { newDeviceCookie } from '../../lib/server/device-cookie';
import { hashPassword, validatePassword, verifyPassword } from '../../lib/server/password';
import { passwordChangeKey, reserveAttempt, settleSuccess } from '../../lib/server/rate-limit';
import type { SessionUser } from '../../lib/server/session';
import { AccountError, describeDevice, type ChangePassword } from './accounts';
import { writeAudit } from '../../lib/server/audit';
import { writeTransaction } from '../../lib/server/write-lock';
import { countOf } from '../../lib/plural';

export interface SessionItem {
  id: string;
  device: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

export async function listSessions(userId: string, currentSessionId: string): Promise<SessionItem[]> {
  const rows = await getDb()
    .select()
    .from(sessionTable)
    .where(eq(sessionTable.userId, userId))
    .orderBy(desc(sessionTable.lastSeenAt));
  const items = rows.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    current: s.id === currentSessionId,
  }));
  // This device first, then the others by most recent use.
  return [...items.filter((s) => s.current), ...items.filter((s) => !s.current)];
}

/** Ends one of the user's own sessions (not the current one: that is "Sign out"). False if there was none. */
export async function endSession(userId: string, currentSessionId: string, sessionId: string): Promise<boolean> {
  if (sessionId === currentSessionId) return false;
  const ended = await getDb()
    .delete(sessionTable)
    .where(and(eq(sessionTable.id, sessionId), eq(sessionTable.userId, userId)))
    .returning({ id: sessionTable.id });
  return ended.length > 0;
}

export async function endOtherSessions(userId: string, currentSessionId: string): Promise<number> {
  const ended = await getDb()
    .delete(sessionTable)
    .where(and(eq(sessionTable.userId, userId), ne(sessionTable.id, currentSessionId)))
    .returning({ id: sessionTable.id });
  return ended.length;
}

/**
 * Checks the current password (throttled like sign-in, so a borrowed session cannot be used to guess it), then
 * stores the new hash and ends every other session in one transaction. The new hash revokes every device cookie
 * (device-cookie.ts); the returned one is for this browser.
 */
export async function changePassword(
  user: SessionUser,
  currentSessionId: string,
  input: ChangePassword,
): Promise<{ deviceCookie: string }> {
  // Its own key, per person: a borrowed session can be held to a few guesses, and cannot slow the owner's sign-in.
  const reserved = await reserveAttempt([passwordChangeKey(user.id)]);
  if (!reserved.ok) {
    throw new AccountError(
      `Too many wrong passwords. Try again in ${countOf(Math.ceil(reserved.retryAfter / 60), 'minute')}.`,
      429,
      'currentPassword',
    );
  }
  const [row] = await getDb().select({ hash: userTable.passwordHash }).from(userTable).where(eq(userTable.id, user.id));
  if (!row || !(await verifyPassword(row.hash, input.currentPassword, 'priority'))) {
    throw new AccountError('That is not your current password.', 400, 'currentPassword');
  }
  await settleSuccess(reserved.reservation);
  const [org] = await getDb()
    .select({ name: organizationTable.name })
    .from(organizationTable)
    .where(eq(organizationTable.id, user.organizationId));
  const problem = validatePassword(input.newPassword, { email: user.email, name: user.name, organization: org?.name });
  if (problem) throw new AccountError(problem, 400, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await writeTransaction(async (tx) => {
    await tx.update(userTable).set({ passwordHash }).where(eq(userTable.id, user.id));
    await tx.delete(sessionTable).where(and(eq(sessionTable.userId, user.id), ne(sessionTable.id, currentSessionId)));
    await writeAudit(tx, {
      organizationId: user.organizationId,
      actorId: user.id,
      action: 'password.changed',
      target: user.id,
    });
  });
  return { deviceCookie: await newDeviceCookie(user.email, passwordHash) };
}

/** The person's time zone for every date shown to them; null: the organisation's. The caller validates the name. */
export async function setTimeZone(userId: string, timeZone: string | null): Promise<void> {
  await writeTransaction((tx) => tx.update(userTable).set({ timeZone }).where(eq(userTable.id, userId)));
}
