import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { certificateTable, certificationEventTable, roleplayRunTable } from '../../db/schema';
import { setClockOffset, now } from '../../src/lib/server/clock';
import { newId } from '../../src/lib/server/ids';
import { writeTransaction } from '../../src/lib/server/write-lock';
import { frozenOf, saveAnswers, startAttempt, submitAttempt } from '../../src/features/quiz/quiz.server';
import {
  findCertificate,
  learnerStandings,
  listCertificates,
  listContentVersions,
  markVersionEditorial,
  revokeCertificate,
  syncContentVersions,
  updateCertifications,
} from '../../src/features/certification/certification.server';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
import { allKindsQuiz, drawQuiz, perfectAnswers } from '../fixtures/quiz/quizzes';
import { addQuiz, addRoleplay, addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

const DAY = 24 * 60 * 60 * 1000;
let org: string;
let admin: { id: string; organizationId: string };

beforeAll(async () => {
  process.env.FRONTLINE_TEST_CLOCK = '1';
  await freshDb();
  org = await makeOrg('Acme Support');
  admin = { id: await makeLearner(org, 'Ada Admin'), organizationId: org };
});

afterEach(() => {
  setClockOffset(0);
  resetFakeContent();
});

function twoModuleTrack(extra: { roleplay: string; minScore?: number }[] = []) {
  addQuiz(allKindsQuiz);
  addQuiz({ ...drawQuiz, review: 'after-pass' });
  return addTrack({
    id: 'rep-track',
    modules: [allKindsQuiz.module, drawQuiz.module],
    requires: [{ quiz: allKindsQuiz.id }, { quiz: drawQuiz.id }, ...extra],
    validityMonths: 12,
  });
}

/** Passes the quiz as the learner may take it now: a certification attempt, or practice (a practice quiz, or a pass that stands). */
async function pass(user: string, quizId: string) {
  const quiz = fakeContent.quizzes.find((q) => q.id === quizId)!;
  const { attempt } = await startAttempt(user, quizId);
  const answers = perfectAnswers(quiz, frozenOf(attempt));
  if (attempt.mode === 'certification') return submitAttempt({ userId: user, attemptId: attempt.id, answers });
  for (const [id, a] of Object.entries(answers))
    await saveAnswers({ userId: user, attemptId: attempt.id, answers: { [id]: a } });
  return submitAttempt({ userId: user, attemptId: attempt.id, answers: {} });
}

async function certificates(user: string) {
  return getDb()
    .select()
    .from(certificateTable)
    .where(eq(certificateTable.userId, user))
    .orderBy(certificateTable.issuedAt);
}

async function events(user: string) {
  const rows = await getDb()
    .select()
    .from(certificationEventTable)
    .where(eq(certificationEventTable.userId, user))
    .orderBy(certificationEventTable.at);
  return rows.map((e) => e.kind);
}

async function status(user: string) {
  return (await learnerStandings(user, now()))[0]!.lifecycle.status;
}

describe('issuing', () => {
  it('issues when the last requirement is met, in the transaction of the attempt, with the module versions covered', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    expect(await status(user)).toBe('not-started');
    await pass(user, allKindsQuiz.id);
    expect(await certificates(user)).toHaveLength(0);
    expect(await status(user)).toBe('in-progress');
    await pass(user, drawQuiz.id);
    const [c] = await certificates(user);
    expect(c).toBeDefined();
    expect(c!.code).toMatch(/^[a-z2-7]{32}$/);
    expect(Object.keys(c!.moduleVersions as object).sort()).toEqual(['all-kinds', 'draw-module']);
    expect(await events(user)).toEqual(['issued']);
    expect(await status(user)).toBe('certified');
    const found = await findCertificate(c!.code.toUpperCase());
    expect(found).toMatchObject({
      holder: { name: 'Rita Rep' },
      organization: 'Acme Support',
      lifecycle: { status: 'certified', valid: true },
    });
  });

  it('a failed attempt moves nothing; the pass after it issues, covering the version passed', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    const { attempt } = await startAttempt(user, drawQuiz.id);
    const failed = await submitAttempt({ userId: user, attemptId: attempt.id, answers: {} });
    expect(failed.grade.passed).toBe(false);
    expect(await certificates(user)).toHaveLength(0);
    expect(await events(user)).toEqual([]);
    setClockOffset(DAY);
    await pass(user, drawQuiz.id);
    expect(await certificates(user)).toHaveLength(1);
    expect(await events(user)).toEqual(['issued']);
    expect(await status(user)).toBe('certified');
  });

  it('the admin list finds certificates by holder name or email, taking % and _ literally', async () => {
    twoModuleTrack();
    const user = await makeLearner(org, 'Zed Zebra_Search');
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    expect((await listCertificates(org, 'zebra')).map((r) => r.holderName)).toEqual(['Zed Zebra_Search']);
    expect((await listCertificates(org, 'zebra_s')).map((r) => r.holderName)).toEqual(['Zed Zebra_Search']);
    expect(await listCertificates(org, 'zebrax')).toHaveLength(0);
    expect(await listCertificates(org, '%')).toHaveLength(0);
    expect(await listCertificates('another-org', 'zebra')).toHaveLength(0);
  });

  it('practice mode never counts', async () => {
    addQuiz({ ...allKindsQuiz, mode: 'practice' });
    addTrack({ id: 'practice-track', modules: [allKindsQuiz.module], requires: [{ quiz: allKindsQuiz.id }] });
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    expect(await certificates(user)).toHaveLength(0);
  });

  it('a required role-play is a data change: no certificate until a run ends at its score', async () => {
    twoModuleTrack([{ roleplay: 'angry-call', minScore: 70 }]);
    addRoleplay('angry-call', allKindsQuiz.module);
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    expect(await certificates(user)).toHaveLength(0);
    const endRun = (score: number, practice = false) =>
      writeTransaction(async (tx) => {
        const at = now();
        await tx.insert(roleplayRunTable).values({
          id: newId(),
          userId: user,
          roleplayId: 'angry-call',
          contentVersion: 'v',
          status: 'ended',
          nodeId: 'n1',
          state: {},
          step: 1,
          seed: 1,
          replyKey: 'k',
          practice,
          endingId: 'end',
          score,
          startedAt: at,
          endedAt: at,
        });
        await updateCertifications(tx, user, at);
      });
    await endRun(60);
    expect(await certificates(user)).toHaveLength(0);
    // A practice run never counts, however well it went.
    await endRun(100, true);
    expect(await certificates(user)).toHaveLength(0);
    await endRun(75);
    expect(await certificates(user)).toHaveLength(1);
  });
});

