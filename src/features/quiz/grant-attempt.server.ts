/**
 * "Allow one more attempt": a learner who used every attempt of a quiz asks their manager, who grants one more (a
 * row in `attempt_grant`, counted by the start check through attempt-grants.server.ts). A grant is only given to
 * someone out of attempts with no unused grant (none made after their newest attempt started), so repeated clicks
 * cannot stack tries. Only a manager of the learner's team or an admin of their organization may grant; every
 * grant is audit-logged.
 */
import { getDb } from '../../../db/client';
import { attemptGrantTable } from '../../../db/schema';
import { writeAudit } from '../../lib/server/audit';
import { getQuiz } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { canOversee } from '../../lib/server/oversight';
import type { SessionUser } from '../../lib/server/session';
import { writeTransaction } from '../../lib/server/write-lock';
import { hasUnusedGrant } from './attempt-grants.server';
import { quizStanding } from './quiz.server';
import { Refusal } from '../../lib/refusal';

/** Of these quizzes, the ones where the learner is out of attempts and may be given one more. */
export async function quizzesOutOfAttempts(userId: string, quizIds: Iterable<string>): Promise<string[]> {
  const out: string[] = [];
  for (const quizId of new Set(quizIds)) {
    const quiz = await getQuiz(quizId);
    if (!quiz) continue;
    const { next } = await quizStanding(userId, quiz);
    if (!next.ok && next.reason === 'max-attempts' && !(await hasUnusedGrant(getDb(), userId, quizId)))
      out.push(quizId);
  }
  return out;
}

export class GrantError extends Refusal<never, 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'> {}

type Actor = Pick<SessionUser, 'id' | 'role' | 'organizationId'>;

/** Records one more attempt for `learnerId` at `quizId`, if `actor` oversees them and they are out of attempts. */
export async function grantExtraAttempt(actor: Actor, learnerId: string, quizId: string): Promise<{ grantId: string }> {
  if (actor.role !== 'manager' && actor.role !== 'admin')
    throw new GrantError('FORBIDDEN', 'Only managers and admins allow extra attempts.');
  if (actor.id === learnerId)
    throw new GrantError('FORBIDDEN', 'Ask your own manager or an admin for another attempt.');
  // Someone the actor does not oversee is "not found", as on the person page.
  if (!(await canOversee(actor, learnerId)))
    throw new GrantError('NOT_FOUND', 'There is no such person on your teams.');
  if (!(await getQuiz(quizId))) throw new GrantError('NOT_FOUND', 'There is no such quiz.');
  if (!(await quizzesOutOfAttempts(learnerId, [quizId])).includes(quizId)) {
    throw new GrantError('CONFLICT', 'They can still start this quiz (or already have an extra attempt waiting).');
  }
  return writeTransaction(async (tx) => {
    if (await hasUnusedGrant(tx, learnerId, quizId))
      throw new GrantError('CONFLICT', 'They already have an extra attempt waiting.');
    const grantId = newId();
    await tx
      .insert(attemptGrantTable)
      .values({ id: grantId, userId: learnerId, quizId, grantedBy: actor.id, createdAt: now() });
    await writeAudit(tx, {
      organizationId: actor.organizationId,
      actorId: actor.id,
      action: 'quiz.attempt_granted',
      target: learnerId,
      detail: { quizId, grantId },
    });
    return { grantId };
  });
}
