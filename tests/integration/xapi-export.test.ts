/**
 * The xAPI export against a real database: paging with a small limit returns every statement exactly once, in
 * order, across page boundaries that fall inside an attempt; `since` filters; every statement is valid xAPI; a
 * manager's scope holds only their teams' members and another team is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  certificateTable,
  certificationEventTable,
  exerciseAttemptTable,
  exerciseScoreTable,
  membershipTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  teamTable,
} from '../../db/schema';
import { loadValidContent, type Entry } from '../../src/features/content/load';
import { contentLookup, statementPage, xapiScopeFor, type XapiScope } from '../../src/features/exports/xapi.server';
import type { Position } from '../../src/features/exports/xapi-cursor';
import { statementSchema, type Statement } from '../../src/features/exports/xapi-schema';
import { newId } from '../../src/lib/server/ids';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

const site = { baseUrl: 'https://academy.example' };
const T = Date.UTC(2026, 5, 1, 12);
let lookup: ReturnType<typeof contentLookup>;
let organizationId: string;

const dataOf = <T>(map: Map<string, Entry<T>>) => [...map.values()].flatMap((e) => (e.data ? [e.data] : []));

async function attempt(email: string, at: number, answers: number) {
  const user = await userByEmail(email);
  const quiz = lookup.quiz('greeting-and-attitude-quiz')!;
  const questions = quiz.questions.slice(0, answers);
  const id = newId();
  await getDb()
    .insert(quizAttemptTable)
    .values({
      id,
      userId: user.id,
      quizId: quiz.id,
      moduleId: quiz.module,
      mode: 'certification',
      contentVersion: 'v1',
      seed: 1,
      questions: questions.map((q) => ({ id: q.id, options: q.options.map((o) => o.id) })),
      startedAt: at - 60_000,
      submittedAt: at,
      status: 'submitted',
      score: 50,
      passed: false,
    });
  await getDb()
    .insert(quizAnswerTable)
    .values(
      questions.map((q, i) => ({
        attemptId: id,
        questionId: q.id,
        chosen: [q.options[0]!.id],
        correct: i % 2 === 0,
        standards: q.standards,
      })),
    );
  return id;
}

async function run(email: string, at: number) {
  const user = await userByEmail(email);
  const rp = lookup.roleplay('late-delivery-promise')!;
  const node = rp.nodes[rp.start]!;
  const id = newId();
  await getDb()
    .insert(roleplayRunTable)
    .values({
      id,
      userId: user.id,
      roleplayId: rp.id,
      contentVersion: 'v1',
      status: 'ended',
      nodeId: rp.start,
      state: {},
      step: 1,
      endingId: Object.keys(rp.endings)[0]!,
      score: 80,
      startedAt: at - 5000,
      endedAt: at,
    });
  await getDb()
    .insert(roleplayStepTable)
    .values({ runId: id, step: 0, nodeId: rp.start, choiceId: node.choices[0]!.id, stateAfter: {}, at: at - 1000 });
}

/** A submitted calibration attempt: 3 of 4 calls agreeing with the expert. */
async function calibrated(email: string, at: number) {
  const user = await userByEmail(email);
  const ex = lookup.exercise('qa-calibration')!;
  const id = newId();
  await getDb()
    .insert(exerciseAttemptTable)
    .values({ id, userId: user.id, exerciseId: ex.id, moduleId: ex.module, contentVersion: 'v1', status: 'submitted', startedAt: at - 60_000, submittedAt: at, score: 75, passed: false });
  await getDb()
    .insert(exerciseScoreTable)
    .values(
      ex.scorecard.slice(0, 4).map((standardId, i) => ({ attemptId: id, contactId: ex.contacts[0]!.id, standardId, score: 'met' as const, expert: 'met' as const, agrees: i > 0 })),
    );
  // An open attempt is not a statement.
  await getDb()
    .insert(exerciseAttemptTable)
    .values({ id: newId(), userId: user.id, exerciseId: ex.id, moduleId: ex.module, contentVersion: 'v1', status: 'open', startedAt: at });
}

async function certified(email: string, at: number) {
  const user = await userByEmail(email);
  const certificateId = newId();
  await getDb()
    .insert(certificateTable)
    .values({
      id: certificateId,
      code: newId(),
      userId: user.id,
      trackId: 'rep-onboarding',
      issuedAt: at,
      expiresAt: at + 365 * 86_400_000,
      moduleVersions: {},
    });
  await getDb()
    .insert(certificationEventTable)
    .values({ id: newId(), userId: user.id, trackId: 'rep-onboarding', certificateId, kind: 'issued', detail: {}, at });
}

