/**
 * LRS credentials in the database (`lrs_credential`): made by an admin for an LRS or reporting tool that pulls
 * GET /api/xapi/statements with HTTP Basic, scoped to the organization or some of its teams, shown once, revocable.
 * The key is the public half; of the secret only its SHA-256 is kept (it is 256 random bits, so a fast hash is
 * enough), compared in constant time.
 */
import { and, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { getDb } from '../../../db/client';
import { lrsCredentialTable, teamTable } from '../../../db/schema';
import { writeAudit } from '../../lib/server/audit';
import { now } from '../../lib/server/clock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import { memberIdsOf } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import type { CredentialForm } from './lrs-credentials';
import type { XapiScope } from './xapi/xapi.server';
import { Refusal } from '../../lib/refusal';

export type LrsCredential = typeof lrsCredentialTable.$inferSelect;

/** A refused credential form: the message, and the field it is about. */
export class CredentialError extends Refusal {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('BAD_REQUEST', message);
  }
}

interface Admin {
  id: string;
  organizationId: string;
}

/** Makes a credential; returns it with its secret, which is never shown again. */
export async function createCredential(
  admin: Admin,
  form: CredentialForm,
): Promise<{ credential: LrsCredential; secret: string }> {
  let teamIds: string[] | null = null;
  if (form.scope === 'teams') {
    if (form.teams.length === 0)
      throw new CredentialError('Choose at least one team, or the whole organization.', 'teams');
    teamIds = [...new Set(form.teams)];
    const known = await getDb()
      .select({ id: teamTable.id })
      .from(teamTable)
      .where(and(eq(teamTable.organizationId, admin.organizationId), inArray(teamTable.id, teamIds)));
    if (known.length !== teamIds.length) throw new CredentialError('Choose teams of your organization.', 'teams');
  }
  const secret = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const credential: LrsCredential = {
    id: newId(),
    organizationId: admin.organizationId,
    name: form.name,
    key: `lrs_${randomToken(15)}`,
    secretHash: sha256Hex(secret),
    teamIds,
    createdBy: admin.id,
    createdAt: now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await writeTransaction(async (tx) => {
    await tx.insert(lrsCredentialTable).values(credential);
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'lrs-credential.created',
      target: credential.id,
      detail: { name: credential.name, teamIds },
    });
  });
  return { credential, secret };
}

export async function listCredentials(organizationId: string): Promise<LrsCredential[]> {
  return getDb()
    .select()
    .from(lrsCredentialTable)
    .where(eq(lrsCredentialTable.organizationId, organizationId))
    .orderBy(desc(lrsCredentialTable.createdAt));
}

/** Revokes one of the admin's organization's credentials; false when there is no such live credential. */
export async function revokeCredential(admin: Admin, id: string): Promise<boolean> {
  return writeTransaction(async (tx) => {
    const done = await tx
      .update(lrsCredentialTable)
      .set({ revokedAt: now() })
      .where(
        and(
          eq(lrsCredentialTable.id, id),
          eq(lrsCredentialTable.organizationId, admin.organizationId),
          isNull(lrsCredentialTable.revokedAt),
        ),
      );
    if (done.rowsAffected !== 1) return false;
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'lrs-credential.revoked',
      target: id,
    });
    return true;
  });
}

const LAST_USED_PRECISION_MS = 60_000;

/** The live credential a Basic key and secret name, or undefined. Notes its use (to the minute). */
export async function authenticateCredential(key: string, secret: string): Promise<LrsCredential | undefined> {
  const [credential] = await getDb().select().from(lrsCredentialTable).where(eq(lrsCredentialTable.key, key));
  if (!credential || credential.revokedAt !== null) return undefined;
  if (!constantTimeEqual(decodeHex(sha256Hex(secret)), decodeHex(credential.secretHash))) return undefined;
  const at = now();
  if (credential.lastUsedAt === null || at - credential.lastUsedAt >= LAST_USED_PRECISION_MS) {
    await getDb()
      .update(lrsCredentialTable)
      .set({ lastUsedAt: at })
      .where(
        and(
          eq(lrsCredentialTable.id, credential.id),
          or(isNull(lrsCredentialTable.lastUsedAt), lt(lrsCredentialTable.lastUsedAt, at - LAST_USED_PRECISION_MS)),
        ),
      );
  }
  return credential;
}

/** Whose statements a credential reads, narrowed to one of its teams by `teamId`; undefined for a team outside it. */
export async function credentialScope(credential: LrsCredential, teamId?: string): Promise<XapiScope | undefined> {
  const allowed = credential.teamIds;
  if (teamId) {
    const [team] = await getDb()
      .select({ id: teamTable.id })
      .from(teamTable)
      .where(and(eq(teamTable.id, teamId), eq(teamTable.organizationId, credential.organizationId)));
    if (!team || (allowed && !allowed.includes(teamId))) return undefined;
    return { organizationId: credential.organizationId, userIds: await memberIdsOf([teamId]) };
  }
  if (!allowed) return { organizationId: credential.organizationId };
  return { organizationId: credential.organizationId, userIds: await memberIdsOf(allowed) };
}
