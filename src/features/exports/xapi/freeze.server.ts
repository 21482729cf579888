/**
 * Freezing xAPI statements: each statement is built once, when its event happens, from the content of that moment,
 * and stored in `xapi_statement`; the pull API and the LRS outbox only ever read what was stored, so a content edit
 * never changes a statement an LRS already has (it would answer 409 and reject the whole batch).
 *
 * `freezeStatements` runs inside the write transaction that records the event (quiz submit, role-play reply,
 * certification event, quality evaluation submitted or acknowledged), so the event and its statements commit together. `freezeMissingStatements` catches up on
 * records that have none — rows written before this table existed, and the seeded demo history — with the content
 * of the moment it runs. Freezing a record twice adds nothing (unique source + source id).
 */
import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Tx } from '../../../../db/client';
import {
  certificateTable,
  certificationEventTable,
  exerciseAttemptTable,
  exerciseScoreTable,
  qualityEvaluationTable,
  qualityScoreTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  userTable,
  xapiStatementTable,
} from '../../../../db/schema';
import { writeTransaction } from '../../../lib/server/write-lock';
import type { Exercise, QualityScorecard, Quiz, Roleplay, Standard, Track } from '../../content/schema';
import {
  buildAnsweredQuestionStatement,
  buildCertificationStatement,
  buildQuizAttemptStatement,
  buildRoleplayChoiceStatement,
  buildRoleplayRunStatement,
  type CertificationEventKind,
} from './xapi';
import { buildExerciseAttemptStatement } from './exercise';
import { buildAcknowledgementStatement, buildEvaluationStatement, type EvaluationInput } from './evaluation';
import { organizationIri, storedOrganizationIri, XapiIriMissing } from './iri.server';
import type { Statement } from './schema';

/** Content lookups the builders need (titles, prompts, options, standards). */
export interface XapiContent {
  quiz(id: string): Quiz | undefined;
  roleplay(id: string): Roleplay | undefined;
  track(id: string): Track | undefined;
  exercise(id: string): Exercise | undefined;
  scorecard(id: string): QualityScorecard | undefined;
  standard(id: string): Standard | undefined;
}

/** A content lookup over lists (the catalog's, the content folder's, or the one quiz a submit has at hand). */
export function contentLookup(lists: {
  quizzes?: readonly Quiz[];
  roleplays?: readonly Roleplay[];
  tracks?: readonly Track[];
  exercises?: readonly Exercise[];
  scorecards?: readonly QualityScorecard[];
  standards?: readonly Standard[];
}): XapiContent {
  const quizzes = new Map((lists.quizzes ?? []).map((q) => [q.id, q]));
  const roleplays = new Map((lists.roleplays ?? []).map((r) => [r.id, r]));
  const tracks = new Map((lists.tracks ?? []).map((t) => [t.id, t]));
  const exercises = new Map((lists.exercises ?? []).map((e) => [e.id, e]));
  const scorecards = new Map((lists.scorecards ?? []).map((c) => [c.id, c]));
  const standards = new Map((lists.standards ?? []).map((s) => [s.id, s]));
  return {
    quiz: (id) => quizzes.get(id),
    roleplay: (id) => roleplays.get(id),
    track: (id) => tracks.get(id),
    exercise: (id) => exercises.get(id),
    scorecard: (id) => scorecards.get(id),
    standard: (id) => standards.get(id),
  };
}

/** Which records to freeze, by id. */
export interface FreezeRequest {
  attempts?: readonly string[];
  runs?: readonly string[];
  steps?: readonly { runId: string; step: number }[];
  events?: readonly string[];
  /** Submitted calibration exercise attempts. */
  exercises?: readonly string[];
  /** Submitted floor or agreed quality evaluations, and the reps' acknowledgements of them. */
  evaluations?: readonly string[];
  acknowledgements?: readonly string[];
}

type Source = (typeof xapiStatementTable.$inferInsert)['source'];
interface Frozen {
  source: Source;
  sourceId: string;
  userId: string;
  organizationId: string;
  build: (iri: string) => Statement;
}

