/**
 * One learner's record for the drill-down page: who they are and their team, their quiz attempts and their
 * judgment answers with any review. Role-play runs come from roleplay.server.ts (listRuns). Each list is the newest
 * `limit` rows through the per-user indexes.
 */
import { and, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '../../../db/client';
import {
  judgmentAnswerTable,
  judgmentReviewTable,
  membershipTable,
  quizAttemptTable,
  teamTable,
  userTable,
} from '../../../db/schema';
import type { Member } from '../../lib/server/team-scope';

export interface PersonInfo extends Member {
  role: string;
  organizationId: string;
  active: boolean;
  teamName: string | null;
}

/** The person with their team (as a member); undefined when there is no such user. */
export async function findPerson(userId: string): Promise<PersonInfo | undefined> {
  const [row] = await getDb()
    .select({
      id: userTable.id,
      name: userTable.name,
      email: userTable.email,
      job: userTable.job,
      hireDate: userTable.hireDate,
      role: userTable.role,
      organizationId: userTable.organizationId,
      active: userTable.active,
      teamId: membershipTable.teamId,
      teamName: teamTable.name,
    })
    .from(userTable)
    .leftJoin(membershipTable, and(eq(membershipTable.userId, userTable.id), eq(membershipTable.kind, 'member')))
    .leftJoin(teamTable, eq(teamTable.id, membershipTable.teamId))
    .where(eq(userTable.id, userId));
  return row && { ...row, teamId: row.teamId ?? '' };
}

/** Newest quiz attempts, any mode and status. */
export async function recentAttempts(userId: string, limit = 50) {
  return getDb()
    .select({
      id: quizAttemptTable.id,
      quizId: quizAttemptTable.quizId,
      mode: quizAttemptTable.mode,
      status: quizAttemptTable.status,
      score: quizAttemptTable.score,
      passed: quizAttemptTable.passed,
      startedAt: quizAttemptTable.startedAt,
      submittedAt: quizAttemptTable.submittedAt,
    })
    .from(quizAttemptTable)
    .where(eq(quizAttemptTable.userId, userId))
    .orderBy(desc(quizAttemptTable.startedAt))
    .limit(limit);
}

/** Newest judgment answers (on record and practice, each flagged), each with its review (and reviewer's name) when there is one. */
export async function judgmentHistory(userId: string, limit = 50) {
  const reviewer = alias(userTable, 'reviewer');
  const rows = await getDb()
    .select({ answer: judgmentAnswerTable, review: judgmentReviewTable, reviewerName: reviewer.name })
    .from(judgmentAnswerTable)
    .leftJoin(judgmentReviewTable, eq(judgmentReviewTable.answerId, judgmentAnswerTable.id))
    .leftJoin(reviewer, eq(reviewer.id, judgmentReviewTable.reviewerId))
    .where(eq(judgmentAnswerTable.userId, userId))
    .orderBy(desc(judgmentAnswerTable.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    answer: r.answer,
    review: r.review && {
      ...r.review,
      ratings: r.review.ratings,
      reviewerName: r.reviewerName ?? '',
    },
  }));
}
