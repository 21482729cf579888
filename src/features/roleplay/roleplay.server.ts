/**
 * Role-play runs in the database. A run (roleplay_run) holds where the learner is, the state, `step` (the number of
 * replies made), a seed for the order its replies are shown in and a key for its reply tokens (reply-tokens.server.ts).
 * Every reply is one roleplay_step row keyed (run, step), and must name the step it answers, so a replayed or
 * doubled request is refused with nothing changed.
 *
 * Lifecycle: open → ended (ending + score stored, standard results written, certification re-decided, all in one
 * transaction); open → content_changed when the role-play was edited (or removed) since the run began; open →
 * abandoned when the learner starts over. A learner has at most one open run per role-play (a partial unique
 * index): starting again resumes it. A practice run ("replay from here" in a debrief) starts at a node and state
 * of an earlier run; it is kept and labelled, but writes no standard results and never counts for certification.
 * Runs are never deleted.
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
import {
  applyChoice,
  initialPosition,
  meters,
  publicNode,
  publicTranscript,
  type PublicExchange,
  type PublicMeter,
  type PublicNode,
  type RoleplayState,
  type RunPosition,
} from './roleplay';
import { choiceForToken, newRunSecrets, replyToken } from './reply-tokens.server';
import { drawSeed } from '../../lib/server/seeds';

/** Where a practice run began: the run and step it replays, and the node and state there. */
export interface RunOrigin {
  run: string;
  step: number;
  nodeId: string;
  state: RoleplayState;
}
import { contentLookup, freezeOnEvent } from '../exports/xapi/freeze.server';
import { Refusal } from '../../lib/refusal';

/** Rows with their JSON columns typed. */
export type Run = Omit<typeof roleplayRunTable.$inferSelect, 'state' | 'origin'> & {
  state: RoleplayState;
  origin: RunOrigin | null;
};
export type RunStep = Omit<typeof roleplayStepTable.$inferSelect, 'stateAfter'> & { stateAfter: RoleplayState };
const asRun = (r: typeof roleplayRunTable.$inferSelect): Run => ({
  ...r,
  state: r.state as RoleplayState,
  origin: (r.origin as RunOrigin | null) ?? null,
});
const asStep = (s: typeof roleplayStepTable.$inferSelect): RunStep => ({
  ...s,
  stateAfter: s.stateAfter as RoleplayState,
});

export type RoleplayErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';

/** A refusal the action turns into a 4xx; the message is written for the learner. */
export class RoleplayError extends Refusal<
  'finished' | 'replayed' | 'content_changed' | 'not_offered' | 'run_open',
  RoleplayErrorCode
> {}

/** A role-play's version: the hash of its parsed data, so any edit to the graph, effects or scores changes it. */
export function roleplayVersion(roleplay: Roleplay): string {
  return sha256Hex(JSON.stringify(roleplay)).slice(0, 16);
}

async function loadRoleplay(id: string): Promise<Roleplay | undefined> {
  return (await getRoleplay(id)) ?? undefined;
}

/** Where a run began: the role-play's start, or the node and state a practice run replays. */
export function startOf(roleplay: Roleplay, run: Pick<Run, 'origin'>): RunPosition {
  return run.origin ? { nodeId: run.origin.nodeId, state: run.origin.state } : initialPosition(roleplay);
}

async function newRun(
  tx: Tx,
  userId: string,
  roleplay: Roleplay,
  from: RunPosition,
  origin: RunOrigin | null,
): Promise<Run> {
  const seed = await drawSeed(tx, userId, `roleplay:${roleplay.id}`);
  return {
    id: newId(),
    userId,
    roleplayId: roleplay.id,
    contentVersion: roleplayVersion(roleplay),
    status: 'open',
    nodeId: from.nodeId,
    state: from.state,
    step: 0,
    ...newRunSecrets(seed),
    practice: origin !== null,
    origin,
    endingId: null,
    score: null,
    startedAt: now(),
    endedAt: null,
  };
}

async function openRunOf(tx: Tx, userId: string, roleplayId: string): Promise<Run | undefined> {
  const [row] = await tx
    .select()
    .from(roleplayRunTable)
    .where(
      and(
        eq(roleplayRunTable.userId, userId),
        eq(roleplayRunTable.roleplayId, roleplayId),
        eq(roleplayRunTable.status, 'open'),
      ),
    );
  return row && asRun(row);
}

/**
 * Inserts a run unless the learner already has an open one of the role-play (the partial unique index decides,
 * also against another process); returns whichever run is open afterwards.
 */
async function insertOrOpen(tx: Tx, run: Run): Promise<Run> {
  const inserted = await tx
    .insert(roleplayRunTable)
    .values(run)
    .onConflictDoNothing()
    .returning({ id: roleplayRunTable.id });
  if (inserted.length === 1) return run;
  const open = await openRunOf(tx, run.userId, run.roleplayId);
  if (!open) throw new Error(`run ${run.id} was neither inserted nor found open`);
  return open;
}