const person = (r: { email: string; name: string }) => ({ email: r.email, name: r.name });

/** A submitted certification attempt with its learner: what its statements are built from. */
interface SubmittedAttempt {
  id: string;
  quizId: string;
  moduleId: string;
  questions: unknown;
  score: number | null;
  passed: boolean | null;
  startedAt: number;
  submittedAt: number;
  userId: string;
  organizationId: string;
  email: string;
  name: string;
}

interface AnswerRow {
  questionId: string;
  chosen: unknown;
  correct: boolean;
  standards: unknown;
}

/** The attempt's statement and one per answer, in the order the questions were shown. */
function attemptFrozen(r: SubmittedAttempt, answers: readonly AnswerRow[], content: XapiContent): Frozen[] {
  const at = r.submittedAt;
  const quiz = content.quiz(r.quizId);
  const learner = person(r);
  const owner = { userId: r.userId, organizationId: r.organizationId };
  const order = ((r.questions as { id: string }[]) ?? []).map((q) => q.id);
  const mine = [...answers].sort((a, b) => order.indexOf(a.questionId) - order.indexOf(b.questionId));
  return [
    {
      ...owner,
      source: 'attempt' as const,
      sourceId: r.id,
      build: (iri: string) =>
        buildQuizAttemptStatement(
          { baseUrl: iri },
          {
            attemptId: r.id,
            quizId: r.quizId,
            quizTitle: quiz?.title,
            moduleSlug: r.moduleId,
            learner,
            score: r.score ?? 0,
            passed: r.passed ?? false,
            startedAt: r.startedAt,
            submittedAt: at,
          },
        ),
    },
    ...mine.map((a) => {
      const q = quiz?.questions.find((x) => x.id === a.questionId);
      return {
        ...owner,
        source: 'answer' as const,
        sourceId: `${r.id}:${a.questionId}`,
        build: (iri: string) =>
          buildAnsweredQuestionStatement(
            { baseUrl: iri },
            {
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
            },
          ),
      };
    }),
  ];
}

async function attemptStatements(db: Db | Tx, content: XapiContent, where: SQL): Promise<Frozen[]> {
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
      userId: userTable.id,
      organizationId: userTable.organizationId,
      email: userTable.email,
      name: userTable.name,
    })
    .from(quizAttemptTable)
    .innerJoin(userTable, eq(userTable.id, quizAttemptTable.userId))
    // Practice attempts never count, so they make no statements (like practice role-play runs).
    .where(
      and(
        eq(quizAttemptTable.status, 'submitted'),
        eq(quizAttemptTable.mode, 'certification'),
        isNotNull(quizAttemptTable.submittedAt),
        where,
      ),
    )
    .orderBy(asc(quizAttemptTable.submittedAt), asc(quizAttemptTable.id));
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
  return rows.flatMap((r) =>
    attemptFrozen(
      { ...r, submittedAt: r.submittedAt! },
      answers.filter((a) => a.attemptId === r.id),
      content,
    ),
  );
}

async function eventStatements(db: Db | Tx, content: XapiContent, where: SQL): Promise<Frozen[]> {
  const rows = await db
    .select({
      event: certificationEventTable,
      code: certificateTable.code,
      expiresAt: certificateTable.expiresAt,
      organizationId: userTable.organizationId,
      email: userTable.email,
      name: userTable.name,
    })
    .from(certificationEventTable)
    .innerJoin(userTable, eq(userTable.id, certificationEventTable.userId))
    .leftJoin(certificateTable, eq(certificateTable.id, certificationEventTable.certificateId))
    .where(where)
    .orderBy(asc(certificationEventTable.at), asc(certificationEventTable.id));
  return rows.map(({ event, code, expiresAt, organizationId, ...who }) => {
    const detail = (event.detail ?? {}) as { reason?: string };
    return {
      source: 'certification' as const,
      sourceId: event.id,
      userId: event.userId,
      organizationId,
      build: (iri: string) =>
        buildCertificationStatement(
          { baseUrl: iri },
          {
            eventId: event.id,
            kind: event.kind as CertificationEventKind,
            trackId: event.trackId,
            trackTitle: content.track(event.trackId)?.title,
            learner: person(who),
            at: event.at,
            ...(code && { verifyUrl: `${iri}/verify/${code}` }),
            ...(expiresAt !== null && { expiresAt }),
            ...(detail.reason && { reason: detail.reason }),
          },
        ),
    };
  });
}

