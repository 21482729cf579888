/**
 * The first admin of a site that starts empty (production: no demo, see src/env.ts), made from the server's shell
 * by `npm run admin:create` (src/cli/admin-create.ts). No password travels through the shell, its history or the
 * process list: the account gets a password nobody knows, and the command prints a one-time set-password link
 * (a password-reset link, same table, same page, same 30 minutes). Run again for an existing admin's email, it
 * prints a fresh link: the way back in for a sysadmin whose only admin forgot the password and has no mail set up.
 */
import { eq } from 'drizzle-orm';
import { organizationTable, passwordResetTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import { writeAudit } from '../../lib/server/audit';
import { hashPassword } from '../../lib/server/password';
import { writeTransaction } from '../../lib/server/write-lock';
import { prepareAccountHooks } from '../assignments/hooks';
import { AccountError, type CreateAdmin } from './accounts';
import { RESET_LIFETIME } from './password-reset';

export interface CreatedAdmin {
  /** false: the email was an admin already, and only a new link was made. */
  created: boolean;
  organization: string;
  /** Path of the one-time link; the caller puts SITE_URL in front. */
  setPasswordPath: string;
  expiresAt: number;
}

export async function createAdmin(input: CreateAdmin): Promise<CreatedAdmin> {
  // A password no one knows (hashed before the write lock is taken): until the link is used, nobody signs in.
  const unusable = await hashPassword(randomToken(32));
  const token = randomToken(20);
  const hooks = await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const t = now();
    const [existing] = await tx.select().from(userTable).where(eq(userTable.email, input.email));
    let user = existing;
    let organizationName: string;
    if (existing) {
      if (existing.role !== 'admin' || !existing.active) {
        throw new AccountError(
          `${input.email} already has an account that is not an active admin; change it on /admin/users.`,
          409,
        );
      }
      const [org] = await tx.select().from(organizationTable).where(eq(organizationTable.id, existing.organizationId));
      organizationName = org!.name;
    } else {
      const orgs = await tx.select().from(organizationTable);
      let org = input.organization
        ? orgs.find((o) => o.name === input.organization)
        : orgs.length === 1
          ? orgs[0]
          : undefined;
      if (!org && orgs.length > 0) {
        const names = orgs.map((o) => `"${o.name}"`).join(', ');
        throw new AccountError(`Name the organization with --organization: one of ${names}.`, 400, 'organization');
      }
      if (!org) {
        if (!input.organization)
          throw new AccountError(
            'The database has no organization yet: name it with --organization "Your company".',
            400,
            'organization',
          );
        [org] = await tx
          .insert(organizationTable)
          .values({ id: newId(), name: input.organization, createdAt: t })
          .returning();
      }
      [user] = await tx
        .insert(userTable)
        .values({
          id: newId(),
          organizationId: org!.id,
          email: input.email,
          name: input.name,
          passwordHash: unusable,
          role: 'admin',
          job: null,
          active: true,
          createdAt: t,
        })
        .returning();
      await hooks.onAccountCreated(tx, user!);
      organizationName = org!.name;
    }
    const expiresAt = t + RESET_LIFETIME;
    await tx
      .insert(passwordResetTable)
      .values({ id: newId(), userId: user!.id, tokenHash: sha256Hex(token), createdAt: t, expiresAt });
    await writeAudit(tx, {
      organizationId: user!.organizationId,
      actorId: user!.id,
      action: existing ? 'admin.link_issued' : 'admin.created',
      target: user!.id,
      detail: { by: 'admin:create' },
    });
    return {
      created: !existing,
      organization: organizationName,
      setPasswordPath: `/reset-password/${token}`,
      expiresAt,
    };
  });
}
