/**
 * A submit reads its attempt before the write transaction and sends its writes together (one round trip to a
 * libSQL server), so the transaction holds only writes. These tests check that it still grades an attempt exactly
 * once — on the embedded file and on a real sqld — including when another app process changes the attempt between
 * the submit's read and its write: the losing submit's answers, standard results, statements and item tallies must
 * all be rolled back with its conditional update.
 */
import { createClient, type Client } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeDb, getDb, migrateDb } from '../../db/client';
import {
  certificateTable,
  itemTallyTable,
  organizationTable,
  quizAnswerTable,
  quizAttemptTable,
  standardResultTable,
  xapiStatementTable,
} from '../../db/schema';
import { contentLookup, freezeMissingStatements } from '../../src/features/exports/xapi/freeze.server';
import { frozenOf, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import { freshDb } from '../helpers/db';
import { resetFakeContent } from '../helpers/fake-catalog';
import { allKindsQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { addQuiz, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';
import { startSqld, type RunningSqld } from '../helpers/sqld';

/** Runs once, as the submit looks its quiz up: after it has read the attempt as open, before it writes. */
const hook = vi.hoisted(() => ({ betweenReadAndWrite: undefined as (() => Promise<void>) | undefined }));

vi.mock('../../src/lib/server/catalog', async () => {
  const fake = await import('../helpers/fake-catalog');
  return {
    ...fake,
    getQuiz: async (id: string) => {
      const run = hook.betweenReadAndWrite;
      hook.betweenReadAndWrite = undefined;
      await run?.();
      return fake.getQuiz(id);
    },
  };
});

const IRI = 'https://academy.example';

async function rowsOf(attemptId: string) {
  const db = getDb();
  const [attempt] = await db.select().from(quizAttemptTable).where(eq(quizAttemptTable.id, attemptId));
  const answers = await db.select().from(quizAnswerTable).where(eq(quizAnswerTable.attemptId, attemptId));
  const standards = await db.select().from(standardResultTable).where(eq(standardResultTable.sourceId, attemptId));
  const statements = (await db.select().from(xapiStatementTable)).filter(
    (s) => s.sourceId === attemptId || s.sourceId.startsWith(`${attemptId}:`),
  );
  return { attempt: attempt!, answers, standards, statements };
}

async function tallied(): Promise<number> {
  const rows = await getDb().select().from(itemTallyTable).where(eq(itemTallyTable.quizId, allKindsQuiz.id));
  return rows.filter((r) => r.questionId === '').reduce((n, r) => n + r.answers, 0);
}

describe.each(['an embedded file', 'sqld'])('submitting on %s', (backend) => {
  let sqld: RunningSqld | undefined;
  /** Another app process: its own client on the same database. */
  let other: Client;
  let org: string;

  beforeAll(async () => {
    if (backend === 'sqld') {
      sqld = await startSqld();
      closeDb();
      process.env.DATABASE_URL = sqld.url;
      await migrateDb();
    } else await freshDb();
    other = createClient({ url: process.env.DATABASE_URL! });
    org = await makeOrg();
    // A stored IRI: the submit builds its statements before the transaction (without one it freezes inside it).
    await getDb().update(organizationTable).set({ xapiIri: IRI }).where(eq(organizationTable.id, org));
    addQuiz(allKindsQuiz);
    addTrack({ id: 'track-1', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
  });

  afterAll(async () => {
    resetFakeContent();
    other?.close();
    closeDb();
    await sqld?.stop();
  });

  afterEach(() => {
    hook.betweenReadAndWrite = undefined;
  });

  async function openAttempt() {
    const user = await makeLearner(org);
    const { attempt } = await startAttempt(user, allKindsQuiz.id);
    return { user, attempt, answers: perfectAnswers(allKindsQuiz, frozenOf(attempt)) };
  }

  it('20 concurrent submits of one attempt grade it once: one set of rows, one certificate, the others 409', async () => {
    const { user, attempt, answers } = await openAttempt();
    const before = await tallied();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => submitAttempt({ userId: user, attemptId: attempt.id, answers })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'CONFLICT', reason: 'submitted' });
    const rows = await rowsOf(attempt.id);
    expect(rows.attempt).toMatchObject({ status: 'submitted', score: 100, passed: true });
    expect(rows.answers).toHaveLength(5);
    expect(rows.standards).toHaveLength(6);
    expect(rows.statements).toHaveLength(1 + 5);
    expect(await tallied()).toBe(before + 1);
    expect(await getDb().select().from(certificateTable).where(eq(certificateTable.userId, user))).toHaveLength(1);
  });

  it('another process submits between the read and the write: 409, and only its rows are on record', async () => {
    const { user, attempt, answers } = await openAttempt();
    const theirs = Date.now() - 1000;
    hook.betweenReadAndWrite = async () => {
      await other.batch(
        [
          {
            sql: `UPDATE quiz_attempt SET status = 'submitted', submitted_at = ?, score = 0, passed = 0 WHERE id = ? AND status = 'open'`,
            args: [theirs, attempt.id],
          },
          {
            sql: `INSERT INTO quiz_answer (attempt_id, question_id, chosen, correct, standards) VALUES (?, 'tf-q', '[]', 0, '[]')`,
            args: [attempt.id],
          },
        ],
        'write',
      );
    };
    await expect(submitAttempt({ userId: user, attemptId: attempt.id, answers })).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'submitted',
    });
    const rows = await rowsOf(attempt.id);
    expect(rows.attempt).toMatchObject({ status: 'submitted', submittedAt: theirs, score: 0, passed: false });
    expect(rows.answers.map((a) => a.questionId)).toEqual(['tf-q']);
    expect(rows.standards).toEqual([]);
    expect(rows.statements).toEqual([]);
    expect(await getDb().select().from(certificateTable).where(eq(certificateTable.userId, user))).toEqual([]);
  });

  it('another process closes the attempt between the read and the write: 409, and none of the submit’s rows stay', async () => {
    const { user, attempt, answers } = await openAttempt();
    const before = await tallied();
    hook.betweenReadAndWrite = async () => {
      await other.execute({
        sql: `UPDATE quiz_attempt SET status = 'expired' WHERE id = ? AND status = 'open'`,
        args: [attempt.id],
      });
    };
    await expect(submitAttempt({ userId: user, attemptId: attempt.id, answers })).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'submitted',
    });
    const rows = await rowsOf(attempt.id);
    expect(rows.attempt.status).toBe('expired');
    expect(rows.answers).toEqual([]);
    expect(rows.standards).toEqual([]);
    expect(rows.statements).toEqual([]);
    expect(await tallied()).toBe(before);
  });

  it('the statements built before the transaction are those the catch-up builds from the stored rows', async () => {
    const { user, attempt, answers } = await openAttempt();
    const { attempt: done } = await submitAttempt({ userId: user, attemptId: attempt.id, answers });
    const stored = (await rowsOf(attempt.id)).statements;
    expect(stored).toHaveLength(1 + 5);
    const ids = stored.map((s) => s.seq);
    await other.execute(`DELETE FROM xapi_statement WHERE seq IN (${ids.join(',')})`);
    await freezeMissingStatements(getDb(), contentLookup({ quizzes: [allKindsQuiz], tracks: [] }), done.submittedAt!);
    const rebuilt = (await rowsOf(attempt.id)).statements;
    const shape = (rows: typeof stored) =>
      rows.map(({ seq: _seq, ...rest }) => rest).sort((a, b) => a.sourceId.localeCompare(b.sourceId));
    expect(shape(rebuilt)).toEqual(shape(stored));
  });
});