async function runStatements(db: Db | Tx, content: XapiContent, where: SQL): Promise<Frozen[]> {
  const rows = await db
    .select({
      run: roleplayRunTable,
      organizationId: userTable.organizationId,
      email: userTable.email,
      name: userTable.name,
    })
    .from(roleplayRunTable)
    .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
    .where(
      and(
        eq(roleplayRunTable.status, 'ended'),
        eq(roleplayRunTable.practice, false),
        isNotNull(roleplayRunTable.endedAt),
        isNotNull(roleplayRunTable.endingId),
        where,
      ),
    )
    .orderBy(asc(roleplayRunTable.endedAt), asc(roleplayRunTable.id));
  return rows.map(({ run, organizationId, ...who }) => {
    const rp = content.roleplay(run.roleplayId);
    return {
      source: 'run' as const,
      sourceId: run.id,
      userId: run.userId,
      organizationId,
      build: (iri: string) =>
        buildRoleplayRunStatement(
          { baseUrl: iri },
          {
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
          },
        ),
    };
  });
}

async function stepStatements(db: Db | Tx, content: XapiContent, where: SQL): Promise<Frozen[]> {
  const rows = await db
    .select({
      step: roleplayStepTable,
      roleplayId: roleplayRunTable.roleplayId,
      userId: userTable.id,
      organizationId: userTable.organizationId,
      email: userTable.email,
      name: userTable.name,
    })
    .from(roleplayStepTable)
    .innerJoin(roleplayRunTable, eq(roleplayRunTable.id, roleplayStepTable.runId))
    .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
    .where(and(eq(roleplayRunTable.practice, false), where))
    .orderBy(asc(roleplayStepTable.at), asc(roleplayStepTable.runId), asc(roleplayStepTable.step));
  return rows.map(({ step, roleplayId, userId, organizationId, ...who }) => {
    const node = content.roleplay(roleplayId)?.nodes[step.nodeId];
    const choice = node?.choices.find((c) => c.id === step.choiceId);
    return {
      source: 'step' as const,
      sourceId: `${step.runId}:${step.step}`,
      userId,
      organizationId,
      build: (iri: string) =>
        buildRoleplayChoiceStatement(
          { baseUrl: iri },
          {
            runId: step.runId,
            step: step.step,
            roleplayId,
            nodeId: step.nodeId,
            choiceId: step.choiceId,
            learner: person(who),
            at: step.at,
            ...(node && { line: node.line }),
            ...(choice && { honours: choice.honours, breaks: choice.breaks }),
          },
        ),
    };
  });
}

async function exerciseStatements(db: Db | Tx, content: XapiContent, where: SQL): Promise<Frozen[]> {
  const rows = await db
    .select({
      attempt: exerciseAttemptTable,
      organizationId: userTable.organizationId,
      email: userTable.email,
      name: userTable.name,
      agreed: sql<number>`(SELECT count(*) FROM ${exerciseScoreTable} WHERE ${exerciseScoreTable.attemptId} = ${exerciseAttemptTable.id} AND ${exerciseScoreTable.agrees} = 1)`,
      total: sql<number>`(SELECT count(*) FROM ${exerciseScoreTable} WHERE ${exerciseScoreTable.attemptId} = ${exerciseAttemptTable.id})`,
    })
    .from(exerciseAttemptTable)
    .innerJoin(userTable, eq(userTable.id, exerciseAttemptTable.userId))
    .where(and(eq(exerciseAttemptTable.status, 'submitted'), isNotNull(exerciseAttemptTable.submittedAt), where))
    .orderBy(asc(exerciseAttemptTable.submittedAt), asc(exerciseAttemptTable.id));
  return rows.map(({ attempt, organizationId, agreed, total, ...who }) => {
    const exercise = content.exercise(attempt.exerciseId);
    return {
      source: 'exercise' as const,
      sourceId: attempt.id,
      userId: attempt.userId,
      organizationId,
      build: (iri: string) =>
        buildExerciseAttemptStatement(
          { baseUrl: iri },
          {
            attemptId: attempt.id,
            exerciseId: attempt.exerciseId,
            title: exercise?.title,
            moduleSlug: attempt.moduleId,
            learner: person(who),
            score: attempt.score ?? 0,
            passed: attempt.passed ?? false,
            agreed: Number(agreed),
            total: Number(total),
            startedAt: attempt.startedAt,
            submittedAt: attempt.submittedAt!,
          },
        ),
    };
  });
}

