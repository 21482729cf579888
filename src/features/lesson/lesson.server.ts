/**
 * Lesson completions in the database: the "this person read this lesson" fact. Finishing a lesson records the
 * module's current content version; finishing it again is a no-op (the primary key is user, module, version), so a
 * reload, a second tab or a double click never adds a row.
 */
import { and, desc, eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { lessonCompletionTable } from '../../../db/schema';
import { getModuleInfo, moduleVersion } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import { writeTransaction } from '../../lib/server/write-lock';
import type { Completion } from './lesson';
import { Refusal } from '../../lib/refusal';

export class LessonError extends Refusal<never, 'NOT_FOUND'> {}

/** Records that `userId` finished the module's lesson as it reads now; returns the completion that holds (new or earlier). */
export async function completeLesson(userId: string, moduleId: string): Promise<Completion> {
  const [module, version] = await Promise.all([getModuleInfo(moduleId), moduleVersion(moduleId)]);
  if (!module || !version) throw new LessonError('NOT_FOUND', 'There is no such lesson.');
  const row = { userId, moduleId: module.slug, contentVersion: version, completedAt: now() };
  return writeTransaction(async (tx) => {
    await tx.insert(lessonCompletionTable).values(row).onConflictDoNothing();
    const [stored] = await tx
      .select({
        moduleId: lessonCompletionTable.moduleId,
        contentVersion: lessonCompletionTable.contentVersion,
        completedAt: lessonCompletionTable.completedAt,
      })
      .from(lessonCompletionTable)
      .where(
        and(
          eq(lessonCompletionTable.userId, userId),
          eq(lessonCompletionTable.moduleId, row.moduleId),
          eq(lessonCompletionTable.contentVersion, version),
        ),
      );
    return stored ?? row;
  });
}

/** Every lesson the user has finished, newest first, one entry per module and content version. */
export async function lessonCompletions(userId: string, moduleId?: string): Promise<Completion[]> {
  return getDb()
    .select({
      moduleId: lessonCompletionTable.moduleId,
      contentVersion: lessonCompletionTable.contentVersion,
      completedAt: lessonCompletionTable.completedAt,
    })
    .from(lessonCompletionTable)
    .where(
      moduleId === undefined
        ? eq(lessonCompletionTable.userId, userId)
        : and(eq(lessonCompletionTable.userId, userId), eq(lessonCompletionTable.moduleId, moduleId)),
    )
    .orderBy(desc(lessonCompletionTable.completedAt));
}
