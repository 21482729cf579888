/**
 * Role-play runs in the database. A run (roleplay_run) holds where the learner is, the state, and `step` — the
 * number of replies made. Every reply is one roleplay_step row keyed (run, step), and must name the step it answers,
 * so a replayed or doubled request is refused with nothing changed. Lifecycle: open → ended (ending + score stored,
 * standard results written, certification re-decided, all in one transaction) or open → content_changed when the
 * role-play was edited (or removed) since the run began; that run is closed and the learner starts a new one.
 * Runs are never deleted: each replay is a new run.
 */
import { and, desc, eq, ne } from 'drizzle-orm';
import { getDb, type Tx } from '../../../db/client';
import { roleplayRunTable, roleplayStepTable, standardResultTable, userTable } from '../../../db/schema';
import { getRoleplay } from '../../lib/server/catalog';
import { now } from '../../lib/server/clock';
import type { SessionUser } from '../../lib/server/session';
import { newId, sha256Hex } from '../../lib/server/ids';
import { writeTransaction } from '../../lib/server/write-lock';
import { overseenLearners } from '../../lib/server/team-scope';
import { updateCertifications } from '../certification/certification.server';
import type { Roleplay } from '../content/schema';
import { applyChoice, initialPosition, meters, publicNode, type PublicMeter, type PublicNode, type RoleplayState } from './roleplay';
import { contentLookup, freezeOnEvent } from '../exports/xapi-freeze.server';

/** Rows with their JSON columns typed. */
export type Run = Omit<typeof roleplayRunTable.$inferSelect, 'state'> & { state: RoleplayState };
export type RunStep = Omit<typeof roleplayStepTable.$inferSelect, 'stateAfter'> & { stateAfter: RoleplayState };
const asRun = (r: typeof roleplayRunTable.$inferSelect): Run => ({ ...r, state: r.state as RoleplayState });
const asStep = (s: typeof roleplayStepTable.$inferSelect): RunStep => ({ ...s, stateAfter: s.stateAfter as RoleplayState });

export type RoleplayErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';

/** A refusal the action turns into a 4xx; the message is written for the learner. */
export class RoleplayError extends Error {
  constructor(
    readonly code: RoleplayErrorCode,
    message: string,
    readonly reason?: 'finished' | 'replayed' | 'content_changed' | 'not_offered',
  ) {
    super(message);
  }
}

/** A role-play's version: the hash of its parsed data, so any edit to the graph, effects or scores changes it. */
export function roleplayVersion(roleplay: Roleplay): string {
  return sha256Hex(JSON.stringify(roleplay)).slice(0, 16);
}

async function loadRoleplay(id: string): Promise<Roleplay | undefined> {
  return (await getRoleplay(id)) ?? undefined;
}

export async function startRun(userId: string, roleplayId: string): Promise<Run> {
  const roleplay = await loadRoleplay(roleplayId);
  if (!roleplay) throw new RoleplayError('NOT_FOUND', 'There is no such role-play.');
  const start = initialPosition(roleplay);
  const run: Run = {
    id: newId(),
    userId,
    roleplayId,
    contentVersion: roleplayVersion(roleplay),
    status: 'open',
    nodeId: start.nodeId,
    state: start.state,
    step: 0,
    endingId: null,
    score: null,
    startedAt: now(),
    endedAt: null,
  };
  await writeTransaction((tx) => tx.insert(roleplayRunTable).values(run));
  return run;
}

/** What the player shows: the current node and meters for an open run, and how many replies came before. */
export interface RunView {
  run: Pick<Run, 'id' | 'roleplayId' | 'status' | 'step' | 'endingId' | 'score'>;
  node?: PublicNode;
  meters: PublicMeter[];
}