/**
 * Starts a run of a role-play, or resumes the learner's open one: starting again never makes a second open run.
 * An open run of an older version of the role-play is closed as content_changed first.
 */
export async function startRun(userId: string, roleplayId: string): Promise<Run> {
  const roleplay = await loadRoleplay(roleplayId);
  if (!roleplay) throw new RoleplayError('NOT_FOUND', 'There is no such role-play.');
  return writeTransaction(async (tx) => {
    const open = await openRunOf(tx, userId, roleplay.id);
    if (open && open.contentVersion === roleplayVersion(roleplay)) return open;
    if (open) await closeRun(tx, open, 'content_changed');
    return insertOrOpen(tx, await newRun(tx, userId, roleplay, initialPosition(roleplay), null));
  });
}

/** "Abandon this run and start over": the open run is closed as abandoned and a new run starts, in one transaction. */
export async function restartRun(userId: string, runId: string): Promise<Run> {
  const found = await getRun(runId);
  if (!found || found.run.userId !== userId) throw new RoleplayError('NOT_FOUND', 'There is no such run.');
  const roleplay = await loadRoleplay(found.run.roleplayId);
  if (!roleplay) throw new RoleplayError('NOT_FOUND', 'This role-play is no longer part of the course.');
  return writeTransaction(async (tx) => {
    const closed = await closeRun(tx, found.run, 'abandoned');
    if (!closed)
      throw new RoleplayError(
        'CONFLICT',
        'This run has already finished. Start a new one from the role-play page.',
        'finished',
      );
    return insertOrOpen(tx, await newRun(tx, userId, roleplay, initialPosition(roleplay), null));
  });
}

/**
 * "Replay from here": a practice run that starts where `step` of an earlier run of the learner's was answered, in
 * the state it was answered in. An open practice run of the role-play is set aside (abandoned) for it; an open
 * run that counts is not: the learner finishes or abandons it first.
 */
export async function replayFrom(userId: string, runId: string, step: number): Promise<Run> {
  const found = await getRun(runId);
  if (!found || found.run.userId !== userId) throw new RoleplayError('NOT_FOUND', 'There is no such run.');
  const { run, steps } = found;
  const roleplay = await loadRoleplay(run.roleplayId);
  if (!roleplay || run.contentVersion !== roleplayVersion(roleplay)) {
    throw new RoleplayError(
      'CONFLICT',
      'This role-play has changed since that run, so it cannot be replayed from there. Start a new run instead.',
      'content_changed',
    );
  }
  const at = steps.find((s) => s.step === step);
  if (!at || run.status === 'open')
    throw new RoleplayError('BAD_REQUEST', 'Pick a reply of a finished run to replay from.');
  const state = step === 0 ? startOf(roleplay, run).state : steps.find((s) => s.step === step - 1)!.stateAfter;
  const origin: RunOrigin = { run: run.id, step, nodeId: at.nodeId, state };
  return writeTransaction(async (tx) => {
    const open = await openRunOf(tx, userId, roleplay.id);
    if (open && !open.practice) {
      throw new RoleplayError(
        'CONFLICT',
        'You have a run of this role-play in progress. Finish it, or abandon it, before practising.',
        'run_open',
      );
    }
    if (open) await closeRun(tx, open, 'abandoned');
    return insertOrOpen(tx, await newRun(tx, userId, roleplay, { nodeId: at.nodeId, state }, origin));
  });
}

/** What the player shows: the current node (words and tokened replies, in the run's order) and the meters. */
export interface RunView {
  run: Pick<Run, 'id' | 'roleplayId' | 'status' | 'step' | 'practice'>;
  node?: PublicNode;
  meters: PublicMeter[];
}

export function viewOf(roleplay: Roleplay, run: Run): RunView {
  const node =
    run.status === 'open' ? publicNode(roleplay, run, (choiceId) => replyToken(run, run.step, choiceId)) : undefined;
  return {
    run: { id: run.id, roleplayId: run.roleplayId, status: run.status, step: run.step, practice: run.practice },
    ...(node ? { node } : {}),
    meters: meters(roleplay, run.state),
  };
}

/** The conversation so far, each line as it read when the learner met it: for resuming a run. */
export function transcriptOf(roleplay: Roleplay, run: Run, steps: readonly RunStep[]): PublicExchange[] {
  return publicTranscript(roleplay, startOf(roleplay, run).state, steps);
}

/**
 * The learner's open run of a role-play, or undefined. A run whose role-play changed since it began is closed as
 * content_changed on the way (and reported, so the page can say why the learner starts afresh).
 */
