/**
 * Reading "allow one more attempt" grants (data shape in db/schema.ts `attemptGrantTable`): each grant raises a
 * quiz's maximum by one for the certification cycle it was given in, so the start check passes
 * `grantedAttempts(tx, user, quiz, since)` to `canStart` as `extraAttempts`. Kept apart from the code that gives
 * grants (grant-attempt.server.ts) so quiz.server.ts can import it without an import cycle.
 */
import { and, count, desc, eq, gte } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client';
import { attemptGrantTable, quizAttemptTable } from '../../../db/schema';

/** Extra attempts granted to a learner for a quiz since `since` (the start of the current certification cycle). */
export async function grantedAttempts(db: Db | Tx, userId: string, quizId: string, since: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(attemptGrantTable)
    .where(
      and(
        eq(attemptGrantTable.userId, userId),
        eq(attemptGrantTable.quizId, quizId),
        gte(attemptGrantTable.createdAt, since),
      ),
    );
  return row?.n ?? 0;
}

/** Whether the newest grant for this quiz was made after the newest attempt started (so it is still unused). */
export async function hasUnusedGrant(db: Db | Tx, userId: string, quizId: string): Promise<boolean> {
  const [grant] = await db
    .select({ at: attemptGrantTable.createdAt })
    .from(attemptGrantTable)
    .where(and(eq(attemptGrantTable.userId, userId), eq(attemptGrantTable.quizId, quizId)))
    .orderBy(desc(attemptGrantTable.createdAt))
    .limit(1);
  if (!grant) return false;
  const [attempt] = await db
    .select({ at: quizAttemptTable.startedAt })
    .from(quizAttemptTable)
    .where(
      and(
        eq(quizAttemptTable.userId, userId),
        eq(quizAttemptTable.quizId, quizId),
        eq(quizAttemptTable.mode, 'certification'),
      ),
    )
    .orderBy(desc(quizAttemptTable.startedAt))
    .limit(1);
  return !attempt || grant.at > attempt.at;
}
