/**
 * Judgment answers and manager reviews: answers are stored with the option's automatic score; written ones reach
 * the review queue of the learner's own manager (and admins of the organization) only; a review is given once,
 * on the case's rubric, and the learner can read it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { judgmentAnswerTable, judgmentReviewTable, membershipTable, teamTable, userTable, type Role } from '../../db/schema';
import { judgmentCaseSchema } from '../../src/features/content/schema';
import { finalScore } from '../../src/features/judgment/judgment';
import { JudgmentError, reviewQueue, reviewsFor, submitAnswer, submitReview } from '../../src/features/judgment/judgment.server';
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

async function person(organizationId: string, name: string, role: Role, team?: { id: string; kind: 'member' | 'manager' }): Promise<Person> {
  const id = newId();
  await getDb()
    .insert(userTable)
    .values({ id, organizationId, email: `${id}@example.test`, name, passwordHash: 'x', role, job: role === 'learner' ? 'rep' : null, createdAt: Date.now() });
  if (team) await getDb().insert(membershipTable).values({ userId: id, teamId: team.id, kind: team.kind, createdAt: Date.now() });
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
    const { answer, options } = await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'escalate', text: 'I would ask.' });
    expect(answer).toMatchObject({ userId: ravi.id, caseId: 'fixture-case', optionId: 'escalate', text: 'I would ask.', autoScore: 60 });
    expect(options.map((o) => [o.id, o.chosen])).toEqual([
      ['refuse', false],
      ['accept', false],
      ['escalate', true],
    ]);
    expect(options.every((o) => o.reasoning.length > 0)).toBe(true);
  });

  it('refuses an unknown case or option, writing nothing', async () => {
    const count = async () => (await getDb().select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.userId, lena.id))).length;
    const before = await count();
    expect(await refused(submitAnswer(lena.id, { caseId: 'no-such-case', optionId: 'accept' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(submitAnswer(lena.id, { caseId: 'fixture-case', optionId: 'shrug' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await count()).toBe(before);
  });

  it('treats the same answer posted again (a reloaded no-JS form) as one answer, but keeps a changed one', async () => {
    // In an organization of their own, so these answers stay out of the review-queue tests below.
    const noor = await person(await makeOrg('Solo'), 'Noor', 'learner');
    const count = async () => (await getDb().select().from(judgmentAnswerTable).where(eq(judgmentAnswerTable.userId, noor.id))).length;
    const before = await count();
    const first = await submitAnswer(noor.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Policy first.' });
    const again = await submitAnswer(noor.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Policy first.' });
    expect(again.answer.id).toBe(first.answer.id);
    expect(await count()).toBe(before + 1);
    const changed = await submitAnswer(noor.id, { caseId: 'fixture-case', optionId: 'accept', text: 'On reflection, keep her.' });
    expect(changed.answer.id).not.toBe(first.answer.id);
    expect(await count()).toBe(before + 2);
  });

  it('keeps no free text for a case that does not ask for it', async () => {
    const { answer } = await submitAnswer(lena.id, { caseId: 'fixture-no-prompt', optionId: 'accept', text: 'Unasked for.' });
    expect(answer.text).toBeNull();
  });
});

describe('the review queue', () => {
  let raviAnswer: string;
  let lenaAnswer: string;

  beforeAll(async () => {
    raviAnswer = (await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'refuse', text: 'Rules are rules.' })).answer.id;
    lenaAnswer = (await submitAnswer(lena.id, { caseId: 'fixture-case', optionId: 'accept', text: 'Keep the customer.' })).answer.id;
    await submitAnswer(ravi.id, { caseId: 'fixture-case', optionId: 'accept' }); // no text: not for review
  });

  it("shows a manager only their own team's written answers, an admin the whole organization's", async () => {
    const texts = async (p: Person) => (await reviewQueue(p, { state: 'pending' })).map((i) => i.answer.text).sort();
    expect(await texts(mia)).toEqual(['I would ask.', 'Rules are rules.']);
    expect(await texts(omar)).toEqual(['Keep the customer.']);
    expect(await texts(admin)).toEqual(['I would ask.', 'Keep the customer.', 'Rules are rules.']);
    expect(await texts(outsider)).toEqual([]);
    expect(await texts(ravi)).toEqual([]);
  });

  it("refuses a review of another team's answer, and bad ratings, writing nothing", async () => {
    const reviews = async () => getDb().select().from(judgmentReviewTable);
    const before = await reviews();
    const ok = { outcome: 4, reasoning: 3 };
    expect(await refused(submitReview(omar, { answerId: raviAnswer, ratings: ok, comment: 'Hm.' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(submitReview(outsider, { answerId: raviAnswer, ratings: ok, comment: 'Hm.' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(submitReview(mia, { answerId: raviAnswer, ratings: { outcome: 4 }, comment: 'Hm.' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refused(submitReview(mia, { answerId: raviAnswer, ratings: { outcome: 9, reasoning: 3 }, comment: 'Hm.' }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await reviews()).toEqual(before);
  });

  it('takes one review per answer, which the learner reads and which replaces the automatic score', async () => {
    await submitReview(mia, { answerId: raviAnswer, ratings: { outcome: 5, reasoning: 4 }, comment: 'Good instinct; check the receipt next time.' });
    expect(await refused(submitReview(admin, { answerId: raviAnswer, ratings: { outcome: 1, reasoning: 1 }, comment: 'Again.' }))).toMatchObject({
      code: 'CONFLICT',
    });

    const pending = (await reviewQueue(mia, { state: 'pending' })).map((i) => i.answer.id);
    expect(pending).not.toContain(raviAnswer);
    const done = await reviewQueue(mia, { state: 'reviewed' });
    expect(done.map((i) => [i.answer.id, i.review?.reviewerName])).toEqual([[raviAnswer, 'Mia']]);

    const mine = await reviewsFor(ravi.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ answer: { id: raviAnswer, autoScore: 30 }, review: { comment: 'Good instinct; check the receipt next time.', reviewerName: 'Mia' } });
    expect(finalScore(mine[0]!.answer.autoScore, mine[0]!.review)).toBe(88);
    expect(await reviewsFor(lena.id)).toEqual([]);
  });

  it('lets an admin review any answer in the organization', async () => {
    await submitReview(admin, { answerId: lenaAnswer, ratings: { outcome: 3, reasoning: 3 }, comment: 'Fair call.' });
    expect((await reviewsFor(lena.id)).map((i) => i.review.reviewerName)).toEqual(['Ada']);
  });
});
