/**
 * Judgment answers and manager reviews: answers are stored with the option's automatic score; the first answer to a
 * case is the one on record and later ones are practice, which never replace it (auto score, queue, reports);
 * written answers on record reach the review queue of the learner's own manager (and admins of the organization)
 * only; a review is given once, on the case's rubric, and the learner can read it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  judgmentAnswerTable,
  judgmentReviewTable,
  membershipTable,
  teamTable,
  userTable,
  type Role,
} from '../../db/schema';
import { judgmentCaseSchema } from '../../src/features/content/schema';
import { finalScore } from '../../src/features/judgment/judgment';
import {
  answersTo,
  JudgmentError,
  reviewQueue,
  reviewsFor,
  submitAnswer,
  submitReview,
} from '../../src/features/judgment/judgment.server';
import { judgmentHistory } from '../../src/features/reports/person.server';
import { newId } from '../../src/lib/server/ids';
import { freshDb } from '../helpers/db';
import { makeOrg } from '../helpers/quiz-world';

const withPrompt = judgmentCaseSchema.parse(parse(readFileSync('tests/fixtures/cases/fixture-case.yaml', 'utf8')));
const noPrompt = { ...withPrompt, id: 'fixture-no-prompt', prompt: undefined };
vi.mock('../../src/lib/server/catalog', async () => ({
  getCase: async (id: string) => [withPrompt, noPrompt].find((c) => c.id === id),
}));

type Person = { id: string; role: Role; organizationId: string };
let org: string;
let mia: Person; // manages team A
let omar: Person; // manages team B
let admin: Person;
let outsider: Person; // admin of another organization
let ravi: Person; // team A
let lena: Person; // team B

async function person(
  organizationId: string,
  name: string,
  role: Role,
  team?: { id: string; kind: 'member' | 'manager' },
): Promise<Person> {
  const id = newId();
  await getDb()
    .insert(userTable)
    .values({
      id,
      organizationId,
      email: `${id}@example.test`,
      name,
      passwordHash: 'x',
      role,
      job: role === 'learner' ? 'rep' : null,
      createdAt: Date.now(),
    });
  if (team)
    await getDb()
      .insert(membershipTable)
      .values({ userId: id, teamId: team.id, kind: team.kind, createdAt: Date.now() });
  return { id, role, organizationId };
}

async function team(organizationId: string, name: string): Promise<string> {
  const id = newId();
  await getDb().insert(teamTable).values({ id, organizationId, name, createdAt: Date.now() });
  return id;
}

async function refused(p: Promise<unknown>): Promise<JudgmentError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(JudgmentError);
  return e as JudgmentError;
}

beforeAll(async () => {
  await freshDb();
  org = await makeOrg();
  const a = await team(org, 'A');
  const b = await team(org, 'B');
  mia = await person(org, 'Mia', 'manager', { id: a, kind: 'manager' });
  omar = await person(org, 'Omar', 'manager', { id: b, kind: 'manager' });
  admin = await person(org, 'Ada', 'admin');
  ravi = await person(org, 'Ravi', 'learner', { id: a, kind: 'member' });
  lena = await person(org, 'Lena', 'learner', { id: b, kind: 'member' });
  outsider = await person(await makeOrg('Elsewhere'), 'Olga', 'admin');
});

describe('answering a case', () => {
  it('stores the option with its automatic score and reveals every option’s reasoning', async () => {
    const kai = await person(await makeOrg('Kai alone'), 'Kai', 'learner');
    const { answer, options } = await submitAnswer(kai.id, {
      caseId: 'fixture-case',
      optionId: 'escalate',
      text: 'I would ask.',
    });
    expect(answer).toMatchObject({
      userId: kai.id,
      caseId: 'fixture-case',
      optionId: 'escalate',
      text: 'I would ask.',
      autoScore: 60,
      practice: false,
    });
    expect(options.map((o) => [o.id, o.chosen])).toEqual([
      ['refuse', false],
      ['accept', false],
      ['escalate', true],
    ]);
    expect(options.every((o) => o.reasoning.length > 0)).toBe(true);
  });

  it('refuses an unknown case or option, writing nothing', async () => {
    const count = async () =>
      (await getDb().select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.userId, lena.id))).length;
    const before = await count();
    expect(await refused(submitAnswer(lena.id, { caseId: 'no-such-case', optionId: 'accept' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(submitAnswer(lena.id, { caseId: 'fixture-case', optionId: 'shrug' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await count()).toBe(before);
  });

  it('treats the same answer posted again (a reloaded no-JS form) as one answer, but keeps a changed one (as practice)', async () => {
    // In an organization of their own, so these answers stay out of the review-queue tests below.
    const noor = await person(await makeOrg('Solo'), 'Noor', 'learner');
    const count = async () =>
      (await getDb().select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.userId, noor.id))).length;
    const before = await count();
    const first = await submitAnswer(noor.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Policy first.' });
    const again = await submitAnswer(noor.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Policy first.' });
    expect(again.answer.id).toBe(first.answer.id);
    expect(await count()).toBe(before + 1);
    const changed = await submitAnswer(noor.id, {
      caseId: 'fixture-case',
      optionId: 'accept',
      text: 'On reflection, keep her.',
    });
    expect(changed.answer.id).not.toBe(first.answer.id);
    expect(changed.answer.practice).toBe(true);
    expect(await count()).toBe(before + 2);
  });

  it('keeps no free text for a case that does not ask for it', async () => {
    const { answer } = await submitAnswer(lena.id, {
      caseId: 'fixture-no-prompt',
      optionId: 'accept',
      text: 'Unasked for.',
    });
    expect(answer.text).toBeNull();
  });
});

describe('the review queue', () => {
  let raviAnswer: string;
  let raviPractice: string;
  let lenaAnswer: string;

  beforeAll(async () => {
    raviAnswer = (await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Rules are rules.' }))
      .answer.id;
    lenaAnswer = (
      await submitAnswer(lena.id, { caseId: 'fixture-case', optionId: 'accept', text: 'Keep the customer.' })
    ).answer.id;
    // Practice answers, written or not, never reach the queue.
    raviPractice = (
      await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'accept', text: 'Second thoughts: keep her.' })
    ).answer.id;
    await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'escalate' });
  });

  it("shows a manager only their own team's written answers on record, an admin the whole organization's", async () => {
    const texts = async (p: Person) => (await reviewQueue(p, { state: 'pending' })).map((i) => i.answer.text).sort();
    expect(await texts(mia)).toEqual(['Rules are rules.']);
    expect(await texts(omar)).toEqual(['Keep the customer.']);
    expect(await texts(admin)).toEqual(['Keep the customer.', 'Rules are rules.']);
    expect(await texts(outsider)).toEqual([]);
    expect(await texts(ravi)).toEqual([]);
  });

  it("refuses a review of another team's answer, and bad ratings, writing nothing", async () => {
    const reviews = async () => getDb().select().from(judgmentReviewTable);
    const before = await reviews();
    const ok = { outcome: 4, reasoning: 3 };
    expect(await refused(submitReview(omar, { answerId: raviAnswer, ratings: ok, comment: 'Hm.' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(submitReview(outsider, { answerId: raviAnswer, ratings: ok, comment: 'Hm.' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await refused(submitReview(mia, { answerId: raviAnswer, ratings: { outcome: 4 }, comment: 'Hm.' })),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    expect(
      await refused(submitReview(mia, { answerId: raviAnswer, ratings: { outcome: 9, reasoning: 3 }, comment: 'Hm.' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
    });
    const practice = await refused(submitReview(mia, { answerId: raviPractice, ratings: ok, comment: 'Hm.' }));
    expect(practice).toMatchObject({ code: 'BAD_REQUEST' });
    expect(practice.message).toContain('Practice answers are not reviewed');
    expect(await reviews()).toEqual(before);
  });

  it('takes one review per answer, which the learner reads and which replaces the automatic score', async () => {
    await submitReview(mia, {
      answerId: raviAnswer,
      ratings: { outcome: 5, reasoning: 4 },
      comment: 'Good instinct; check the receipt next time.',
    });
    expect(
      await refused(
        submitReview(admin, { answerId: raviAnswer, ratings: { outcome: 1, reasoning: 1 }, comment: 'Again.' }),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
    });

    const pending = (await reviewQueue(mia, { state: 'pending' })).map((i) => i.answer.id);
    expect(pending).not.toContain(raviAnswer);
    const done = await reviewQueue(mia, { state: 'reviewed' });
    expect(done.map((i) => [i.answer.id, i.review?.reviewerName])).toEqual([[raviAnswer, 'Mia']]);

    const mine = await reviewsFor(ravi.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      answer: { id: raviAnswer, autoScore: 30 },
      review: { comment: 'Good instinct; check the receipt next time.', reviewerName: 'Mia' },
    });
    expect(finalScore(mine[0]!.answer.autoScore, mine[0]!.review)).toBe(88);
    expect(await reviewsFor(lena.id)).toEqual([]);
  });

  it('lets an admin review any answer in the organization', async () => {
    await submitReview(admin, { answerId: lenaAnswer, ratings: { outcome: 3, reasoning: 3 }, comment: 'Fair call.' });
    expect((await reviewsFor(lena.id)).map((i) => i.review.reviewerName)).toEqual(['Ada']);
  });
});

describe('the first answer counts', () => {
  it('keeps the first auto score on record when a better answer follows the revealed reasoning', async () => {
    const zoe = await person(org, 'Zoe', 'learner', { id: await team(org, 'Z'), kind: 'member' });
    const first = await submitAnswer(zoe.id, {
      caseId: 'fixture-case',
      optionId: 'refuse',
      text: 'The window is the window.',
    });
    expect(first.answer).toMatchObject({ practice: false, autoScore: 30 });

    // The reasoning is revealed; Zoe now knows "accept" is the strongest call and answers again.
    const second = await submitAnswer(zoe.id, {
      caseId: 'fixture-case',
      optionId: 'accept',
      text: 'Keep the customer.',
    });
    expect(second.answer).toMatchObject({ practice: true, autoScore: 90 });
    // The reveal marks the new choice and, apart from it, the answer on record.
    expect(second.options.filter((o) => o.chosen).map((o) => o.id)).toEqual(['accept']);
    expect(second.options.filter((o) => o.onRecord).map((o) => o.id)).toEqual(['refuse']);

    // Auto score: the answer on record is still the first, at 30.
    const answers = await answersTo(zoe.id, 'fixture-case');
    expect(answers?.onRecord.answer).toMatchObject({
      id: first.answer.id,
      optionId: 'refuse',
      autoScore: 30,
      practice: false,
    });
    expect(finalScore(answers!.onRecord.answer.autoScore, answers!.onRecord.review)).toBe(30);
    expect(answers?.practice).toMatchObject({ id: second.answer.id, optionId: 'accept' });

    // Review queue: only the first, written answer.
    const queued = (await reviewQueue(admin, { state: 'pending' })).filter((i) => i.learner.id === zoe.id);
    expect(queued.map((i) => i.answer.text)).toEqual(['The window is the window.']);

    // Reports (the manager's drill-down): the first answer is on record, the later one flagged as practice.
    const history = await judgmentHistory(zoe.id);
    expect(history.map((h) => [h.answer.optionId, h.answer.autoScore, h.answer.practice])).toEqual([
      ['accept', 90, true],
      ['refuse', 30, false],
    ]);
  });

  it('puts exactly one answer on record when several arrive at once', async () => {
    const yan = await person(org, 'Yan', 'learner');
    const options = ['refuse', 'accept', 'escalate', 'accept', 'refuse', 'escalate'];
    const results = await Promise.all(
      options.map((optionId, i) => submitAnswer(yan.id, { caseId: 'fixture-case', optionId, text: `Answer ${i}` })),
    );
    const rows = await getDb().select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.userId, yan.id));
    expect(rows).toHaveLength(options.length);
    expect(rows.filter((r) => !r.practice)).toHaveLength(1);
    expect(results.filter((r) => !r.answer.practice)).toHaveLength(1);
  });

  it('is enforced by the database: a second answer on record cannot be inserted', async () => {
    const uma = await person(org, 'Uma', 'learner');
    const { answer } = await submitAnswer(uma.id, { caseId: 'fixture-case', optionId: 'refuse' });
    const dup = await getDb()
      .insert(judgmentAnswerTable)
      .values({ ...answer, id: newId() })
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(String(dup?.cause ?? dup)).toMatch(
      /UNIQUE constraint failed: judgment_answer\.user_id, judgment_answer\.case_id/,
    );
  });
});