/** Calibration scores are practice between evaluators, not the rep's record: only floor and agreed ones are stated. */
async function evaluationStatements(
  db: Db | Tx,
  content: XapiContent,
  ids: readonly string[],
  ack: boolean,
): Promise<Frozen[]> {
  const evaluator = alias(userTable, 'evaluator');
  const ev = qualityEvaluationTable;
  const rows = await db
    .select({
      ev,
      repEmail: userTable.email,
      repName: userTable.name,
      evEmail: evaluator.email,
      evName: evaluator.name,
    })
    .from(ev)
    .innerJoin(userTable, eq(userTable.id, ev.repId))
    .innerJoin(evaluator, eq(evaluator.id, ev.evaluatorId))
    .where(
      and(
        inArray(ev.id, [...ids]),
        eq(ev.status, 'submitted'),
        inArray(ev.kind, ['floor', 'agreed']),
        isNotNull(ev.submittedAt),
        ack ? isNotNull(ev.acknowledgedAt) : undefined,
      ),
    );
  if (rows.length === 0) return [];
  const scored = await db
    .selectDistinct({ evaluationId: qualityScoreTable.evaluationId, standardId: qualityScoreTable.standardId })
    .from(qualityScoreTable)
    .where(
      inArray(
        qualityScoreTable.evaluationId,
        rows.map((r) => r.ev.id),
      ),
    )
    .orderBy(asc(qualityScoreTable.standardId));
  return rows.map((r) => {
    const input: EvaluationInput = {
      evaluationId: r.ev.id,
      rep: { email: r.repEmail, name: r.repName },
      evaluator: { email: r.evEmail, name: r.evName },
      scorecardId: r.ev.scorecardId,
      scorecardTitle: content.scorecard(r.ev.scorecardId)?.title,
      channel: r.ev.channel,
      score: r.ev.score ?? undefined,
      standards: scored
        .filter((s) => s.evaluationId === r.ev.id)
        .map((s) => ({ id: s.standardId, title: content.standard(s.standardId)?.title })),
      submittedAt: r.ev.submittedAt!,
    };
    return {
      source: ack ? ('acknowledgement' as const) : ('evaluation' as const),
      sourceId: r.ev.id,
      userId: r.ev.repId,
      organizationId: r.ev.organizationId,
      build: (iri: string) =>
        ack
          ? buildAcknowledgementStatement(
              { baseUrl: iri },
              { ...input, acknowledgedAt: r.ev.acknowledgedAt!, comment: r.ev.ackComment ?? undefined },
            )
          : buildEvaluationStatement({ baseUrl: iri }, input),
    };
  });
}

const INSERT_CHUNK = 100;

type StatementRow = typeof xapiStatementTable.$inferInsert;

/**
 * The statements of an attempt about to be submitted, built BEFORE its write transaction from what the submit
 * already holds (the attempt as it will be stored, its graded answers) and one read of the learner: the transaction
 * then only inserts them (`storeStatements`), with no reads while it holds the write lock. Undefined while the
 * organization has no IRI yet: the submit then freezes inside its transaction as every other event does
 * (`freezeOnEvent`, which fixes the IRI).
 */
