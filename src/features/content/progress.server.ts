/**
 * Progress through a track as the curriculum pages show it: a module counts as done once its quiz has a passing,
 * submitted attempt (the quiz engine writes those rows; until then every module reads "not started").
 */
import { and, eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { quizAttemptTable } from '../../../db/schema';

/** Of `quizIds`, those the user has passed at least once. */
export async function passedQuizzes(userId: string, quizIds: readonly string[]): Promise<Set<string>> {
  if (quizIds.length === 0) return new Set();
  const rows = await getDb()
    .selectDistinct({ quizId: quizAttemptTable.quizId })
    .from(quizAttemptTable)
    .where(
      and(
        eq(quizAttemptTable.userId, userId),
        inArray(quizAttemptTable.quizId, [...quizIds]),
        eq(quizAttemptTable.status, 'submitted'),
        eq(quizAttemptTable.passed, true),
      ),
    );
  return new Set(rows.map((r) => r.quizId));
}
