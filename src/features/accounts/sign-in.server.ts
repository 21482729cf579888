/**
 * Email + password sign-in. Unknown emails, deactivated accounts and wrong passwords take the same path: same
 * message, a password verification of the same cost, one failure counted for the account key and the IP key.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { userTable, type Role } from '../../../db/schema';
import { verifyDummyPassword, verifyPassword } from '../../lib/server/password';
import {
  accountKey,
  clearThrottle,
  ipKey,
  pruneThrottle,
  recordFailure,
  retryAfterSeconds,
} from '../../lib/server/rate-limit';
import { createSession, generateSessionToken, type Session } from '../../lib/server/session';

export const SIGN_IN_FAILED = 'That email and password do not match an account.';

export type SignInOutcome =
  | { ok: true; token: string; session: Session; role: Role }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

export async function signIn(input: {
  /** already trimmed and lower-cased (signInSchema) */
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
}): Promise<SignInOutcome> {
  const account = accountKey(input.email);
  const keys = [account, ipKey(input.ip)];
  const retryAfter = await retryAfterSeconds(keys);
  if (retryAfter > 0) return { ok: false, reason: 'throttled', retryAfter };

  const [user] = await getDb().select().from(userTable).where(eq(userTable.email, input.email));
  let ok = false;
  if (user) ok = (await verifyPassword(user.passwordHash, input.password)) && user.active;
  else await verifyDummyPassword(input.password);

  if (!user || !ok) {
    for (const key of keys) await recordFailure(key);
    await pruneThrottle();
    return { ok: false, reason: 'invalid' };
  }
  await clearThrottle(account);
  // A fresh token at every sign-in: a token planted before sign-in (session fixation) is never promoted.
  const token = generateSessionToken();
  const session = await createSession(token, user.id, { userAgent: input.userAgent, ip: input.ip });
  return { ok: true, token, session, role: user.role };
}