export async function prepareAttemptStatements(
  db: Db,
  content: XapiContent,
  attempt: Omit<SubmittedAttempt, 'organizationId' | 'email' | 'name'>,
  answers: readonly AnswerRow[],
): Promise<StatementRow[] | undefined> {
  const [who] = await db
    .select({ organizationId: userTable.organizationId, email: userTable.email, name: userTable.name })
    .from(userTable)
    .where(eq(userTable.id, attempt.userId));
  if (!who) return undefined;
  const iri = await storedOrganizationIri(db, who.organizationId);
  if (!iri) return undefined;
  return attemptFrozen({ ...attempt, ...who }, answers, content).map((f) => rowOf(f, iri, attempt.submittedAt));
}

function rowOf(f: Frozen, iri: string, at: number): StatementRow {
  const statement = f.build(iri);
  return {
    id: statement.id,
    organizationId: f.organizationId,
    userId: f.userId,
    source: f.source,
    sourceId: f.sourceId,
    statement,
    storedAt: at,
  };
}

/** Inserts prepared statements (inside the event's transaction); one already stored for its record stays as it was. */
export function storeStatements(tx: Tx, rows: readonly StatementRow[]): Promise<unknown> {
  return tx
    .insert(xapiStatementTable)
    .values([...rows])
    .onConflictDoNothing()
    .run();
}

/** Builds and stores the statements of the given records, with `storedAt` = at. Returns how many were new. */
export async function freezeStatements(
  db: Db | Tx,
  content: XapiContent,
  req: FreezeRequest,
  at: number,
): Promise<number> {
  const pending: Frozen[] = [];
  if (req.attempts?.length)
    pending.push(...(await attemptStatements(db, content, inArray(quizAttemptTable.id, [...req.attempts]))));
  if (req.events?.length)
    pending.push(...(await eventStatements(db, content, inArray(certificationEventTable.id, [...req.events]))));
  if (req.steps?.length) {
    const keys = or(
      ...req.steps.map((s) => and(eq(roleplayStepTable.runId, s.runId), eq(roleplayStepTable.step, s.step))),
    )!;
    pending.push(...(await stepStatements(db, content, keys)));
  }
  if (req.runs?.length)
    pending.push(...(await runStatements(db, content, inArray(roleplayRunTable.id, [...req.runs]))));
  if (req.exercises?.length)
    pending.push(...(await exerciseStatements(db, content, inArray(exerciseAttemptTable.id, [...req.exercises]))));
  if (req.evaluations?.length) pending.push(...(await evaluationStatements(db, content, req.evaluations, false)));
  if (req.acknowledgements?.length)
    pending.push(...(await evaluationStatements(db, content, req.acknowledgements, true)));
  const rows = [];
  for (const f of pending) rows.push(rowOf(f, await organizationIri(db, f.organizationId), at));
  let added = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const done = await db
      .insert(xapiStatementTable)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflictDoNothing()
      .returning({ seq: xapiStatementTable.seq });
    added += done.length;
  }
  return added;
}

/** `source_id` of the frozen record's statement, for the "has none yet" join. */
const frozenJoin = (source: Source, sourceId: SQL | SQLiteColumn) =>
  and(eq(xapiStatementTable.source, source), eq(xapiStatementTable.sourceId, sourceId));

const CATCH_UP_BATCH = 200;

/**
 * Freezes every record that has no statement yet (oldest first, a batch per write transaction), with the content
 * given. Returns how many statements were stored.
 */
