/**
 * The per-row change time SCIM shows as `meta.lastModified`. A membership change changes both sides (the user's
 * `groups`, the team's `members`), so writers name every user and team whose SCIM view they changed.
 */
import { inArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { teamTable, userTable } from '../../../db/schema';

export async function markChanged(
  tx: Tx,
  t: number,
  changed: { users?: Iterable<string | null | undefined>; teams?: Iterable<string | null | undefined> },
): Promise<void> {
  const users = [...new Set(changed.users ?? [])].filter((id): id is string => !!id);
  const teams = [...new Set(changed.teams ?? [])].filter((id): id is string => !!id);
  if (users.length) await tx.update(userTable).set({ updatedAt: t }).where(inArray(userTable.id, users));
  if (teams.length) await tx.update(teamTable).set({ updatedAt: t }).where(inArray(teamTable.id, teams));
}
