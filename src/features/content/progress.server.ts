/**
 * Progress through a track as the curriculum pages show it: a module counts as done once its quiz has a passing,
 * submitted attempt in the quiz's own mode (a practice run of a certification quiz passes nothing; until then every
 * module reads "not started").
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { quizAttemptTable } from '../../../db/schema';
import { listQuizzes } from '../../lib/server/catalog';

async function practiceQuizIds(): Promise<string[]> {
  return (await listQuizzes()).filter((q) => q.mode === 'practice').map((q) => q.id);
}

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
        // Practice attempts count only for a practice quiz (whose every attempt is one).
        or(eq(quizAttemptTable.mode, 'certification'), sql`${quizAttemptTable.quizId} IN (SELECT value FROM json_each(${JSON.stringify(await practiceQuizIds())}))`),
      ),
    );
  return new Set(rows.map((r) => r.quizId));
}
