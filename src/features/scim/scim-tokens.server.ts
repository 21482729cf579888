/**
 * SCIM bearer tokens (`scim_token`): an admin makes one on /admin/scim-tokens for an identity provider, with the
 * resources it may use (Users, Groups). Only its SHA-256 is stored; the token is shown once, on the answer to the
 * form that made it. Revoking is immediate: the next request with it is refused.
 */
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { scimTokenTable, type ScimScope } from '../../../db/schema';
import { writeAudit } from '../../lib/server/audit';
import { now } from '../../lib/server/clock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import type { SessionUser } from '../../lib/server/session';
import { writeTransaction } from '../../lib/server/write-lock';

export type ScimToken = typeof scimTokenTable.$inferSelect;
const LAST_USED_PRECISION_MS = 60_000;

export async function createScimToken(
  admin: SessionUser,
  input: { name: string; scopes: ScimScope[] },
): Promise<{ token: string; row: ScimToken }> {
  const token = `scim_${randomToken(24)}`;
  const row: ScimToken = {
    id: newId(),
    organizationId: admin.organizationId,
    name: input.name,
    tokenHash: sha256Hex(token),
    scopes: [...new Set(input.scopes)],
    createdBy: admin.id,
    createdAt: now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await writeTransaction(async (tx) => {
    await tx.insert(scimTokenTable).values(row);
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'scim-token.created',
      target: row.id,
      detail: { name: row.name, scopes: row.scopes },
    });
  });
  return { token, row };
}

export async function listScimTokens(organizationId: string): Promise<ScimToken[]> {
  return getDb()
    .select()
    .from(scimTokenTable)
    .where(eq(scimTokenTable.organizationId, organizationId))
    .orderBy(desc(scimTokenTable.createdAt));
}

export async function revokeScimToken(admin: SessionUser, id: string): Promise<boolean> {
  return writeTransaction(async (tx) => {
    const done = await tx
      .update(scimTokenTable)
      .set({ revokedAt: now() })
      .where(
        and(
          eq(scimTokenTable.id, id),
          eq(scimTokenTable.organizationId, admin.organizationId),
          isNull(scimTokenTable.revokedAt),
        ),
      )
      .returning({ id: scimTokenTable.id });
    if (done.length === 0) return false;
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'scim-token.revoked',
      target: id,
    });
    return true;
  });
}

/** The live token an `Authorization: Bearer …` header carries, or undefined. */
export async function authenticateScim(header: string | null): Promise<ScimToken | undefined> {
  const m = /^Bearer\s+(scim_[a-z2-7]{39})\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const [row] = await getDb()
    .select()
    .from(scimTokenTable)
    .where(eq(scimTokenTable.tokenHash, sha256Hex(m[1]!)));
  if (!row || row.revokedAt !== null) return undefined;
  const t = now();
  if (row.lastUsedAt === null || row.lastUsedAt < t - LAST_USED_PRECISION_MS) {
    await getDb()
      .update(scimTokenTable)
      .set({ lastUsedAt: t })
      .where(
        and(
          eq(scimTokenTable.id, row.id),
          or(isNull(scimTokenTable.lastUsedAt), lt(scimTokenTable.lastUsedAt, t - LAST_USED_PRECISION_MS)),
        ),
      );
  }
  return row;
}