export function viewOf(roleplay: Roleplay, run: Run): RunView {
  const open = run.status === 'open';
  const node = open ? publicNode(roleplay, run.nodeId) : undefined;
  return {
    run: { id: run.id, roleplayId: run.roleplayId, status: run.status, step: run.step, endingId: run.endingId, score: run.score },
    ...(node ? { node } : {}),
    meters: meters(roleplay, run.state),
  };
}

/**
 * The learner's newest open run of a role-play, or undefined. A run whose role-play changed since it began is
 * closed as content_changed on the way (and reported, so the page can say why the learner starts afresh).
 */
export async function currentRun(userId: string, roleplay: Roleplay): Promise<{ run?: Run; closed?: Run }> {
  const [row] = await getDb()
    .select()
    .from(roleplayRunTable)
    .where(and(eq(roleplayRunTable.userId, userId), eq(roleplayRunTable.roleplayId, roleplay.id), eq(roleplayRunTable.status, 'open')))
    .orderBy(desc(roleplayRunTable.startedAt))
    .limit(1);
  if (!row) return {};
  const run = asRun(row);
  if (run.contentVersion !== roleplayVersion(roleplay)) {
    await writeTransaction((tx) => closeChangedRun(tx, run));
    return { closed: { ...run, status: 'content_changed' } };
  }
  return { run };
}

async function closeChangedRun(tx: Tx, run: Run): Promise<void> {
  await tx
    .update(roleplayRunTable)
    .set({ status: 'content_changed', endedAt: now() })
    .where(and(eq(roleplayRunTable.id, run.id), eq(roleplayRunTable.status, 'open')));
}

export interface ChoiceInput {
  userId: string;
  runId: string;
  /** The step this reply answers: must equal the run's current step. */
  step: number;
  choiceId: string;
}

export type ChoiceResult = { kind: 'next'; view: RunView } | { kind: 'ended'; run: Run } | { kind: 'content_changed'; run: Run };

/**
 * Applies one reply. Refusals (unknown or foreign run, finished run, replayed step, reply not offered) throw a
 * RoleplayError before anything is written. A changed role-play is not an error of the learner's: the run is
 * closed (committed) and the result says so.
 */
export async function chooseReply(input: ChoiceInput): Promise<ChoiceResult> {
  return writeTransaction(async (tx) => {
    const [row] = await tx.select().from(roleplayRunTable).where(eq(roleplayRunTable.id, input.runId));
    const run = row && asRun(row);
    // Someone else's run answers exactly like a missing one, so run ids cannot be probed.
    if (!run || run.userId !== input.userId) throw new RoleplayError('NOT_FOUND', 'There is no such run.');
    if (run.status !== 'open') {
      throw new RoleplayError('CONFLICT', 'This run has already finished. Start a new one to play again.', 'finished');
    }
    const roleplay = await loadRoleplay(run.roleplayId);
    if (!roleplay || run.contentVersion !== roleplayVersion(roleplay)) {
      await closeChangedRun(tx, run);
      return { kind: 'content_changed', run: { ...run, status: 'content_changed' } };
    }
    if (input.step !== run.step) {
      throw new RoleplayError('CONFLICT', 'That reply was already sent. The conversation has moved on.', 'replayed');
    }
    const out = applyChoice(roleplay, { nodeId: run.nodeId, state: run.state }, input.choiceId);
    if (!out.ok) {
      const code = out.error === 'not-offered' ? 'BAD_REQUEST' : 'CONFLICT';
      throw new RoleplayError(code, out.message, out.error === 'not-offered' ? 'not_offered' : undefined);
    }
    const at = now();
    await tx.insert(roleplayStepTable).values({
      runId: run.id,
      step: run.step,
      nodeId: run.nodeId,
      choiceId: out.choice.id,
      stateAfter: out.state,
      at,
    });
    const ended = out.next.kind === 'ending';
    const changes =
      out.next.kind === 'ending'
        ? { state: out.state, step: run.step + 1, status: 'ended' as const, endingId: out.next.id, score: out.next.ending.score, endedAt: at }
        : { state: out.state, step: run.step + 1, nodeId: out.next.id };
    // Conditional on the step read above: a concurrent reply to the same step loses here (and on the step key).
    const updated = await tx
      .update(roleplayRunTable)
      .set(changes)
      .where(and(eq(roleplayRunTable.id, run.id), eq(roleplayRunTable.step, run.step), eq(roleplayRunTable.status, 'open')));
    if (updated.rowsAffected !== 1) {
      throw new RoleplayError('CONFLICT', 'That reply was already sent. The conversation has moved on.', 'replayed');
    }
    const next: Run = { ...run, ...changes };
    const steps = [{ runId: run.id, step: run.step }];
    await freezeOnEvent(tx, contentLookup({ roleplays: [roleplay] }), ended ? { steps, runs: [run.id] } : { steps }, at);
    if (!ended) return { kind: 'next', view: viewOf(roleplay, next) };
    await recordStandards(tx, roleplay, next, at);
    await updateCertifications(tx, run.userId, at);
    return { kind: 'ended', run: next };
  });
}