export async function freezeMissingStatements(db: Db, content: XapiContent, at: number): Promise<number> {
  let total = 0;
  const drain = async (find: () => Promise<FreezeRequest | undefined>) => {
    for (let req = await find(); req; req = await find())
      total += await writeTransaction((tx) => freezeStatements(tx, content, req!, at));
  };
  const nonEmpty = <T>(items: T[], make: (items: T[]) => FreezeRequest) => (items.length ? make(items) : undefined);
  /** A batch of ids of `table`'s records matching `where` that have no `source` statement yet, oldest first. */
  const unfrozen = async (
    table: SQLiteTable,
    id: SQLiteColumn,
    source: Source,
    where: SQL | undefined,
    oldest: SQLiteColumn,
  ) =>
    (
      await db
        .select({ id })
        .from(table)
        .leftJoin(xapiStatementTable, frozenJoin(source, id))
        .where(and(where, isNull(xapiStatementTable.seq)))
        .orderBy(asc(oldest))
        .limit(CATCH_UP_BATCH)
    ).map((r) => r.id as string);

  const attempt = quizAttemptTable;
  await drain(async () =>
    nonEmpty(
      await unfrozen(
        attempt,
        attempt.id,
        'attempt',
        and(eq(attempt.status, 'submitted'), eq(attempt.mode, 'certification'), isNotNull(attempt.submittedAt)),
        attempt.submittedAt,
      ),
      (attempts) => ({ attempts }),
    ),
  );
  await drain(async () => {
    const rows = await db
      .select({ runId: roleplayStepTable.runId, step: roleplayStepTable.step })
      .from(roleplayStepTable)
      .innerJoin(roleplayRunTable, eq(roleplayRunTable.id, roleplayStepTable.runId))
      .leftJoin(
        xapiStatementTable,
        frozenJoin('step', sql`${roleplayStepTable.runId} || ':' || ${roleplayStepTable.step}`),
      )
      // Practice runs are the learner's own: they never reach an LRS.
      .where(and(eq(roleplayRunTable.practice, false), isNull(xapiStatementTable.seq)))
      .orderBy(asc(roleplayStepTable.at))
      .limit(CATCH_UP_BATCH);
    return nonEmpty(rows, (steps) => ({ steps }));
  });
  const run = roleplayRunTable;
  await drain(async () =>
    nonEmpty(
      await unfrozen(
        run,
        run.id,
        'run',
        and(eq(run.status, 'ended'), eq(run.practice, false), isNotNull(run.endedAt), isNotNull(run.endingId)),
        run.endedAt,
      ),
      (runs) => ({ runs }),
    ),
  );
  const exercise = exerciseAttemptTable;
  await drain(async () =>
    nonEmpty(
      await unfrozen(
        exercise,
        exercise.id,
        'exercise',
        and(eq(exercise.status, 'submitted'), isNotNull(exercise.submittedAt)),
        exercise.submittedAt,
      ),
      (exercises) => ({ exercises }),
    ),
  );
  const ev = qualityEvaluationTable;
  for (const ack of [false, true]) {
    await drain(async () =>
      nonEmpty(
        await unfrozen(
          ev,
          ev.id,
          ack ? 'acknowledgement' : 'evaluation',
          and(
            eq(ev.status, 'submitted'),
            inArray(ev.kind, ['floor', 'agreed']),
            isNotNull(ev.submittedAt),
            ack ? isNotNull(ev.acknowledgedAt) : undefined,
          ),
          ack ? ev.acknowledgedAt : ev.submittedAt,
        ),
        (ids) => (ack ? { acknowledgements: ids } : { evaluations: ids }),
      ),
    );
  }
  await drain(async () =>
    nonEmpty(
      await unfrozen(
        certificationEventTable,
        certificationEventTable.id,
        'certification',
        undefined,
        certificationEventTable.at,
      ),
      (events) => ({ events }),
    ),
  );
  return total;
}

/**
 * `freezeStatements` for the write path of an event (inside its transaction). Without an organization IRI yet (a
 * process that has neither SITE_URL nor a request behind it) the event is still recorded, and its statements are
 * frozen by the next catch-up instead of failing the learner's submit.
 */
export async function freezeOnEvent(tx: Tx, content: XapiContent, req: FreezeRequest, at: number): Promise<void> {
  try {
    await freezeStatements(tx, content, req, at);
  } catch (error) {
    if (!(error instanceof XapiIriMissing)) throw error;
  }
}