describe('the lifecycle over time', () => {
  it('expiring, expired, renewed from fresh results; history kept, never overwritten', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    const [first] = await certificates(user);
    setClockOffset(first!.expiresAt - first!.issuedAt - 10 * DAY);
    expect(await status(user)).toBe('expiring');
    setClockOffset(first!.expiresAt - first!.issuedAt + DAY);
    expect(await status(user)).toBe('expired');
    expect((await findCertificate(first!.code))!.lifecycle.status).toBe('expired');
    // Old results do not renew: a fresh pass of one quiz is not enough, both are needed.
    await pass(user, allKindsQuiz.id);
    expect(await certificates(user)).toHaveLength(1);
    await pass(user, drawQuiz.id);
    const [old, renewed] = await certificates(user);
    expect(old).toEqual(first);
    expect(renewed).toMatchObject({ replacesId: first!.id });
    expect(renewed!.code).not.toBe(first!.code);
    expect(await events(user)).toEqual(['issued', 'renewed']);
    expect(await status(user)).toBe('certified');
  });

  it('an admin revokes with a reason; verification says revoked; a second revocation is refused', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    const [c] = await certificates(user);
    await revokeCertificate({ code: c!.code, reason: 'Answers shared in a group chat', admin });
    const found = await findCertificate(c!.code);
    expect(found!.lifecycle.status).toBe('revoked');
    expect(found!.certificate).toMatchObject({ revokeReason: 'Answers shared in a group chat', revokedBy: admin.id });
    expect(await events(user)).toEqual(['issued', 'revoked']);
    await expect(revokeCertificate({ code: c!.code, reason: 'again', admin })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const otherOrgAdmin = { id: admin.id, organizationId: 'another-org' };
    await expect(revokeCertificate({ code: c!.code, reason: 'x', admin: otherOrgAdmin })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await status(user)).toBe('revoked');
  });
});

describe('content changes', () => {
  it('flags update required for the changed module; re-taking only that quiz clears it', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    const [c] = await certificates(user);
    setClockOffset(5 * DAY);
    fakeContent.versionSalt['all-kinds'] = 'new material';
    await syncContentVersions(now());
    expect(await events(user)).toEqual(['issued', 'update_required']);
    const standing = (await learnerStandings(user, now()))[0]!;
    expect(standing.lifecycle).toMatchObject({
      status: 'update-required',
      valid: true,
      updates: [{ moduleId: 'all-kinds' }],
    });
    setClockOffset(40 * DAY);
    expect((await findCertificate(c!.code))!.lifecycle).toMatchObject({
      status: 'expired',
      expiredBecause: 'update-missed',
    });
    await pass(user, allKindsQuiz.id);
    expect((await findCertificate(c!.code))!.lifecycle.status).toBe('certified');
    expect(await events(user)).toEqual(['issued', 'update_required', 'updated']);
    expect(await certificates(user)).toHaveLength(1);
  });

  it('a trainer marking the change editorial skips recertification', async () => {
    twoModuleTrack();
    const user = await makeLearner(org);
    await pass(user, allKindsQuiz.id);
    await pass(user, drawQuiz.id);
    fakeContent.versionSalt['draw-module'] = 'typo fixed';
    await syncContentVersions(now());
    expect(await status(user)).toBe('update-required');
    const newest = (await listContentVersions()).find((v) => v.moduleId === 'draw-module' && v.current)!;
    expect((await listContentVersions()).filter((v) => v.moduleId === 'draw-module')).toHaveLength(2);
    await markVersionEditorial({ moduleId: 'draw-module', version: newest.version, editorial: true, actor: admin });
    expect(await status(user)).toBe('certified');
    expect(await events(user)).toEqual(['issued', 'update_required', 'updated']);
    await expect(
      markVersionEditorial({ moduleId: 'draw-module', version: 'nope', editorial: true, actor: admin }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
