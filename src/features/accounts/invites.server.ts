/**
 * Invitations: the only way accounts are created (besides the demo seed).
 *
 * Lifecycle: an admin (any team) or a manager (own teams) creates an invite → the link `/invite/<token>` is shown
 * once to its creator; only the token's SHA-256 is stored → the invitee opens it within INVITE_LIFETIME and sets
 * name and password → one write transaction creates the user and their membership and marks the invite used.
 * That transaction re-checks the invite under the write lock, so two tabs racing on one link create one account.
 */
import { and, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { getDb, type Tx } from '../../../db/client';
import type { Role } from '../../../db/schema';
import { inviteTable, membershipTable, organizationTable, teamTable, userTable } from '../../../db/schema';
import { prepareAccountHooks } from '../assignments/hooks';
import { now } from '../../lib/server/clock';
import { writeTransaction } from '../../lib/server/write-lock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import { hashPassword, validatePassword } from '../../lib/server/password';
import type { SessionUser } from '../../lib/server/session';
import {
  AccountError,
  INVITE_LIFETIME,
  inviteState,
  invitableRoles,
  jobForRole,
  needsTeam,
  type AcceptInvite,
  type BulkInvite,
  type CreateInvite,
  type InviteState,
} from './accounts';
import { writeAudit } from '../../lib/server/audit';
import { invitableTeams } from './teams.server';
import { markChanged } from './change-times.server';
import type { BulkLineError, BulkRow } from './bulk-invites';
import { serverMailer } from '../notifications/mailer.server';
import { buildAccountEmail } from '../notifications/notifications';
import { formatDateTime, isoDateIn } from '../../lib/format';
import { Refusal } from '../../lib/refusal';
import { passwordlessProvider } from './passwordless.server';

/** Invite tokens are 20 random bytes in base32, like session tokens. */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export interface CreatedInvite {
  id: string;
  email: string;
  token: string;
  expiresAt: number;
}

/** Refused lines of a bulk invite (nothing was created). */
export class BulkInviteError extends Refusal {
  constructor(readonly errors: BulkLineError[]) {
    super('BAD_REQUEST', errors.map((e) => e.message).join(' '));
  }
}

async function checkInviteScope(
  actor: SessionUser,
  input: Pick<CreateInvite, 'role' | 'teamId'>,
): Promise<string | null> {
  if (!invitableRoles(actor.role).includes(input.role)) {
    throw new AccountError('You can’t invite someone with that role.', 403, 'role');
  }
  const teamId = needsTeam(input.role) ? input.teamId : null;
  if (teamId) {
    const allowed = await invitableTeams(actor);
    if (!allowed.some((t) => t.id === teamId)) {
      throw new AccountError('You can only invite people to teams you manage.', 403, 'teamId');
    }
  }
  return teamId;
}

/**
 * Why each email cannot be invited now: it has an account, or an invite for it is still waiting. Read inside the
 * write transaction, so a parallel invite of the same person is seen. Keyed by email.
 */
async function refusedEmails(tx: Tx, emails: string[], t: number): Promise<Map<string, 'account' | 'waiting'>> {
  const out = new Map<string, 'account' | 'waiting'>();
  for (let i = 0; i < emails.length; i += 200) {
    const chunk = emails.slice(i, i + 200);
    for (const u of await tx
      .select({ email: userTable.email })
      .from(userTable)
      .where(inArray(userTable.email, chunk))) {
      out.set(u.email, 'account');
    }
    const waiting = await tx
      .select({ email: inviteTable.email })
      .from(inviteTable)
      .where(
        and(
          inArray(inviteTable.email, chunk),
          isNull(inviteTable.usedAt),
          isNull(inviteTable.revokedAt),
          gt(inviteTable.expiresAt, t),
        ),
      );
    for (const w of waiting) if (!out.has(w.email)) out.set(w.email, 'waiting');
  }
  return out;
}

/** Writes invites for `rows` (already checked) with one audit entry each; returns their one-time tokens. */
async function insertInvites(
  tx: Tx,
  actor: SessionUser,
  input: Pick<CreateInvite, 'role'> & { teamId: string | null; hireDate: string | null },
  rows: { email: string; hireDate: string | null }[],
  t: number,
): Promise<CreatedInvite[]> {
  const created: CreatedInvite[] = [];
  for (const row of rows) {
    const token = randomToken(20);
    const id = newId();
    const expiresAt = t + INVITE_LIFETIME;
    await tx.insert(inviteTable).values({
      id,
      tokenHash: sha256Hex(token),
      organizationId: actor.organizationId,
      email: row.email,
      role: input.role,
      job: jobForRole(input.role),
      teamId: input.teamId,
      hireDate: needsTeam(input.role) ? (row.hireDate ?? input.hireDate ?? isoDateIn(t)) : null,
      createdBy: actor.id,
      createdAt: t,
      expiresAt,
    });
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'invite.created',
      target: id,
      detail: { email: row.email, role: input.role, teamId: input.teamId },
    });
    created.push({ id, email: row.email, token, expiresAt });
  }
  return created;
}

