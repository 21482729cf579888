/**
 * Whose learning records a person may read: their own; a manager, those of the members of the teams they manage;
 * an admin, everyone in their organization. Used by pages and actions that show one learner's runs, answers and
 * reviews to someone else.
 */
import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '../../../db/client';
import { membershipTable, userTable } from '../../../db/schema';
import type { SessionUser } from './session';

export async function canOversee(
  viewer: Pick<SessionUser, 'id' | 'role' | 'organizationId'>,
  learnerId: string,
): Promise<boolean> {
  if (viewer.id === learnerId) return true;
  const db = getDb();
  if (viewer.role === 'admin') {
    const [row] = await db
      .select({ id: userTable.id })
      .from(userTable)
      .where(and(eq(userTable.id, learnerId), eq(userTable.organizationId, viewer.organizationId)));
    return row !== undefined;
  }
  if (viewer.role !== 'manager') return false;
  const managed = alias(membershipTable, 'managed');
  const [row] = await db
    .select({ teamId: membershipTable.teamId })
    .from(membershipTable)
    .innerJoin(
      managed,
      and(eq(managed.teamId, membershipTable.teamId), eq(managed.kind, 'manager'), eq(managed.userId, viewer.id)),
    )
    .where(and(eq(membershipTable.userId, learnerId), eq(membershipTable.kind, 'member')))
    .limit(1);
  return row !== undefined;
}
