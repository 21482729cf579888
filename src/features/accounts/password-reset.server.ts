/**
 * Password-reset links. Lifecycle: someone asks on /forgot-password → if an active account has that email, a row
 * with the SHA-256 of a random token (never the token) is written and the link `/reset-password/<token>` emailed;
 * the page answers the same either way, and in the same time: every request reads the account and counts in one
 * write transaction, known email or not (a known one adds two rows to it), and the email is sent after the answer
 * (setImmediate), so neither the words nor the time tell whether an account exists. Requests are throttled per
 * email and address, per address, and links sent per email (password-reset.ts; the same counts for unknown emails). The link works once, for 30 minutes: setting the password marks every
 * open link of that person used, stores the new hash and ends all their sessions, in one transaction that re-reads
 * the link under the write lock, so two tabs racing on one link change the password once.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { organizationTable, passwordResetTable, sessionTable, userTable } from '../../../db/schema';
import { formatDateTime } from '../../lib/format';
import { addressBucket } from '../../lib/server/client-address';
import { now } from '../../lib/server/clock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import { hashPassword, validatePassword } from '../../lib/server/password';
import { newDeviceCookie } from '../../lib/server/device-cookie';
import { knownRefusal, reserveIn, type ThrottleKey } from '../../lib/server/rate-limit';
import { writeTransaction } from '../../lib/server/write-lock';
import { serverMailer } from '../notifications/mailer.server';
import { buildAccountEmail } from '../notifications/notifications';
import { AccountError } from './accounts';
import { writeAudit } from '../../lib/server/audit';
import { passwordlessProvider } from './passwordless.server';
import {
  RESET_IP_LIMIT,
  RESET_LIFETIME,
  RESET_MAIL_LIMIT,
  RESET_PAIR_LIMIT,
  resetState,
  type ResetState,
} from './password-reset';

const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

const pairKey = (email: string, ip: string): ThrottleKey => ({
  key: `reset:${email}|${addressBucket(ip)}`,
  kind: 'hard',
  limit: RESET_PAIR_LIMIT,
  onSuccess: 'clear',
});
const ipKey = (ip: string): ThrottleKey => ({
  key: `reset-ip:${addressBucket(ip)}`,
  kind: 'hard',
  limit: RESET_IP_LIMIT,
  onSuccess: 'refund',
});
const mailKey = (email: string): ThrottleKey => ({
  key: `reset-mail:${email}`,
  kind: 'hard',
  limit: RESET_MAIL_LIMIT,
  onSuccess: 'clear',
});

export type ResetRequestOutcome = { ok: true } | { ok: false; retryAfter: number };

export async function requestPasswordReset(email: string, ip: string, site: string): Promise<ResetRequestOutcome> {
  const keys = [pairKey(email, ip), ipKey(ip)];
  const known = knownRefusal(keys);
  if (known) return known;
  const [user] = await getDb()
    .select({
      id: userTable.id,
      name: userTable.name,
      email: userTable.email,
      organizationId: userTable.organizationId,
    })
    .from(userTable)
    .where(and(eq(userTable.email, email), eq(userTable.active, true)));
  // Asked for every email, known or not, so the time tells nothing either.
  const provider = await passwordlessProvider(email);
  const token = randomToken(20);
  const outcome = await writeTransaction(async (tx) => {
    // Counted atomically, so parallel requests cannot outrun the limits.
    const reserved = await reserveIn(tx, keys);
    if (!reserved.ok) return reserved;
    const mail = await reserveIn(tx, [mailKey(email)]);
    if (!mail.ok || !user) return { ok: true as const };
    // Their domain allows no passwords: no link (it would set one), but a note saying how they sign in.
    if (provider) return { ok: true as const, company: { user, provider: provider.name } };
    const t = now();
    const expiresAt = t + RESET_LIFETIME;
    await tx
      .insert(passwordResetTable)
      .values({ id: newId(), userId: user.id, tokenHash: sha256Hex(token), createdAt: t, expiresAt });
    await writeAudit(tx, {
      organizationId: user.organizationId,
      actorId: user.id,
      action: 'password.reset_requested',
      target: user.id,
      detail: { ip },
    });
    return { ok: true as const, send: { user, expiresAt } };
  });
  if (!outcome.ok) return outcome;
  const send = 'send' in outcome ? outcome.send : undefined;
  if (send) setImmediate(() => void emailResetLink(send.user, `${site}/reset-password/${token}`, send.expiresAt));
  const company = 'company' in outcome ? outcome.company : undefined;
  if (company) setImmediate(() => void emailCompanySignIn(company.user, company.provider, `${site}/login`));
  return { ok: true };
}

function emailResetLink(user: { name: string; email: string }, link: string, expiresAt: number): Promise<void> {
  return sendAccountMail(user, 'Choose a new password for Frontline Academy', [
    `Hello ${user.name},`,
    `Someone (we hope you) asked to choose a new password for your Frontline Academy account. Choose it here:\n${link}`,
    `The link works once, until ${formatDateTime(expiresAt)}. Choosing a new password signs you out everywhere.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
    '— Frontline Academy',
  ]);
}

function emailCompanySignIn(user: { name: string; email: string }, provider: string, login: string): Promise<void> {
  return sendAccountMail(user, 'How you sign in to Frontline Academy', [
    `Hello ${user.name},`,
    `Someone (we hope you) asked to choose a new password for your Frontline Academy account. Your organization signs you in with your company account (${provider}) instead of a password, so there is none to choose. Sign in here with your work email and choose “Use your company account”:\n${login}`,
    'If you did not ask for this, ignore this email.',
    '— Frontline Academy',
  ]);
}

async function sendAccountMail(user: { name: string; email: string }, subject: string, body: string[]): Promise<void> {
  const mailer = serverMailer();
  if (!mailer) {
    console.error(`password reset asked for ${user.email}, but no SMTP is configured to send the email`);
    return;
  }
  try {
    await mailer.sendMail(
      buildAccountEmail({
        from: mailer.from,
        to: { name: user.name, email: user.email },
        subject,
        body: body.join('\n\n'),
      }),
    );
  } catch (e) {
    console.error(`password reset email to ${user.email} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** What /reset-password/<token> shows before the form is sent: the link's state, or null for no such link. */