export async function createInvite(actor: SessionUser, input: CreateInvite): Promise<CreatedInvite> {
  const teamId = await checkInviteScope(actor, input);
  const t = now();
  return writeTransaction(async (tx) => {
    const refused = (await refusedEmails(tx, [input.email], t)).get(input.email);
    if (refused === 'account') throw new AccountError('Someone with this email already has an account.', 409, 'email');
    if (refused === 'waiting') {
      throw new AccountError(
        'An invite for this email is already waiting: resend or revoke it in the list below.',
        409,
        'email',
      );
    }
    const [created] = await insertInvites(
      tx,
      actor,
      { role: input.role, teamId, hireDate: input.hireDate ?? null },
      [input],
      t,
    );
    return created!;
  });
}

/**
 * A whole list in one transaction: every line is checked (format and duplicates by parseBulkInvites, accounts and
 * waiting invites here) and either all are invited or none, with every refused line reported.
 */
export async function createBulkInvites(
  actor: SessionUser,
  input: BulkInvite,
  rows: BulkRow[],
): Promise<CreatedInvite[]> {
  const teamId = await checkInviteScope(actor, input);
  const t = now();
  return writeTransaction(async (tx) => {
    const refused = await refusedEmails(
      tx,
      rows.map((r) => r.email),
      t,
    );
    const errors = rows.flatMap((r) => {
      const why = refused.get(r.email);
      if (!why) return [];
      const message =
        why === 'account'
          ? `${r.email} already has an account.`
          : `an invite for ${r.email} is already waiting (resend or revoke it in the list).`;
      return [{ line: r.line, message: `Line ${r.line}: ${message}` }];
    });
    if (errors.length) throw new BulkInviteError(errors);
    return insertInvites(tx, actor, { role: input.role, teamId, hireDate: input.hireDate ?? null }, rows, t);
  });
}

/** An invite the actor may manage (admins: their organization's; managers: their teams'), or a 404. */
async function manageableInvite(tx: Tx, actor: SessionUser, inviteId: string) {
  const [invite] = await tx.select().from(inviteTable).where(eq(inviteTable.id, inviteId));
  const teams = actor.role === 'admin' ? [] : await invitableTeams(actor);
  const mine =
    invite &&
    invite.organizationId === actor.organizationId &&
    (actor.role === 'admin' || (invite.teamId !== null && teams.some((team) => team.id === invite.teamId)));
  if (!invite || !mine) throw new AccountError('There is no such invite among yours.', 404);
  return invite;
}

/** Withdraws a waiting invite: its link then answers 410. A used invite cannot be withdrawn (the account exists). */
export async function revokeInvite(actor: SessionUser, inviteId: string): Promise<{ email: string }> {
  return writeTransaction(async (tx) => {
    const invite = await manageableInvite(tx, actor, inviteId);
    const state = inviteState(invite, now());
    if (state === 'used')
      throw new AccountError('This invite was accepted already; deactivate the account instead.', 409);
    if (state === 'revoked') throw new AccountError('This invite was already revoked.', 409);
    await tx.update(inviteTable).set({ revokedAt: now() }).where(eq(inviteTable.id, invite.id));
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'invite.revoked',
      target: invite.id,
      detail: { email: invite.email },
    });
    return { email: invite.email };
  });
}

/**
 * A new link for a waiting or expired invite (the old link stops working: only the new token's hash is kept),
 * valid 7 days from now. Used and revoked invites are not resent.
 */
