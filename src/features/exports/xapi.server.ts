/**
 * xAPI statements from the database, a page at a time (see xapi-cursor.ts for the ordering and the cursor). Each
 * page runs one query per source for at most `limit` records from the cursor on, scoped to an organization and,
 * for a manager, to the members of their teams; quiz answers and role-play details are looked up only for the
 * records on the page. Content (titles, prompts, options, standards) comes from the caller — the catalog in the
 * server, the content folder in the CLI — so both build the same statements.
 */
import { and, asc, eq, gt, gte, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { getDb } from '../../../db/client';
import {
  certificateTable,
  certificationEventTable,
  exerciseAttemptTable,
  exerciseScoreTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  userTable,
} from '../../../db/schema';
import { memberIdsOf, visibleTeam, visibleTeams, type Viewer } from '../../lib/server/team-scope';
import type { Exercise, Quiz, Roleplay, Track } from '../content/schema';
import {
  buildAnsweredQuestionStatement,
  buildCertificationStatement,
  buildExerciseAttemptStatement,
  buildQuizAttemptStatement,
  buildRoleplayChoiceStatement,
  buildRoleplayRunStatement,
  type CertificationEventKind,
  type XapiSite,
} from './xapi';
import {
  assemblePage,
  recordKinds,
  recordsPerSource,
  type Position,
  type RecordKind,
  type SourceRecord,
} from './xapi-cursor';
import type { Statement } from './xapi-schema';

export interface XapiContent {
  quiz(id: string): Quiz | undefined;
  roleplay(id: string): Roleplay | undefined;
  track(id: string): Track | undefined;
  exercise(id: string): Exercise | undefined;
}

/** Whose statements: an organization, narrowed to some people (a manager's team members) when `userIds` is set. */
export interface XapiScope {
  organizationId: string;
  userIds?: readonly string[];
}

export interface PageRequest {
  from?: Position | undefined;
  /** Only records at or after this time (ms). */
  since?: number | undefined;
  limit: number;
}

type Rec = SourceRecord<Statement>;

/** "key ≥ from" for one source, whose records all have kind `kind`. */
function fromCondition(
  kind: RecordKind,
  from: Position | undefined,
  t: SQLiteColumn,
  id: SQLiteColumn,
  seq?: SQLiteColumn,
): SQL | undefined {
  if (!from) return undefined;
  const mine = recordKinds.indexOf(kind);
  const theirs = recordKinds.indexOf(from.k);
  if (mine > theirs) return gte(t, from.t);
  if (mine < theirs) return gt(t, from.t);
  const sameId = seq ? and(eq(id, from.id), gte(seq, from.seq)) : eq(id, from.id);
  return or(gt(t, from.t), and(eq(t, from.t), or(gt(id, from.id), sameId)));
}

/**
 * The organization test is written `+organization_id = ?`: the unary plus keeps SQLite from driving the query from
 * the user table's organization index (then sorting every record of the organization), so it walks the time-order
 * index from the cursor instead and stops after one page. A manager's member list still drives through user_id.
 */
function scopeCondition(scope: XapiScope, userId: SQLiteColumn): SQL | undefined {
  return and(
    sql`+${userTable.organizationId} = ${scope.organizationId}`,
    scope.userIds ? inArray(userId, [...scope.userIds]) : undefined,
  );
}

const person = (r: { email: string; name: string }) => ({ email: r.email, name: r.name });

async function attemptRecords(
  site: XapiSite,
  content: XapiContent,
  scope: XapiScope,
  req: PageRequest,
): Promise<Rec[]> {
  const db = getDb();
  const rows = await db
    .select({
      id: quizAttemptTable.id,
      quizId: quizAttemptTable.quizId,
      moduleId: quizAttemptTable.moduleId,
      questions: quizAttemptTable.questions,
      score: quizAttemptTable.score,
      passed: quizAttemptTable.passed,
      startedAt: quizAttemptTable.startedAt,
      submittedAt: quizAttemptTable.submittedAt,
      email: userTable.email,
      name: userTable.name,
    })
    .from(quizAttemptTable)
    .innerJoin(userTable, eq(userTable.id, quizAttemptTable.userId))
    .where(
      and(
        eq(quizAttemptTable.status, 'submitted'),
        isNotNull(quizAttemptTable.submittedAt),
        scopeCondition(scope, quizAttemptTable.userId),
        req.since === undefined ? undefined : gte(quizAttemptTable.submittedAt, req.since),
        fromCondition('attempt', req.from, quizAttemptTable.submittedAt, quizAttemptTable.id),
      ),
    )
    .orderBy(asc(quizAttemptTable.submittedAt), asc(quizAttemptTable.id))
    .limit(recordsPerSource(req.limit));
  if (rows.length === 0) return [];
  const answers = await db
    .select()
    .from(quizAnswerTable)
    .where(
      inArray(
        quizAnswerTable.attemptId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((r) => {
    const at = r.submittedAt!;
    const quiz = content.quiz(r.quizId);
    const learner = person(r);
    const order = ((r.questions as { id: string }[]) ?? []).map((q) => q.id);
    const mine = answers
      .filter((a) => a.attemptId === r.id)
      .sort((a, b) => order.indexOf(a.questionId) - order.indexOf(b.questionId));
    const statements = [
      buildQuizAttemptStatement(site, {
        attemptId: r.id,
        quizId: r.quizId,
        quizTitle: quiz?.title,
        moduleSlug: r.moduleId,
        learner,
        score: r.score ?? 0,
        passed: r.passed ?? false,
        startedAt: r.startedAt,
        submittedAt: at,
      }),
      ...mine.map((a) => {
        const q = quiz?.questions.find((x) => x.id === a.questionId);
        return buildAnsweredQuestionStatement(site, {
          attemptId: r.id,
          quizId: r.quizId,
          moduleSlug: r.moduleId,
          questionId: a.questionId,
          learner,
          chosen: (a.chosen as string[]) ?? [],
          correct: a.correct,
          at,
          ...(q && { kind: q.kind, prompt: q.prompt, options: q.options.map((o) => ({ id: o.id, text: o.text })) }),
          standards: (a.standards as string[]) ?? [],
        });
      }),
    ];
    return { key: { t: at, k: 'attempt', id: r.id, seq: 0 }, statements };
  });
}

async function certificationRecords(
  site: XapiSite,
  content: XapiContent,
  scope: XapiScope,
  req: PageRequest,
): Promise<Rec[]> {
  const rows = await getDb()
    .select({
      event: certificationEventTable,
      code: certificateTable.code,
      expiresAt: certificateTable.expiresAt,
      email: userTable.email,
      name: userTable.name,
    })
    .from(certificationEventTable)
    .innerJoin(userTable, eq(userTable.id, certificationEventTable.userId))
    .leftJoin(certificateTable, eq(certificateTable.id, certificationEventTable.certificateId))
    .where(
      and(
        scopeCondition(scope, certificationEventTable.userId),
        req.since === undefined ? undefined : gte(certificationEventTable.at, req.since),
        fromCondition('certification', req.from, certificationEventTable.at, certificationEventTable.id),
      ),
    )
    .orderBy(asc(certificationEventTable.at), asc(certificationEventTable.id))
    .limit(recordsPerSource(req.limit));
  const base = site.baseUrl.replace(/\/+$/, '');
  return rows.map(({ event, code, expiresAt, ...who }) => {
    const detail = (event.detail ?? {}) as { reason?: string };
    return {
      key: { t: event.at, k: 'certification', id: event.id, seq: 0 },
      statements: [
        buildCertificationStatement(site, {
          eventId: event.id,
          kind: event.kind as CertificationEventKind,
          trackId: event.trackId,
          trackTitle: content.track(event.trackId)?.title,
          learner: person(who),
          at: event.at,
          ...(code && { verifyUrl: `${base}/verify/${code}` }),
          ...(expiresAt !== null && { expiresAt }),
          ...(detail.reason && { reason: detail.reason }),
        }),
      ],
    };
  });
}

async function runRecords(site: XapiSite, content: XapiContent, scope: XapiScope, req: PageRequest): Promise<Rec[]> {
  const rows = await getDb()
    .select({ run: roleplayRunTable, email: userTable.email, name: userTable.name })
    .from(roleplayRunTable)
    .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
    .where(
      and(
        eq(roleplayRunTable.status, 'ended'),
        isNotNull(roleplayRunTable.endedAt),
        isNotNull(roleplayRunTable.endingId),
        scopeCondition(scope, roleplayRunTable.userId),
        req.since === undefined ? undefined : gte(roleplayRunTable.endedAt, req.since),
        fromCondition('run', req.from, roleplayRunTable.endedAt, roleplayRunTable.id),
      ),
    )
    .orderBy(asc(roleplayRunTable.endedAt), asc(roleplayRunTable.id))
    .limit(recordsPerSource(req.limit));
  return rows.map(({ run, ...who }) => {
    const rp = content.roleplay(run.roleplayId);
    return {
      key: { t: run.endedAt!, k: 'run', id: run.id, seq: 0 },
      statements: [
        buildRoleplayRunStatement(site, {
          runId: run.id,
          roleplayId: run.roleplayId,
          title: rp?.title,
          moduleSlug: rp?.module ?? run.roleplayId,
          learner: person(who),
          score: run.score ?? 0,
          ...(rp && { passScore: rp.passScore }),
          endingId: run.endingId!,
          startedAt: run.startedAt,
          endedAt: run.endedAt!,
        }),
      ],
    };
  });
}

async function stepRecords(site: XapiSite, content: XapiContent, scope: XapiScope, req: PageRequest): Promise<Rec[]> {
  const rows = await getDb()
    .select({
      step: roleplayStepTable,
      roleplayId: roleplayRunTable.roleplayId,
      email: userTable.email,
      name: userTable.name,
    })
    .from(roleplayStepTable)
    .innerJoin(roleplayRunTable, eq(roleplayRunTable.id, roleplayStepTable.runId))
    .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
    .where(
      and(
        scopeCondition(scope, roleplayRunTable.userId),
        req.since === undefined ? undefined : gte(roleplayStepTable.at, req.since),
        fromCondition('step', req.from, roleplayStepTable.at, roleplayStepTable.runId, roleplayStepTable.step),
      ),
    )
    .orderBy(asc(roleplayStepTable.at), asc(roleplayStepTable.runId), asc(roleplayStepTable.step))
    .limit(recordsPerSource(req.limit));
  return rows.map(({ step, roleplayId, ...who }) => {
    const node = content.roleplay(roleplayId)?.nodes[step.nodeId];
    const choice = node?.choices.find((c) => c.id === step.choiceId);
    return {
      key: { t: step.at, k: 'step', id: step.runId, seq: step.step },
      statements: [
        buildRoleplayChoiceStatement(site, {
          runId: step.runId,
          step: step.step,
          roleplayId,
          nodeId: step.nodeId,
          choiceId: step.choiceId,
          learner: person(who),
          at: step.at,
          ...(node && { line: node.line }),
          ...(choice && { honours: choice.honours, breaks: choice.breaks }),
        }),
      ],
    };
  });
}

async function exerciseRecords(site: XapiSite, content: XapiContent, scope: XapiScope, req: PageRequest): Promise<Rec[]> {
  const db = getDb();
  const rows = await db
    .select({ attempt: exerciseAttemptTable, email: userTable.email, name: userTable.name })
    .from(exerciseAttemptTable)
    .innerJoin(userTable, eq(userTable.id, exerciseAttemptTable.userId))
    .where(
      and(
        eq(exerciseAttemptTable.status, 'submitted'),
        isNotNull(exerciseAttemptTable.submittedAt),
        scopeCondition(scope, exerciseAttemptTable.userId),
        req.since === undefined ? undefined : gte(exerciseAttemptTable.submittedAt, req.since),
        fromCondition('exercise', req.from, exerciseAttemptTable.submittedAt, exerciseAttemptTable.id),
      ),
    )
    .orderBy(asc(exerciseAttemptTable.submittedAt), asc(exerciseAttemptTable.id))
    .limit(recordsPerSource(req.limit));
  if (rows.length === 0) return [];
  const tallies = await db
    .select({ attemptId: exerciseScoreTable.attemptId, agreed: sql<number>`sum(${exerciseScoreTable.agrees})`, total: sql<number>`count(*)` })
    .from(exerciseScoreTable)
    .where(
      inArray(
        exerciseScoreTable.attemptId,
        rows.map((r) => r.attempt.id),
      ),
    )
    .groupBy(exerciseScoreTable.attemptId);
  return rows.map(({ attempt, ...who }) => {
    const tally = tallies.find((t) => t.attemptId === attempt.id);
    return {
      key: { t: attempt.submittedAt!, k: 'exercise', id: attempt.id, seq: 0 },
      statements: [
        buildExerciseAttemptStatement(site, {
          attemptId: attempt.id,
          exerciseId: attempt.exerciseId,
          title: content.exercise(attempt.exerciseId)?.title,
          moduleSlug: attempt.moduleId,
          learner: person(who),
          score: attempt.score ?? 0,
          passed: attempt.passed ?? false,
          ...(tally && { agreed: Number(tally.agreed), total: Number(tally.total) }),
          startedAt: attempt.startedAt,
          submittedAt: attempt.submittedAt!,
        }),
      ],
    };
  });
}

export interface StatementPage {
  statements: Statement[];
  next: Position | undefined;
}

/** One page of statements from `req.from` on, at most `req.limit` of them. */
export async function statementPage(
  site: XapiSite,
  content: XapiContent,
  scope: XapiScope,
  req: PageRequest,
): Promise<StatementPage> {
  if (scope.userIds && scope.userIds.length === 0) return { statements: [], next: undefined };
  const sources = await Promise.all([
    attemptRecords(site, content, scope, req),
    certificationRecords(site, content, scope, req),
    runRecords(site, content, scope, req),
    stepRecords(site, content, scope, req),
    exerciseRecords(site, content, scope, req),
  ]);
  return assemblePage(sources, req.from, req.limit);
}

/** A content lookup over lists (the catalog's or the content folder's). */
export function contentLookup(lists: {
  quizzes: readonly Quiz[];
  roleplays: readonly Roleplay[];
  tracks: readonly Track[];
  exercises: readonly Exercise[];
}): XapiContent {
  const quizzes = new Map(lists.quizzes.map((q) => [q.id, q]));
  const roleplays = new Map(lists.roleplays.map((r) => [r.id, r]));
  const tracks = new Map(lists.tracks.map((t) => [t.id, t]));
  const exercises = new Map(lists.exercises.map((e) => [e.id, e]));
  return {
    quiz: (id) => quizzes.get(id),
    roleplay: (id) => roleplays.get(id),
    track: (id) => tracks.get(id),
    exercise: (id) => exercises.get(id),
  };
}

/**
 * Whose statements a viewer may export: an admin, their organization (or one of its teams); a manager, the members
 * of the teams they manage (or one of them). Undefined: not allowed (another team, or not staff).
 */
export async function xapiScopeFor(viewer: Viewer, teamId?: string): Promise<XapiScope | undefined> {
  if (teamId) {
    const team = await visibleTeam(viewer, teamId);
    return team && { organizationId: viewer.organizationId, userIds: await memberIdsOf([team.id]) };
  }
  if (viewer.role === 'admin') return { organizationId: viewer.organizationId };
  if (viewer.role !== 'manager') return undefined;
  const teams = await visibleTeams(viewer);
  return { organizationId: viewer.organizationId, userIds: await memberIdsOf(teams.map((t) => t.id)) };
}
