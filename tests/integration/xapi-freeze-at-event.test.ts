/**
 * Statements are frozen with the event, in its transaction: a quiz submitted through the real submit path has its
 * statements stored at that moment with that moment's content; a later content edit (or catch-up) changes none of
 * them. Without any organization IRI to fix (no SITE_URL, no request yet), the submit still succeeds and the
 * catch-up freezes its statements later.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { certificationEventTable, organizationTable, xapiStatementTable } from '../../db/schema';
import { contentLookup, freezeMissingStatements } from '../../src/features/exports/xapi/freeze.server';
import type { Statement } from '../../src/features/exports/xapi/schema';
import { frozenOf, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
import { allKindsQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { addQuiz, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

let org: string;
beforeAll(async () => {
  await freshDb();
  org = await makeOrg();
});
afterEach(() => {
  resetFakeContent();
  delete process.env.XAPI_ORGANIZATION_IRI;
});

/** A second quiz of the same module: once the first is passed, its retakes are practice (which makes no statements). */
const secondQuiz = { ...allKindsQuiz, id: 'all-kinds-second' };

async function submitted(userId: string, quiz = allKindsQuiz) {
  addQuiz(allKindsQuiz);
  addQuiz(secondQuiz);
  addTrack({ id: 'track-1', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
  const { attempt } = await startAttempt(userId, quiz.id);
  const result = await submitAttempt({
    userId,
    attemptId: attempt.id,
    answers: perfectAnswers(quiz, frozenOf(attempt)),
  });
  return result.attempt;
}

/** Certification events of a person (the first pass of the quiz certifies the track: one `issued` each). */
const eventsOf = async (userId: string) =>
  (await getDb().select().from(certificationEventTable).where(eq(certificationEventTable.userId, userId))).length;

const statementsOf = (attemptId: string) =>
  getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.sourceId, attemptId));

describe('freezing at the event', () => {
  it('stores the attempt and its answers as the submit commits, and a content edit changes none of it', async () => {
    const user = await makeLearner(org);
    const attempt = await submitted(user);
    // No IRI source yet: the submit went through, its statements wait for the catch-up.
    expect(await statementsOf(attempt.id)).toEqual([]);
    process.env.XAPI_ORGANIZATION_IRI = 'https://academy.example';
    const later = await submitted(user, secondQuiz);
    const rows = await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.userId, user));
    const own = rows.filter((r) => r.sourceId === later.id || r.sourceId.startsWith(`${later.id}:`));
    expect(own).toHaveLength(1 + frozenOf(later).length);
    expect(own.every((r) => r.storedAt === later.submittedAt)).toBe(true);
    const [passed] = own.filter((r) => r.source === 'attempt');
    expect((passed!.statement as Statement).object.definition?.name).toEqual({ 'en-US': allKindsQuiz.title });
    expect(
      (
        await getDb()
          .select({ iri: organizationTable.xapiIri })
          .from(organizationTable)
          .where(eq(organizationTable.id, org))
      )[0]!.iri,
    ).toBe('https://academy.example');

    // The quiz is renamed; the catch-up freezes the first attempt now (with today's title) and leaves the rest.
    const renamed = { ...allKindsQuiz, title: 'Renamed quiz' };
    fakeContent.quizzes = [renamed];
    // The first attempt's statements, and the certificate its pass issued (also made before there was an IRI).
    expect(await freezeMissingStatements(getDb(), contentLookup({ quizzes: [renamed] }), Date.now())).toBe(
      1 + frozenOf(attempt).length + 1,
    );
    const again = await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.userId, user));
    expect(again.filter((r) => own.some((o) => o.seq === r.seq))).toEqual(own);
    const caughtUp = again.find((r) => r.source === 'attempt' && r.sourceId === attempt.id)!;
    expect((caughtUp.statement as Statement).object.definition?.name).toEqual({ 'en-US': 'Renamed quiz' });
  });

  it('freezes each record once when two catch-ups run at the same time', async () => {
    const user = await makeLearner(org);
    const attempts = [await submitted(user), await submitted(user, secondQuiz)];
    process.env.XAPI_ORGANIZATION_IRI = 'https://academy.example';
    await getDb().delete(xapiStatementTable).where(eq(xapiStatementTable.userId, user));
    const lookup = contentLookup({ quizzes: [allKindsQuiz, secondQuiz] });
    const [a, b] = await Promise.all([
      freezeMissingStatements(getDb(), lookup, Date.now()),
      freezeMissingStatements(getDb(), lookup, Date.now()),
    ]);
    const expected = attempts.reduce((n, x) => n + 1 + frozenOf(x).length, 0) + (await eventsOf(user));
    expect(a + b).toBe(expected);
    expect(await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.userId, user))).toHaveLength(
      expected,
    );
  });
});