export async function resendInvite(
  actor: SessionUser,
  inviteId: string,
): Promise<CreatedInvite & { teamId: string | null; role: Role }> {
  const token = randomToken(20);
  const t = now();
  return writeTransaction(async (tx) => {
    const invite = await manageableInvite(tx, actor, inviteId);
    const state = inviteState(invite, t);
    if (state === 'used') throw new AccountError('This invite was accepted already.', 409);
    if (state === 'revoked') throw new AccountError('This invite was revoked; create a new one instead.', 409);
    const [taken] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, invite.email));
    if (taken) throw new AccountError(`${invite.email} already has an account.`, 409);
    const expiresAt = t + INVITE_LIFETIME;
    await tx
      .update(inviteTable)
      .set({ tokenHash: sha256Hex(token), expiresAt })
      .where(eq(inviteTable.id, invite.id));
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'invite.resent',
      target: invite.id,
      detail: { email: invite.email },
    });
    return { id: invite.id, email: invite.email, token, expiresAt, teamId: invite.teamId, role: invite.role };
  });
}

/**
 * Emails the link when SMTP is set; false when there is no mailer (the page then shows the link) or the send
 * failed (logged; the page shows the link too, so the invite is never lost).
 */
export async function emailInvite(invite: CreatedInvite, from: { name: string }, site: string): Promise<boolean> {
  const mailer = serverMailer();
  if (!mailer) return false;
  const link = `${site}/invite/${invite.token}`;
  const message = buildAccountEmail({
    from: mailer.from,
    to: { name: invite.email, email: invite.email },
    subject: `${from.name} invites you to Frontline Academy`,
    body: [
      `${from.name} has invited you to Frontline Academy, where your team does its customer-service training.`,
      `Set up your account (choose your name and a password) here:\n${link}`,
      `The link works once, until ${formatDateTime(invite.expiresAt)}. If you were not expecting this, you can ignore this email.`,
      '— Frontline Academy',
    ].join('\n\n'),
  });
  try {
    await mailer.sendMail(message);
    return true;
  } catch (e) {
    console.error(`invite email to ${invite.email} failed: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

export interface InviteView {
  state: InviteState;
  email: string;
  role: (typeof inviteTable.$inferSelect)['role'];
  teamName: string | null;
  organizationName: string;
  expiresAt: number;
}

/** What /invite/<token> shows; null for a token that matches no invite (or could not be one). */
export async function findInvite(token: string): Promise<InviteView | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const [row] = await getDb()
    .select({ invite: inviteTable, teamName: teamTable.name, organizationName: organizationTable.name })
    .from(inviteTable)
    .innerJoin(organizationTable, eq(inviteTable.organizationId, organizationTable.id))
    .leftJoin(teamTable, eq(inviteTable.teamId, teamTable.id))
    .where(eq(inviteTable.tokenHash, sha256Hex(token)));
  if (!row) return null;
  const { invite } = row;
  return {
    state: inviteState(invite, now()),
    email: invite.email,
    role: invite.role,
    teamName: row.teamName,
    organizationName: row.organizationName,
    expiresAt: invite.expiresAt,
  };
}

/** The refusal for a link that is not (or no longer) usable; the invite page shows the same words. */
export function inviteRefusal(state: Exclude<InviteState, 'valid'> | 'unknown'): AccountError {
  if (state === 'revoked') {
    return new AccountError(
      'This invite link was withdrawn by whoever sent it. Ask them for a new one if you still need an account.',
      410,
    );
  }
  if (state === 'used') {
    return new AccountError('This invite link has already been used. Sign in instead, or ask for a new invite.', 410);
  }
  if (state === 'expired') {
    return new AccountError('This invite link has expired. Ask whoever invited you for a new one.', 410);
  }
  return new AccountError('This invite link is not valid. Check that you copied all of it.', 404);
}

export async function acceptInvite(token: string, input: AcceptInvite): Promise<typeof userTable.$inferSelect> {
  const view = await findInvite(token);
  if (!view) throw inviteRefusal('unknown');
  if (view.state !== 'valid') throw inviteRefusal(view.state);
  if (await passwordlessProvider(view.email))
    throw new AccountError(
      'Your organization signs you in with your company account, so no password is set here: use the company sign-in on this page.',
      400,
    );
  const problem = validatePassword(input.password, {
    email: view.email,
    name: input.name,
    organization: view.organizationName,
  });
  if (problem) throw new AccountError(problem, 400, 'password');
  // Hashing takes tens of milliseconds: before taking the write lock.
  return createFromInvite(token, input.name, await hashPassword(input.password));
}

/**
 * An invite for a domain whose provider allows no passwords: the account is made with a password nobody knows (as
 * sign-on makes its accounts), without a session; the person then signs in through the provider, which links the
 * account by its email on that first sign-in.
 */
export async function acceptInviteThroughProvider(
  token: string,
  input: { name: string },
): Promise<typeof userTable.$inferSelect> {
  const view = await findInvite(token);
  if (!view) throw inviteRefusal('unknown');
  if (view.state !== 'valid') throw inviteRefusal(view.state);
  if (!(await passwordlessProvider(view.email)))
    throw new AccountError('Choose a password to set up your account.', 400, 'password');
  return createFromInvite(token, input.name, await hashPassword(randomToken(32)));
}

async function createFromInvite(
  token: string,
  name: string,
  passwordHash: string,
): Promise<typeof userTable.$inferSelect> {
  // The hooks may read content from disk: before taking the write lock.
  const hooks = await prepareAccountHooks();

  return writeTransaction(async (tx) => {
    // The transaction holds the write lock from its first statement, so this check and the update below cannot
    // interleave with another acceptance of the same link.
    const t = now();
    const [invite] = await tx
      .select()
      .from(inviteTable)
      .where(eq(inviteTable.tokenHash, sha256Hex(token)));
    if (!invite) throw inviteRefusal('unknown');
    const state = inviteState(invite, t);
    if (state !== 'valid') throw inviteRefusal(state);
    const [taken] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, invite.email));
    if (taken) throw new AccountError('An account with this email already exists. Sign in instead.', 409);

    const [user] = await tx
      .insert(userTable)
      .values({
        id: newId(),
        organizationId: invite.organizationId,
        email: invite.email,
        name,
        passwordHash,
        role: invite.role,
        job: invite.job,
        hireDate: invite.hireDate,
        active: true,
        createdAt: t,
      })
      .returning();
    if (!user) throw new Error('insert returned no row');
    if (invite.teamId && needsTeam(invite.role)) {
      await tx.insert(membershipTable).values({
        userId: user.id,
        teamId: invite.teamId,
        kind: invite.role === 'manager' ? 'manager' : 'member',
        createdAt: t,
      });
      await markChanged(tx, t, { teams: [invite.teamId] });
    }
    await tx.update(inviteTable).set({ usedAt: t, usedBy: user.id }).where(eq(inviteTable.id, invite.id));
    await hooks.onAccountCreated(tx, user);
    await writeAudit(tx, {
      organizationId: invite.organizationId,
      actorId: user.id,
      action: 'invite.accepted',
      target: invite.id,
      detail: { invitedBy: invite.createdBy },
    });
    return user;
  });
}

export interface InviteListItem {
  id: string;
  email: string;
  role: InviteView['role'];
  teamName: string | null;
  createdAt: number;
  expiresAt: number;
  state: InviteState;
}

/** Recent invites the actor can see: the whole organization for admins, their teams' for managers. */
export async function listInvites(actor: SessionUser, limit = 50): Promise<InviteListItem[]> {
  const teams = await invitableTeams(actor);
  if (actor.role !== 'admin' && teams.length === 0) return [];
  const scope =
    actor.role === 'admin'
      ? eq(inviteTable.organizationId, actor.organizationId)
      : inArray(
          inviteTable.teamId,
          teams.map((t) => t.id),
        );
  const rows = await getDb()
    .select({ invite: inviteTable, teamName: teamTable.name })
    .from(inviteTable)
    .leftJoin(teamTable, eq(inviteTable.teamId, teamTable.id))
    .where(scope)
    .orderBy(desc(inviteTable.createdAt))
    .limit(limit);
  const t = now();
  return rows.map(({ invite, teamName }) => ({
    id: invite.id,
    email: invite.email,
    role: invite.role,
    teamName,
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    state: inviteState(invite, t),
  }));
}
