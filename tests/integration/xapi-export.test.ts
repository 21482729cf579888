/**
 * xAPI statements against a real database: records are frozen into statements once (a later content edit or a new
 * SITE_URL changes nothing already made); paging with a small limit returns every statement exactly once, in the
 * order stored; `since` is exclusive and reads the stored time; every statement passes Learning Locker's validator
 * (@learninglocker/xapi-validation) and our schema; a manager's scope holds only their teams' members.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  certificateTable,
  certificationEventTable,
  membershipTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  teamTable,
} from '../../db/schema';
import { loadValidContent, type Entry } from '../../src/features/content/load';
import validateXapi from '@learninglocker/xapi-validation';
import { xapiStatementTable } from '../../db/schema';
import { statementPage, xapiScopeFor, type XapiScope } from '../../src/features/exports/xapi/xapi.server';
import {
  contentLookup,
  freezeMissingStatements,
  freezeStatements,
} from '../../src/features/exports/xapi/freeze.server';
import type { Position } from '../../src/features/exports/xapi/cursor';
import { statementSchema, type Statement } from '../../src/features/exports/xapi/schema';
import { newId } from '../../src/lib/server/ids';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

const IRI = 'https://academy.example';
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

async function run(email: string, at: number, practice = false): Promise<string> {
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
      seed: 1,
      replyKey: 'k',
      practice,
      endingId: Object.keys(rp.endings)[0]!,
      score: 80,
      startedAt: at - 5000,
      endedAt: at,
    });
  await getDb()
    .insert(roleplayStepTable)
    .values({ runId: id, step: 0, nodeId: rp.start, choiceId: node.choices[0]!.id, stateAfter: {}, at: at - 1000 });
  return id;
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

const validate = ((validateXapi as unknown as { default?: typeof validateXapi }).default ?? validateXapi) as (
  s: unknown,
) => unknown[];
// Two catch-ups, at two stored times: the first freezes four records' statements, the second three more.
const S1 = T + 60_000;
const S2 = T + 120_000;
let firstAttempt: string;

async function everything(
  scope: XapiScope,
  limit: number,
  since?: number,
): Promise<{ statements: (Statement & { stored: string })[]; pages: number }> {
  const statements: (Statement & { stored: string })[] = [];
  let from: Position | undefined;
  let pages = 0;
  do {
    const page = await statementPage(scope, { from, since, limit });
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
  process.env.XAPI_ORGANIZATION_IRI = IRI;
  const content = await loadValidContent('content');
  lookup = contentLookup({
    quizzes: dataOf(content.quizzes),
    roleplays: dataOf(content.roleplays),
    tracks: dataOf(content.tracks),
  });
  organizationId = (await userByEmail('admin@demo.test')).organizationId;
  // Team 1 (manager1): rep1..rep3. Team 2 (manager2): rep4..rep6. Two records share a timestamp on purpose.
  firstAttempt = await attempt('rep1@demo.test', T, 4);
  await attempt('rep2@demo.test', T, 3);
  await run('rep2@demo.test', T + 1000);
  await certified('rep3@demo.test', T + 2000);
  expect(await freezeMissingStatements(getDb(), lookup, S1)).toBe(5 + 6 + 1);
  await attempt('rep4@demo.test', T + 3000, 5);
  await run('rep5@demo.test', T + 4000);
  // A practice run ("replay from here") is never exported: neither its ending nor its replies.
  await run('rep5@demo.test', T + 4500, true);
  await certified('rep6@demo.test', T + 5000);
  expect(await freezeMissingStatements(getDb(), lookup, S2)).toBe(6 + 2 + 1);
  delete process.env.XAPI_ORGANIZATION_IRI;
});

// rep1: 1 + 4, rep2: 1 + 3 + run end + reply, rep3: 1, rep4: 1 + 5, rep5: run end + reply, rep6: 1.
const TOTAL = 5 + 6 + 1 + 6 + 2 + 1;

describe('paging', () => {
  it('returns every statement once, in the order stored, whatever the page size', async () => {
    const all = await everything({ organizationId }, 500);
    expect(all.statements).toHaveLength(TOTAL);
    expect(all.pages).toBe(1);
    for (const limit of [1, 2, 3, 7]) {
      const paged = await everything({ organizationId }, limit);
      expect(paged.statements.map((s) => s.id)).toEqual(all.statements.map((s) => s.id));
      expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(TOTAL / limit));
    }
    const stored = all.statements.map((s) => Date.parse(s.stored));
    expect([...stored].sort((a, b) => a - b)).toEqual(stored);
    expect(new Set(all.statements.map((s) => s.id)).size).toBe(TOTAL);
  });

  it("holds only statements Learning Locker's validator and our schema accept, with the expected verbs", async () => {
    const { statements } = await everything({ organizationId }, 500);
    for (const { stored: _stored, ...s } of statements) {
      expect(validate(s), s.id).toEqual([]);
      expect(statementSchema.safeParse(s).success, s.id).toBe(true);
    }
    const verbs = statements.map((s) => s.verb.id.split('/').pop());
    expect(verbs.filter((v) => v === 'answered')).toHaveLength(4 + 3 + 5 + 2);
    expect(verbs.filter((v) => v === 'failed')).toHaveLength(3);
    expect(verbs.filter((v) => v === 'completed')).toHaveLength(2);
    expect(verbs.filter((v) => v === 'satisfied')).toHaveLength(2);
  });

  it('keeps only statements stored after `since`, the boundary excluded', async () => {
    expect((await everything({ organizationId }, 3, S1 - 1)).statements).toHaveLength(TOTAL);
    const after = await everything({ organizationId }, 3, S1);
    expect(after.statements).toHaveLength(6 + 2 + 1);
    expect(after.statements.every((s) => s.stored === new Date(S2).toISOString())).toBe(true);
    expect((await everything({ organizationId }, 3, S2)).statements).toHaveLength(0);
  });
});

describe('frozen statements', () => {
  it('never change once made: a content edit or a new SITE_URL leaves them, and freezing again adds nothing', async () => {
    const before = await everything({ organizationId }, 500);
    const quiz = lookup.quiz('greeting-and-attitude-quiz')!;
    const edited = contentLookup({
      quizzes: [
        {
          ...quiz,
          title: 'Renamed quiz',
          questions: quiz.questions.map((q) => ({ ...q, prompt: `Edited: ${q.prompt}` })),
        },
      ],
    });
    process.env.SITE_URL = 'http://localhost:4321';
    try {
      expect(await freezeStatements(getDb(), edited, { attempts: [firstAttempt] }, S2 + 1)).toBe(0);
      expect(await freezeMissingStatements(getDb(), edited, S2 + 1)).toBe(0);
      const after = await everything({ organizationId }, 500);
      expect(after.statements).toEqual(before.statements);
      // Every id is under the IRI fixed at the first freeze, not today's SITE_URL.
      for (const s of after.statements)
        expect(s.object.id.startsWith(`${IRI}/`) || s.verb.id.startsWith('http')).toBe(true);
      expect(after.statements.filter((s) => s.object.id.startsWith('http://localhost'))).toEqual([]);

      // A record made now is frozen with today's content, under the same stored IRI.
      const fresh = await attempt('rep1@demo.test', T + 9000, 1);
      expect(await freezeStatements(getDb(), edited, { attempts: [fresh] }, S2 + 2)).toBe(2);
      const [row] = await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.sourceId, fresh));
      const statement = row!.statement as Statement;
      expect(statement.object.definition?.name).toEqual({ 'en-US': 'Renamed quiz' });
      expect(statement.object.id).toBe(`${IRI}/xapi/activities/quiz/greeting-and-attitude-quiz`);
    } finally {
      delete process.env.SITE_URL;
    }
  });
});

describe('scope', () => {
  const mboxes = (statements: Statement[]) => new Set(statements.map((s) => s.actor.mbox));

  it('gives a manager the members of their own teams only', async () => {
    const manager = await userByEmail('manager2@demo.test');
    const scope = await xapiScopeFor(manager);
    const { statements } = await everything(scope!, 4);
    expect(mboxes(statements)).toEqual(
      new Set(['mailto:rep4@demo.test', 'mailto:rep5@demo.test', 'mailto:rep6@demo.test']),
    );
    expect(statements).toHaveLength(6 + 2 + 1);
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