export async function currentRun(userId: string, roleplay: Roleplay): Promise<{ run?: Run; closed?: Run }> {
  const [row] = await getDb()
    .select()
    .from(roleplayRunTable)
    .where(
      and(
        eq(roleplayRunTable.userId, userId),
        eq(roleplayRunTable.roleplayId, roleplay.id),
        eq(roleplayRunTable.status, 'open'),
      ),
    )
    .orderBy(desc(roleplayRunTable.startedAt))
    .limit(1);
  if (!row) return {};
  const run = asRun(row);
  if (run.contentVersion !== roleplayVersion(roleplay)) {
    await writeTransaction((tx) => closeRun(tx, run, 'content_changed'));
    return { closed: { ...run, status: 'content_changed' } };
  }
  return { run };
}

/** Closes an open run; false when it was no longer open. */
async function closeRun(tx: Tx, run: Run, status: 'content_changed' | 'abandoned'): Promise<boolean> {
  const closed = await tx
    .update(roleplayRunTable)
    .set({ status, endedAt: now() })
    .where(and(eq(roleplayRunTable.id, run.id), eq(roleplayRunTable.status, 'open')));
  return closed.rowsAffected === 1;
}

export interface ChoiceInput {
  userId: string;
  runId: string;
  /** The step this reply answers: must equal the run's current step. */
  step: number;
  /** The reply's token, as the player got it for this run and step. */
  reply: string;
}

export type ChoiceResult =
  { kind: 'next'; view: RunView } | { kind: 'ended'; run: Run } | { kind: 'content_changed'; run: Run };

/**
 * Applies one reply. Refusals (unknown or foreign run, finished run, replayed step, a token that names no reply of
 * this run at this step) throw a RoleplayError before anything is written. A changed role-play is not an error of
 * the learner's: the run is closed (committed) and the result says so.
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
      await closeRun(tx, run, 'content_changed');
      return { kind: 'content_changed', run: { ...run, status: 'content_changed' } };
    }
    if (input.step !== run.step) {
      throw new RoleplayError('CONFLICT', 'That reply was already sent. The conversation has moved on.', 'replayed');
    }
    const choice = choiceForToken(roleplay, run, input.reply);
    if (!choice) {
      throw new RoleplayError(
        'BAD_REQUEST',
        'That reply is not one of those offered at this point of this run. Reload the page and pick again.',
        'not_offered',
      );
    }
    const out = applyChoice(roleplay, { nodeId: run.nodeId, state: run.state }, choice.id);
    if (!out.ok) throw new RoleplayError('CONFLICT', out.message);
    const at = now();
    await tx.insert(roleplayStepTable).values({
      runId: run.id,
      step: run.step,
      nodeId: run.nodeId,
      choiceId: out.choice.id,
      stateAfter: out.state,
      at,
    });
    const changes =
      out.next.kind === 'ending'
        ? {
            state: out.state,
            step: run.step + 1,
            status: 'ended' as const,
            endingId: out.next.id,
            score: out.next.ending.score,
            endedAt: at,
          }
        : { state: out.state, step: run.step + 1, nodeId: out.next.id };
    // Conditional on the step read above: a concurrent reply to the same step loses here (and on the step key).
    const updated = await tx
      .update(roleplayRunTable)
      .set(changes)
      .where(
        and(eq(roleplayRunTable.id, run.id), eq(roleplayRunTable.step, run.step), eq(roleplayRunTable.status, 'open')),
      );
    if (updated.rowsAffected !== 1) {
      throw new RoleplayError('CONFLICT', 'That reply was already sent. The conversation has moved on.', 'replayed');
    }
    const next: Run = { ...run, ...changes };
    const ended = out.next.kind === 'ending';
    // Practice never counts: no statements for an LRS, no standard results for the reports, no certification decision.
    if (!run.practice) {
      const steps = [{ runId: run.id, step: run.step }];
      await freezeOnEvent(
        tx,
        contentLookup({ roleplays: [roleplay] }),
        ended ? { steps, runs: [run.id] } : { steps },
        at,
      );
    }
    if (!ended) return { kind: 'next', view: viewOf(roleplay, next) };
    if (!run.practice) {
      await recordStandards(tx, roleplay, next, at);
      await updateCertifications(tx, run.userId, at);
    }
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
  const steps = await db
    .select()
    .from(roleplayStepTable)
    .where(eq(roleplayStepTable.runId, runId))
    .orderBy(roleplayStepTable.step);
  return { run: asRun(run), steps: steps.map(asStep) };
}

/** A learner's runs, newest first; optionally of one role-play. */
export async function listRuns(userId: string, roleplayId?: string): Promise<Run[]> {
  const where = roleplayId
    ? and(eq(roleplayRunTable.userId, userId), eq(roleplayRunTable.roleplayId, roleplayId))
    : eq(roleplayRunTable.userId, userId);
  return (await getDb().select().from(roleplayRunTable).where(where).orderBy(desc(roleplayRunTable.startedAt))).map(
    asRun,
  );
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
