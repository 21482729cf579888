/** The audit trail: one append-only row per admin or manager action (and per account created or password changed). */
import type { Db, Tx } from '../../../db/client';
import { auditLogTable } from '../../../db/schema';
import { now } from './clock';
import { newId } from './ids';

export interface AuditEntry {
  organizationId: string;
  /** null: no person (a SCIM token, or a refused single sign-on) */
  actorId: string | null;
  /** dotted verb, e.g. `invite.created`, `user.deactivated` */
  action: string;
  /** id of the record acted on */
  target: string;
  detail?: Record<string, unknown>;
}

export async function writeAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLogTable).values({ id: newId(), createdAt: now(), detail: null, ...entry });
}
