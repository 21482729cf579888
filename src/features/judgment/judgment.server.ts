/**
 * Judgment answers and manager reviews in the database. A learner's FIRST answer to a case is the one on record:
 * its auto score, its place in the review queue, the reports. Answering again is allowed after the reasoning is
 * revealed, but only as practice: the row is kept (`practice`) and shown to the learner as such, and never replaces
 * the one on record (a partial unique index allows one non-practice answer per learner and case, whatever races).
 * Only answers on record with free text enter the review queue; each is reviewed once, by a manager of the
 * learner's team or an admin of their organization, never by the learner.
 */
import { and, count, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '../../../db/client';
import { judgmentAnswerTable, judgmentReviewTable, userTable } from '../../../db/schema';
import { getCase } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { writeTransaction } from '../../lib/server/write-lock';
import { canOversee } from '../../lib/server/oversight';
import { overseenLearners } from '../../lib/server/team-scope';
import type { SessionUser } from '../../lib/server/session';
import type { JudgmentCase } from '../content/schema';
import { checkRatings, revealCase, verdictFor, type Ratings, type RevealedOption, type Verdict } from './judgment';
import { Refusal } from '../../lib/refusal';

export type Answer = typeof judgmentAnswerTable.$inferSelect;
export type Review = typeof judgmentReviewTable.$inferSelect;
type Viewer = Pick<SessionUser, 'id' | 'role' | 'organizationId'>;

export class JudgmentError extends Refusal<never, 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT' | 'FORBIDDEN'> {}

async function loadCase(caseId: string): Promise<JudgmentCase> {
  const c = await getCase(caseId);
  if (!c) throw new JudgmentError('NOT_FOUND', 'There is no such judgment case.');
  return c;
}

/**
 * A no-JS answer is a form post to the lesson page, so reloading that page posts it again. The same option and text
 * within a few minutes is that replay, not a second answer: keep the first.
 */
const REPLAY_WINDOW_MS = 10 * 60 * 1000;
function isReplay(last: Answer, next: Answer): boolean {
  return (
    last.optionId === next.optionId && last.text === next.text && next.createdAt - last.createdAt < REPLAY_WINDOW_MS
  );
}

export interface AnswerResult {
  answer: Answer;
  /** Every option's reasoning, the one just chosen and the one on record marked. */
  options: RevealedOption[];
  /** How the choice compares with the strongest call. */
  verdict: Verdict;
}

export async function submitAnswer(
  userId: string,
  input: { caseId: string; optionId: string; text?: string | undefined },
): Promise<AnswerResult> {
  const c = await loadCase(input.caseId);
  const option = c.options.find((o) => o.id === input.optionId);
  if (!option) throw new JudgmentError('BAD_REQUEST', 'Choose one of the options shown.');
  // Free text is only collected where the case asks for it; elsewhere it would sit in a queue nobody expects.
  const text = c.prompt ? (input.text ?? null) : null;
  const answer: Answer = {
    id: newId(),
    userId,
    caseId: c.id,
    optionId: option.id,
    text,
    autoScore: option.score,
    practice: false,
    createdAt: now(),
  };
  const { stored, recorded } = await writeTransaction(async (tx) => {
    const mine = await tx
      .select()
      .from(judgmentAnswerTable)
      .where(and(eq(judgmentAnswerTable.userId, userId), eq(judgmentAnswerTable.caseId, c.id)))
      .orderBy(desc(judgmentAnswerTable.createdAt));
    const onRecord = mine.find((a) => !a.practice);
    if (mine[0] && isReplay(mine[0], answer)) return { stored: mine[0], recorded: onRecord ?? mine[0] };
    // The first answer goes on record; if one already is (or another request just put one there), this is practice.
    const inserted = onRecord
      ? []
      : await tx.insert(judgmentAnswerTable).values(answer).onConflictDoNothing().returning();
    if (inserted[0]) return { stored: inserted[0], recorded: inserted[0] };
    const practice: Answer = { ...answer, practice: true };
    await tx.insert(judgmentAnswerTable).values(practice);
    const [first] = onRecord ? [onRecord] : await tx.select().from(judgmentAnswerTable).where(onRecordOf(userId, c.id));
    return { stored: practice, recorded: first! };
  });
  return { answer: stored, options: revealCase(c, option.id, recorded.optionId), verdict: verdictFor(c, option.id) };
}

const onRecordOf = (userId: string, caseId: string) =>
  and(
    eq(judgmentAnswerTable.userId, userId),
    eq(judgmentAnswerTable.caseId, caseId),
    eq(judgmentAnswerTable.practice, false),
  );

export interface CaseAnswers {
  /** The first answer: the one that counts, with its review if there is one. */
  onRecord: { answer: Answer; review: Review | null };
  /** The newest practice answer given after it, if any. */
  practice?: Answer;
}

/** A learner's answer on record to a case (with its review) and their newest practice answer. */
export async function answersTo(userId: string, caseId: string): Promise<CaseAnswers | undefined> {
  const db = getDb();
  const [row] = await db
    .select({ answer: judgmentAnswerTable, review: judgmentReviewTable })
    .from(judgmentAnswerTable)
    .leftJoin(judgmentReviewTable, eq(judgmentReviewTable.answerId, judgmentAnswerTable.id))
    .where(onRecordOf(userId, caseId));
  if (!row) return undefined;
  const [practice] = await db
    .select()
    .from(judgmentAnswerTable)
    .where(
      and(
        eq(judgmentAnswerTable.userId, userId),
        eq(judgmentAnswerTable.caseId, caseId),
        eq(judgmentAnswerTable.practice, true),
      ),
    )
    .orderBy(desc(judgmentAnswerTable.createdAt))
    .limit(1);
  return { onRecord: { answer: row.answer, review: row.review }, ...(practice ? { practice } : {}) };
}

export interface QueueItem {
  answer: Answer;
  learner: { id: string; name: string };
  review: (Review & { reviewerName: string }) | null;
}

/**
 * Free-text answers on record the viewer may review, newest first: a manager's team members', or for an admin
 * everyone's in the organization; never the viewer's own, never practice: either those waiting for a review or
 * those reviewed.
 */
export async function reviewQueue(
  viewer: Viewer,
  filter: { state: 'pending' | 'reviewed'; limit?: number },
): Promise<QueueItem[]> {
  if (viewer.role !== 'admin' && viewer.role !== 'manager') return [];
  const db = getDb();
  const reviewer = alias(userTable, 'reviewer');
  const scope = overseenLearners(viewer, judgmentAnswerTable.userId, db);
  const rows = await db
    .select({
      answer: judgmentAnswerTable,
      learner: { id: userTable.id, name: userTable.name },
      review: judgmentReviewTable,
      reviewerName: reviewer.name,
    })
    .from(judgmentAnswerTable)
    .innerJoin(userTable, eq(userTable.id, judgmentAnswerTable.userId))
    .leftJoin(judgmentReviewTable, eq(judgmentReviewTable.answerId, judgmentAnswerTable.id))
    .leftJoin(reviewer, eq(reviewer.id, judgmentReviewTable.reviewerId))
    .where(
      and(
        isNotNull(judgmentAnswerTable.text),
        eq(judgmentAnswerTable.practice, false),
        ne(judgmentAnswerTable.userId, viewer.id),
        scope,
        filter.state === 'pending' ? isNull(judgmentReviewTable.answerId) : isNotNull(judgmentReviewTable.answerId),
      ),
    )
    .orderBy(desc(judgmentAnswerTable.createdAt))
    .limit(filter.limit ?? 200);
  return rows.map((r) => ({
    answer: r.answer,
    learner: r.learner,
    review: r.review ? { ...r.review, reviewerName: r.reviewerName ?? '' } : null,
  }));
}

/** How many written answers wait for the viewer's review (what the nav badge and /team show); 0 for non-staff. */
export async function pendingReviewCount(viewer: Viewer): Promise<number> {
  if (viewer.role !== 'admin' && viewer.role !== 'manager') return 0;
  const db = getDb();
  const [row] = await db
    .select({ n: count() })
    .from(judgmentAnswerTable)
    // overseenLearners reads the learner's row (an admin's scope is their organization).
    .innerJoin(userTable, eq(userTable.id, judgmentAnswerTable.userId))
    .leftJoin(judgmentReviewTable, eq(judgmentReviewTable.answerId, judgmentAnswerTable.id))
    .where(
      and(
        isNotNull(judgmentAnswerTable.text),
        eq(judgmentAnswerTable.practice, false),
        ne(judgmentAnswerTable.userId, viewer.id),
        overseenLearners(viewer, judgmentAnswerTable.userId, db),
        isNull(judgmentReviewTable.answerId),
      ),
    );
  return row?.n ?? 0;
}

export async function submitReview(
  viewer: Viewer,
  input: { answerId: string; ratings: Ratings; comment: string },
): Promise<Review> {
  const db = getDb();
  const [answer] = await db.select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.id, input.answerId));
  // Answers outside the reviewer's teams look exactly like missing ones.
  if (!answer || answer.userId === viewer.id || !(await canOversee(viewer, answer.userId))) {
    throw new JudgmentError('NOT_FOUND', 'There is no such answer in your review queue.');
  }
  if (answer.text === null) throw new JudgmentError('BAD_REQUEST', 'Only written answers are reviewed.');
  if (answer.practice)
    throw new JudgmentError('BAD_REQUEST', 'Practice answers are not reviewed: the first answer is the one on record.');
  const c = await loadCase(answer.caseId);
  const problem = checkRatings(c, input.ratings);
  if (problem) throw new JudgmentError('BAD_REQUEST', problem);
  const review: Review = {
    answerId: answer.id,
    reviewerId: viewer.id,
    ratings: input.ratings,
    comment: input.comment,
    createdAt: now(),
  };
  // The answer id is the review's primary key: a second review (or a double submit) inserts nothing.
  const inserted = await writeTransaction((tx) =>
    tx.insert(judgmentReviewTable).values(review).onConflictDoNothing().returning({ id: judgmentReviewTable.answerId }),
  );
  if (inserted.length === 0) throw new JudgmentError('CONFLICT', 'This answer has already been reviewed.');
  return review;
}

/** A learner's reviewed answers, newest review first: what /learn shows under "Comments from your manager". */
export async function reviewsFor(
  userId: string,
  limit = 20,
): Promise<(QueueItem & { review: Review & { reviewerName: string } })[]> {
  const reviewer = alias(userTable, 'reviewer');
  const rows = await getDb()
    .select({
      answer: judgmentAnswerTable,
      review: judgmentReviewTable,
      reviewerName: reviewer.name,
      learnerName: userTable.name,
    })
    .from(judgmentAnswerTable)
    .innerJoin(judgmentReviewTable, eq(judgmentReviewTable.answerId, judgmentAnswerTable.id))
    .innerJoin(reviewer, eq(reviewer.id, judgmentReviewTable.reviewerId))
    .innerJoin(userTable, eq(userTable.id, judgmentAnswerTable.userId))
    .where(eq(judgmentAnswerTable.userId, userId))
    .orderBy(desc(judgmentReviewTable.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    answer: r.answer,
    learner: { id: userId, name: r.learnerName },
    review: { ...r.review, reviewerName: r.reviewerName },
  }));
}
