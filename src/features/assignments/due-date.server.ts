/**
 * Extending a due date: the viewer must oversee the person (their manager, or an admin of the organization), the
 * assignment must still be open, and the new date must pass checkExtension. The change and its audit entry (old
 * and new date, the reason) are one transaction; the check reads the row inside it, so two extensions at once
 * cannot both move the date from the same old value.
 */
import { eq } from 'drizzle-orm';
import { assignmentTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { canOversee } from '../../lib/server/oversight';
import type { Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import { isoDateOf } from './assignments';
import { AssignmentError, completedAtSql } from './assignments.server';
import { checkExtension, type ExtendDue } from './due-date';

export async function extendDueDate(actor: Viewer, input: ExtendDue): Promise<{ userId: string; dueAt: number }> {
  const at = now();
  return writeTransaction(async (tx) => {
    const [row] = await tx
      .select({
        userId: assignmentTable.userId,
        dueAt: assignmentTable.dueAt,
        trackId: assignmentTable.trackId,
        completedAt: completedAtSql,
        organizationId: userTable.organizationId,
      })
      .from(assignmentTable)
      .innerJoin(userTable, eq(userTable.id, assignmentTable.userId))
      .where(eq(assignmentTable.id, input.assignment));
    // Someone else's assignment reads exactly like a missing one.
    if (
      !row ||
      row.organizationId !== actor.organizationId ||
      row.userId === actor.id ||
      !(await canOversee(actor, row.userId))
    ) {
      throw new AssignmentError('NOT_FOUND', 'There is no such assignment among the people you manage.');
    }
    if (row.completedAt !== null && row.completedAt <= at) {
      throw new AssignmentError('BAD_REQUEST', 'This track is already completed, so it has no due date to move.');
    }
    const checked = checkExtension(row.dueAt, input.due, at);
    if ('error' in checked) throw new AssignmentError('BAD_REQUEST', checked.error);
    await tx.update(assignmentTable).set({ dueAt: checked.dueAt }).where(eq(assignmentTable.id, input.assignment));
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'assignment.due_extended',
      target: input.assignment,
      detail: {
        userId: row.userId,
        trackId: row.trackId,
        from: isoDateOf(row.dueAt),
        to: input.due,
        reason: input.reason,
      },
    });
    return { userId: row.userId, dueAt: checked.dueAt };
  });
}