/** One standard_result per standard a reply honoured (ok) or broke (not ok), over the whole run. */
async function recordStandards(tx: Tx, roleplay: Roleplay, run: Run, at: number): Promise<void> {
  const steps = await tx.select().from(roleplayStepTable).where(eq(roleplayStepTable.runId, run.id));
  const rows: (typeof standardResultTable.$inferInsert)[] = [];
  for (const s of steps) {
    const choice = roleplay.nodes[s.nodeId]?.choices.find((c) => c.id === s.choiceId);
    if (!choice) continue;
    const base = { userId: run.userId, source: 'roleplay' as const, sourceId: run.id, at };
    for (const standardId of choice.honours) rows.push({ id: newId(), standardId, ok: true, ...base });
    for (const standardId of choice.breaks) rows.push({ id: newId(), standardId, ok: false, ...base });
  }
  if (rows.length > 0) await tx.insert(standardResultTable).values(rows);
}

export async function getRun(runId: string): Promise<{ run: Run; steps: RunStep[] } | undefined> {
  const db = getDb();
  const [run] = await db.select().from(roleplayRunTable).where(eq(roleplayRunTable.id, runId));
  if (!run) return undefined;
  const steps = await db.select().from(roleplayStepTable).where(eq(roleplayStepTable.runId, runId)).orderBy(roleplayStepTable.step);
  return { run: asRun(run), steps: steps.map(asStep) };
}

/** A learner's runs, newest first; optionally of one role-play. */
export async function listRuns(userId: string, roleplayId?: string): Promise<Run[]> {
  const where = roleplayId
    ? and(eq(roleplayRunTable.userId, userId), eq(roleplayRunTable.roleplayId, roleplayId))
    : eq(roleplayRunTable.userId, userId);
  return (await getDb().select().from(roleplayRunTable).where(where).orderBy(desc(roleplayRunTable.startedAt))).map(asRun);
}

/**
 * The newest runs by the people a manager oversees (members of the teams they manage; for an admin, everyone in the
 * organization), never the viewer's own: what a manager checks for coaching.
 */
export async function overseenRuns(
  viewer: Pick<SessionUser, 'id' | 'role' | 'organizationId'>,
  limit = 20,
): Promise<(Run & { learnerName: string })[]> {
  if (viewer.role !== 'admin' && viewer.role !== 'manager') return [];
  const db = getDb();
  const scope = overseenLearners(viewer, roleplayRunTable.userId, db);
  const rows = await db
    .select({ run: roleplayRunTable, learnerName: userTable.name })
    .from(roleplayRunTable)
    .innerJoin(userTable, eq(userTable.id, roleplayRunTable.userId))
    .where(and(scope, ne(roleplayRunTable.userId, viewer.id)))
    .orderBy(desc(roleplayRunTable.startedAt))
    .limit(limit);
  return rows.map((r) => ({ ...asRun(r.run), learnerName: r.learnerName }));
}
