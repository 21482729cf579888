/**
 * Invitations: the only way accounts are created (besides the demo seed).
 *
 * Lifecycle: an admin (any team) or a manager (own teams) creates an invite → the link `/invite/<token>` is shown
 * once to its creator; only the token's SHA-256 is stored → the invitee opens it within INVITE_LIFETIME and sets
 * name and password → one write transaction creates the user and their membership and marks the invite used.
 * That transaction re-checks the invite under the write lock, so two tabs racing on one link create one account.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { inviteTable, membershipTable, organizationTable, teamTable, userTable } from '../../../db/schema';
import { onAccountCreated, prepareAccountHooks } from '../assignments/hooks';
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
  type CreateInvite,
  type InviteState,
} from './accounts';
import { writeAudit } from './audit.server';
import { invitableTeams } from './teams.server';

/** Invite tokens are 20 random bytes in base32, like session tokens. */
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export async function createInvite(actor: SessionUser, input: CreateInvite): Promise<{ token: string; expiresAt: number }> {
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
  const token = randomToken(20);
  const t = now();
  const expiresAt = t + INVITE_LIFETIME;
  await writeTransaction(async (tx) => {
    const [existing] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, input.email));
    if (existing) throw new AccountError('Someone with this email already has an account.', 409, 'email');
    const id = newId();
    await tx.insert(inviteTable).values({
      id,
      tokenHash: sha256Hex(token),
      organizationId: actor.organizationId,
      email: input.email,
      role: input.role,
      job: jobForRole(input.role),
      teamId,
      hireDate: needsTeam(input.role) ? (input.hireDate ?? new Date(t).toISOString().slice(0, 10)) : null,
      createdBy: actor.id,
      createdAt: t,
      expiresAt,
    });
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'invite.created',
      target: id,
      detail: { email: input.email, role: input.role, teamId },
    });
  });
  return { token, expiresAt };
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
  const problem = validatePassword(input.password, { email: view.email, name: input.name, organization: view.organizationName });
  if (problem) throw new AccountError(problem, 400, 'password');
  // Hashing takes tens of milliseconds, and the hooks may read content from disk: both before taking the write lock.
  const passwordHash = await hashPassword(input.password);
  await prepareAccountHooks();

  return writeTransaction(async (tx) => {
    // The transaction holds the write lock from its first statement, so this check and the update below cannot
    // interleave with another acceptance of the same link.
    const t = now();
    const [invite] = await tx.select().from(inviteTable).where(eq(inviteTable.tokenHash, sha256Hex(token)));
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
        name: input.name,
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
    }
    await tx.update(inviteTable).set({ usedAt: t, usedBy: user.id }).where(eq(inviteTable.id, invite.id));
    await onAccountCreated(tx, user);
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