async function everything(
  scope: XapiScope,
  limit: number,
  since?: number,
): Promise<{ statements: Statement[]; pages: number }> {
  const statements: Statement[] = [];
  let from: Position | undefined;
  let pages = 0;
  do {
    const page = await statementPage(site, lookup, scope, { from, since, limit });
    expect(page.statements.length).toBeLessThanOrEqual(limit);
    statements.push(...page.statements);
    from = page.next;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (from);
  return { statements, pages };
}

async function teamIdOf(managerEmail: string) {
  const m = await userByEmail(managerEmail);
  const [row] = await getDb()
    .select({ id: teamTable.id })
    .from(membershipTable)
    .innerJoin(teamTable, eq(teamTable.id, membershipTable.teamId))
    .where(and(eq(membershipTable.userId, m.id), eq(membershipTable.kind, 'manager')));
  return row!.id;
}

beforeAll(async () => {
  await freshDemoDb();
  const content = await loadValidContent('content');
  lookup = contentLookup({
    quizzes: dataOf(content.quizzes),
    roleplays: dataOf(content.roleplays),
    tracks: dataOf(content.tracks),
    exercises: dataOf(content.exercises),
  });
  organizationId = (await userByEmail('admin@demo.test')).organizationId;
  // Team 1 (manager1): rep1..rep3. Team 2 (manager2): rep4..rep6. Two records share a timestamp on purpose.
  await attempt('rep1@demo.test', T, 4);
  await attempt('rep2@demo.test', T, 3);
  await run('rep2@demo.test', T + 1000);
  await certified('rep3@demo.test', T + 2000);
  await attempt('rep4@demo.test', T + 3000, 5);
  await run('rep5@demo.test', T + 4000);
  await certified('rep6@demo.test', T + 5000);
  // Same time as rep1's quiz attempt: the tie is broken by record kind.
  await calibrated('rep2@demo.test', T);
  await calibrated('rep4@demo.test', T + 6000);
});

// rep1: 1 + 4, rep2: 1 + 3 + run end + reply + exercise, rep3: 1, rep4: 1 + 5 + exercise, rep5: run end + reply, rep6: 1.
const TOTAL = 5 + 7 + 1 + 7 + 2 + 1;

describe('paging', () => {
  it('returns every statement once, in time order, whatever the page size', async () => {
    const all = await everything({ organizationId }, 500);
    expect(all.statements).toHaveLength(TOTAL);
    expect(all.pages).toBe(1);
    for (const limit of [1, 2, 3, 7]) {
      const paged = await everything({ organizationId }, limit);
      expect(paged.statements.map((s) => s.id)).toEqual(all.statements.map((s) => s.id));
      expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(TOTAL / limit));
    }
    const times = all.statements.map((s) => Date.parse(s.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(all.statements.map((s) => s.id)).size).toBe(TOTAL);
  });

  it('builds only valid xAPI 1.0.3 statements with the expected verbs', async () => {
    const { statements } = await everything({ organizationId }, 500);
    for (const s of statements) expect(statementSchema.safeParse(s).success, s.id).toBe(true);
    const verbs = statements.map((s) => s.verb.id.split('/').pop());
    expect(verbs.filter((v) => v === 'answered')).toHaveLength(4 + 3 + 5 + 2);
    expect(verbs.filter((v) => v === 'failed')).toHaveLength(3);
    expect(verbs.filter((v) => v === 'completed')).toHaveLength(2 + 2);
    expect(verbs.filter((v) => v === 'satisfied')).toHaveLength(2);
  });

  it('keeps only records from `since` on', async () => {
    const { statements } = await everything({ organizationId }, 3, T + 3000);
    expect(statements).toHaveLength(6 + 2 + 1 + 1);
    expect(statements.every((s) => Date.parse(s.timestamp) >= T + 1000 || s.verb.id.endsWith('/answered'))).toBe(true);
  });
});

describe('calibration exercises', () => {
  it('sends one statement per submitted attempt, with the agreement, the outcome and the calls agreed', async () => {
    const { statements } = await everything({ organizationId }, 500);
    const mine = statements.filter((s) => s.object.id.endsWith('/xapi/activities/exercise/qa-calibration'));
    expect(mine.map((s) => s.actor.mbox)).toEqual(['mailto:rep2@demo.test', 'mailto:rep4@demo.test']);
    expect(mine[0]!.result).toMatchObject({
      score: { scaled: 0.75, raw: 75 },
      success: false,
      completion: true,
      extensions: { 'https://academy.example/xapi/extensions/calls-agreed': { agreed: 3, total: 4 } },
    });
    // At the same time as rep1's quiz attempt, after it and its answers (attempt records sort before exercises).
    const at = statements.findIndex((s) => s.id === mine[0]!.id);
    expect(statements.slice(0, at).filter((s) => s.actor.mbox === 'mailto:rep1@demo.test')).toHaveLength(5);
  });
});

describe('scope', () => {
  const mboxes = (statements: Statement[]) => new Set(statements.map((s) => s.actor.mbox));

  it('gives a manager the members of their own teams only', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const scope = await xapiScopeFor(manager);
    const { statements } = await everything(scope!, 4);
    expect(mboxes(statements)).toEqual(
      new Set(['mailto:rep1@demo.test', 'mailto:rep2@demo.test', 'mailto:rep3@demo.test']),
    );
    expect(statements).toHaveLength(5 + 7 + 1);
  });

  it('refuses a manager another team, and narrows an admin to the team asked for', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const otherTeam = await teamIdOf('manager2@demo.test');
    expect(await xapiScopeFor(manager, otherTeam)).toBeUndefined();
    const admin = await userByEmail('admin@demo.test');
    const { statements } = await everything((await xapiScopeFor(admin, otherTeam))!, 10);
    expect(mboxes(statements)).toEqual(
      new Set(['mailto:rep4@demo.test', 'mailto:rep5@demo.test', 'mailto:rep6@demo.test']),
    );
  });

  it('gives learners and trainers nothing', async () => {
    expect(await xapiScopeFor(await userByEmail('rep1@demo.test'))).toBeUndefined();
    expect(await xapiScopeFor(await userByEmail('trainer@demo.test'))).toBeUndefined();
  });
});