export async function findReset(
  token: string,
): Promise<{ state: ResetState; email: string; name: string; organization: string } | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await getDb()
    .select({
      reset: passwordResetTable,
      email: userTable.email,
      name: userTable.name,
      active: userTable.active,
      organization: organizationTable.name,
    })
    .from(passwordResetTable)
    .innerJoin(userTable, eq(userTable.id, passwordResetTable.userId))
    .innerJoin(organizationTable, eq(organizationTable.id, userTable.organizationId))
    .where(eq(passwordResetTable.tokenHash, sha256Hex(token)));
  if (!row || !row.active) return null;
  return { state: resetState(row.reset, now()), email: row.email, name: row.name, organization: row.organization };
}

export function resetRefusal(state: Exclude<ResetState, 'valid'> | 'unknown'): AccountError {
  if (state === 'used')
    return new AccountError('This link has been used already. Ask for a new one if you still need it.', 410);
  if (state === 'expired')
    return new AccountError('This link has expired (links work for 30 minutes). Ask for a new one.', 410);
  return new AccountError('This link is not valid. Check that you copied all of it, or ask for a new one.', 404);
}

/**
 * Sets the new password; returns a device cookie for the browser that did it (it proved control of the email, so
 * the account's slow-down under guessing from elsewhere no longer applies to it; see device-cookie.ts).
 */
export async function resetPassword(token: string, password: string): Promise<{ deviceCookie: string }> {
  const found = await findReset(token);
  if (!found) throw resetRefusal('unknown');
  if (found.state !== 'valid') throw resetRefusal(found.state);
  // A link sent before the domain's provider stopped allowing passwords sets none.
  if (await passwordlessProvider(found.email))
    throw new AccountError(
      'Your organization signs you in with your company account, so no password is set here. Sign in with “Use your company account”.',
      403,
    );
  // The same rules as every other new password: the person's own name, email and organisation are context words.
  const problem = validatePassword(password, {
    email: found.email,
    name: found.name,
    organization: found.organization,
  });
  if (problem) throw new AccountError(problem, 400, 'password');
  const passwordHash = await hashPassword(password);
  await writeTransaction(async (tx) => {
    const t = now();
    const [reset] = await tx
      .select()
      .from(passwordResetTable)
      .where(eq(passwordResetTable.tokenHash, sha256Hex(token)));
    if (!reset) throw resetRefusal('unknown');
    const state = resetState(reset, t);
    if (state !== 'valid') throw resetRefusal(state);
    const [user] = await tx.select().from(userTable).where(eq(userTable.id, reset.userId));
    if (!user || !user.active) throw resetRefusal('unknown');
    await tx.update(userTable).set({ passwordHash }).where(eq(userTable.id, user.id));
    // Every open link of this person is spent: an older email cannot set the password again.
    await tx
      .update(passwordResetTable)
      .set({ usedAt: t })
      .where(
        and(
          eq(passwordResetTable.userId, user.id),
          isNull(passwordResetTable.usedAt),
          gt(passwordResetTable.expiresAt, t),
        ),
      );
    await tx.delete(sessionTable).where(eq(sessionTable.userId, user.id));
    await writeAudit(tx, {
      organizationId: user.organizationId,
      actorId: user.id,
      action: 'password.reset',
      target: user.id,
    });
  });
  return { deviceCookie: await newDeviceCookie(found.email, passwordHash) };
}
