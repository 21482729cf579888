/**
 * Email + password sign-in. Unknown emails, deactivated accounts and wrong passwords take the same path: same
 * message, a password verification of the same cost, the same attempt counted against the address, the account
 * from that address, and the account (src/lib/server/rate-limit.ts). The attempt is counted before the password is
 * verified, so parallel guesses cannot outrun the count. A browser with this account's device cookie counts on its
 * own key instead (src/lib/server/device-cookie.ts), so nobody else's failures lock it out; every correct sign-in
 * hands the browser a fresh device cookie.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { userTable, type Role } from '../../../db/schema';
import { passwordWork, SlotsFull, verifyDummyPassword, verifyPassword } from '../../lib/server/password';
import { knownDevice, newDeviceCookie } from '../../lib/server/device-cookie';
import { pruneThrottleNowAndThen, reserveAttempt, settleSuccess, signInKeys } from '../../lib/server/rate-limit';
import { createSession, generateSessionToken, type Session } from '../../lib/server/session';

export const SIGN_IN_FAILED = 'That email and password do not match an account.';

export type SignInOutcome =
  | { ok: true; token: string; session: Session; role: Role; deviceCookie: string }
  | { ok: false; reason: 'invalid' }
  /** `account`: refused by the account's slow-down (guesses from many addresses), which a password reset gets past. */
  | { ok: false; reason: 'throttled'; retryAfter: number; account: boolean }
  /** Too many sign-ins are being checked at once (a flood): try again in a few seconds. */
  | { ok: false; reason: 'busy'; retryAfter: number };

/** Seconds a turned-away sign-in is asked to wait: a flood's queue drains in about that. */
export const BUSY_RETRY_AFTER = 5;

export async function signIn(input: {
  /** already trimmed and lower-cased (signInSchema) */
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  /** The browser's device cookie, if it sent one. */
  deviceCookie?: string;
}): Promise<SignInOutcome> {
  const [user] = await getDb().select().from(userTable).where(eq(userTable.email, input.email));
  const device = user ? await knownDevice(input.deviceCookie, input.email, user.passwordHash) : null;
  const keys = signInKeys(input.email, input.ip, device);
  // A browser with the account's device cookie goes ahead of the flood; the rest is turned away when the queue is
  // full, before its attempt is counted or written. (One that finds it full only after counting stays counted.)
  const lane = device ? 'priority' : 'normal';
  if (!passwordWork.hasRoom(lane)) return { ok: false, reason: 'busy', retryAfter: BUSY_RETRY_AFTER };
  const reserved = await reserveAttempt(keys);
  if (!reserved.ok) {
    const account = keys.find((k) => k.kind === 'slow');
    return {
      ok: false,
      reason: 'throttled',
      retryAfter: reserved.retryAfter,
      account: !!account && reserved.refusedBy.includes(account.key),
    };
  }
  let ok = false;
  try {
    if (user) ok = (await verifyPassword(user.passwordHash, input.password, lane)) && user.active;
    else await verifyDummyPassword(input.password, lane);
  } catch (e) {
    if (e instanceof SlotsFull) return { ok: false, reason: 'busy', retryAfter: BUSY_RETRY_AFTER };
    throw e;
  }

  if (!user || !ok) {
    await pruneThrottleNowAndThen();
    return { ok: false, reason: 'invalid' };
  }
  await settleSuccess(reserved.reservation);
  // A fresh token at every sign-in: a token planted before sign-in (session fixation) is never promoted.
  const token = generateSessionToken();
  const session = await createSession(token, user.id, { userAgent: input.userAgent, ip: input.ip });
  return {
    ok: true,
    token,
    session,
    role: user.role,
    deviceCookie: await newDeviceCookie(input.email, user.passwordHash),
  };
}
