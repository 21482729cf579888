/**
 * Evaluations of real contacts in the database: who may score whom, saving drafts, submitting (which scores the
 * evaluation and applies the quality-floor rule in the same transaction), the rep's acknowledgement, and reading one
 * evaluation as the viewer may see it.
 *
 * Who sees what: an evaluator works on the teams they may evaluate (`evaluableTeamIds`: an admin, every team of their
 * organisation; a manager, the teams they manage; anyone, the teams they are assigned to in `quality_evaluator`). A
 * rep sees their own submitted floor and agreed evaluations, never colleagues'. A calibration score stays blind to the
 * other evaluators until they have submitted their own (calibration.server.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import {
  membershipTable,
  qualityEvaluationTable,
  qualityEvaluatorTable,
  qualityRemedialTable,
  qualityScoreTable,
  teamTable,
  userTable,
  type EvaluationKind,
} from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import type { Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import type { Channel } from '../content/schema';
import type { EvaluationForm } from './form';
import {
  evaluationScore,
  isValueFor,
  monthOfDate,
  standardResults,
  type ItemValue,
  type QualityItemView,
} from './quality';
import type { QualityRules } from './rules';
import { coachingNote, remedialNeeds } from './threshold';
import { contentLookup, freezeOnEvent } from '../exports/xapi/freeze.server';

/** What the evaluation statements name: the scorecard's and the standards' titles. */
const xapiContent = (r: QualityRules) =>
  contentLookup({ scorecards: r.scorecards, standards: [...r.standards.values()] });

type Reader = Db | Tx;
export type Evaluation = typeof qualityEvaluationTable.$inferSelect;
export type ScoreRow = typeof qualityScoreTable.$inferSelect;

export class QualityError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return { BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 }[this.code];
  }
}

/** Teams the viewer may score contacts of. */
export async function evaluableTeamIds(viewer: Viewer, db: Reader = getDb()): Promise<string[]> {
  if (viewer.role === 'admin') {
    return (
      await db.select({ id: teamTable.id }).from(teamTable).where(eq(teamTable.organizationId, viewer.organizationId))
    ).map((r) => r.id);
  }
  const assigned = await db
    .select({ id: qualityEvaluatorTable.teamId })
    .from(qualityEvaluatorTable)
    .where(eq(qualityEvaluatorTable.userId, viewer.id));
  const managed =
    viewer.role === 'manager'
      ? await db
          .select({ id: membershipTable.teamId })
          .from(membershipTable)
          .where(and(eq(membershipTable.userId, viewer.id), eq(membershipTable.kind, 'manager')))
      : [];
  return [...new Set([...managed, ...assigned].map((r) => r.id))];
}

export async function canEvaluateTeam(viewer: Viewer, teamId: string, db: Reader = getDb()): Promise<boolean> {
  return (await evaluableTeamIds(viewer, db)).includes(teamId);
}

export interface RepRef {
  id: string;
  name: string;
  teamId: string;
  organizationId: string;
}

/** The rep (an active team member of the viewer's organisation) and their team, if the viewer may evaluate it. */
export async function evaluableRep(viewer: Viewer, repId: string, db: Reader = getDb()): Promise<RepRef | undefined> {
  const [rep] = await db
    .select({
      id: userTable.id,
      name: userTable.name,
      teamId: membershipTable.teamId,
      organizationId: userTable.organizationId,
    })
    .from(userTable)
    .innerJoin(membershipTable, and(eq(membershipTable.userId, userTable.id), eq(membershipTable.kind, 'member')))
    .where(
      and(eq(userTable.id, repId), eq(userTable.active, true), eq(userTable.organizationId, viewer.organizationId)),
    );
  if (!rep || rep.id === viewer.id) return undefined;
  return (await canEvaluateTeam(viewer, rep.teamId, db)) ? rep : undefined;
}

/** The items of the channel's scorecard, or a 400 naming the channel. */
export function itemsForChannel(
  rules: QualityRules,
  channel: Channel,
): { scorecardId: string; items: QualityItemView[] } {
  const card = rules.scorecards.find((c) => c.channel === channel);
  if (!card) throw new QualityError('BAD_REQUEST', `There is no scorecard for ${channel} contacts.`);
  return { scorecardId: card.id, items: rules.itemsOf(card) };
}

/** Values checked against their items: unknown keys and values that do not fit refuse the post; submitting needs all. */
export function checkValues(
  items: readonly QualityItemView[],
  values: Record<string, string>,
  comments: Record<string, string>,
  submit: boolean,
): void {
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const key of [...Object.keys(values), ...Object.keys(comments)]) {
    if (!byKey.has(key)) throw new QualityError('BAD_REQUEST', `"${key}" is not an item of this scorecard.`);
  }
  for (const [key, value] of Object.entries(values)) {
    const item = byKey.get(key)!;
    if (!isValueFor(item.scale, value))
      throw new QualityError('BAD_REQUEST', `"${value.slice(0, 20)}" is not a score for “${item.title}”.`);
  }
  if (submit) {
    const missing = items.filter((i) => values[i.key] === undefined);
    if (missing.length > 0)
      throw new QualityError(
        'BAD_REQUEST',
        `Score every item before submitting: ${missing.map((i) => `“${i.title}”`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not scored.`,
      );
  }
}

export interface SaveContext {
  kind: EvaluationKind;
  calibrationId?: string;
}

/**
 * Save a draft (new, or the viewer's own draft) or submit it. Submitting scores it and, for floor and agreed
 * evaluations, applies the quality-floor rule to the rep's month in the same transaction.
 */
export async function saveEvaluation(
  viewer: Viewer,
  input: EvaluationForm,
  r: QualityRules,
  ctx: SaveContext = { kind: 'floor' },
): Promise<Evaluation> {
  const rep = await evaluableRep(viewer, input.rep);
  if (!rep) throw new QualityError('NOT_FOUND', 'No such rep on a team you evaluate.');
  const { scorecardId, items } = itemsForChannel(r, input.channel);
  const submit = input.intent === 'submit';
  checkValues(items, input.values, input.comments, submit);
  const at = now();
  const standardOf = new Map(items.map((i) => [i.key, i.standardId]));

  return writeTransaction(async (tx) => {
    let id = input.evaluation;
    const row = {
      repId: rep.id,
      teamId: rep.teamId,
      scorecardId,
      channel: input.channel,
      contactDate: input.contactDate,
      month: monthOfDate(input.contactDate),
      reference: input.reference,
      link: input.link ?? null,
      notes: input.notes ?? null,
      status: submit ? ('submitted' as const) : ('draft' as const),
      score: submit ? (evaluationScore(Object.values(input.values) as ItemValue[]) ?? null) : null,
      submittedAt: submit ? at : null,
      updatedAt: at,
    };
    if (id) {
      const [current] = await tx.select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.id, id));
      if (
        !current ||
        current.evaluatorId !== viewer.id ||
        current.kind !== ctx.kind ||
        current.calibrationId !== (ctx.calibrationId ?? null)
      ) {
        throw new QualityError('NOT_FOUND', 'No such draft of yours.');
      }
      // The status guard makes a second submit of the same draft (a double click, two tabs) a refusal, not a rewrite.
      const updated = await tx
        .update(qualityEvaluationTable)
        .set(row)
        .where(and(eq(qualityEvaluationTable.id, id), eq(qualityEvaluationTable.status, 'draft')))
        .returning({ id: qualityEvaluationTable.id });
      if (updated.length === 0) throw new QualityError('CONFLICT', 'This evaluation was already submitted.');
      await tx.delete(qualityScoreTable).where(eq(qualityScoreTable.evaluationId, id));
    } else {
      id = newId();
      await tx.insert(qualityEvaluationTable).values({
        id,
        organizationId: viewer.organizationId,
        evaluatorId: viewer.id,
        kind: ctx.kind,
        calibrationId: ctx.calibrationId ?? null,
        createdAt: at,
        ...row,
      });
    }
    const keys = [...new Set([...Object.keys(input.values), ...Object.keys(input.comments)])];
    if (keys.length > 0) {
      await tx.insert(qualityScoreTable).values(
        keys.map((key) => ({
          evaluationId: id!,
          itemKey: key,
          standardId: standardOf.get(key)!,
          value: input.values[key] ?? '',
          comment: input.comments[key] ?? null,
        })),
      );
    }
    if (submit) {
      await writeAudit(tx, {
        organizationId: viewer.organizationId,
        actorId: viewer.id,
        action: 'quality.evaluation.submit',
        target: id,
        detail: { rep: rep.id, kind: ctx.kind, score: row.score },
      });
      if (ctx.kind !== 'calibration') {
        await applyFloorRule(tx, rep, row.month, r, at, viewer.id);
        await freezeOnEvent(tx, xapiContent(r), { evaluations: [id] }, at);
      }
    }
    const [saved] = await tx.select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.id, id));
    return saved!;
  });
}

/**
 * The loop: the rep's floor results for the month (submitted floor and agreed evaluations); every standard below the
 * organisation's floor gets one remedial row with the manager's coaching note. The unique index on rep, standard and
 * month makes a repeat (another submission, a parallel one) insert nothing. Returns how many were created; each is
 * audited as the act of the evaluator whose submission caused it.
 */
export async function applyFloorRule(
  tx: Tx,
  rep: RepRef & { name: string },
  month: string,
  rules: QualityRules,
  at: number,
  actorId: string,
): Promise<number> {
  const scored = await tx
    .select({ standardId: qualityScoreTable.standardId, value: qualityScoreTable.value })
    .from(qualityScoreTable)
    .innerJoin(qualityEvaluationTable, eq(qualityEvaluationTable.id, qualityScoreTable.evaluationId))
    .where(
      and(
        eq(qualityEvaluationTable.repId, rep.id),
        eq(qualityEvaluationTable.month, month),
        eq(qualityEvaluationTable.status, 'submitted'),
        inArray(qualityEvaluationTable.kind, ['floor', 'agreed']),
      ),
    );
  const needs = remedialNeeds(
    standardResults(scored.map((s) => ({ standardId: s.standardId, value: s.value as ItemValue }))),
    rules.floorPercent,
    rules.modulesByStandard,
  );
  if (needs.length === 0) return 0;
  const inserted = await tx
    .insert(qualityRemedialTable)
    .values(
      needs.map((need) => ({
        id: newId(),
        organizationId: rep.organizationId,
        repId: rep.id,
        teamId: rep.teamId,
        standardId: need.standardId,
        month,
        met: need.met,
        applicable: need.applicable,
        moduleId: need.moduleId ?? null,
        dueAt: need.moduleId ? at + rules.remedialDays * 86_400_000 : null,
        note: coachingNote(
          rep.name,
          rules.standardTitle(need.standardId),
          need,
          rules.floorPercent,
          need.moduleId && rules.moduleTitle(need.moduleId),
        ),
        createdAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: qualityRemedialTable.id, standardId: qualityRemedialTable.standardId });
  for (const row of inserted) {
    await writeAudit(tx, {
      organizationId: rep.organizationId,
      actorId,
      action: 'quality.remedial.create',
      target: row.id,
      detail: { rep: rep.id, standard: row.standardId, month },
    });
  }
  return inserted.length;
}

/** The rep's "I've read this", once, on their own submitted floor or agreed evaluation. */
export async function acknowledgeEvaluation(
  viewer: Viewer,
  evaluationId: string,
  comment: string | undefined,
  r: QualityRules,
): Promise<void> {
  await writeTransaction(async (tx) => {
    const [ev] = await tx.select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.id, evaluationId));
    if (!ev || ev.repId !== viewer.id || ev.status !== 'submitted' || ev.kind === 'calibration')
      throw new QualityError('NOT_FOUND', 'No such evaluation of yours.');
    const done = await tx
      .update(qualityEvaluationTable)
      .set({ acknowledgedAt: now(), ackComment: comment ?? null })
      .where(and(eq(qualityEvaluationTable.id, evaluationId), eq(qualityEvaluationTable.status, 'submitted')))
      .returning({ at: qualityEvaluationTable.acknowledgedAt });
    if (ev.acknowledgedAt !== null || done.length === 0)
      throw new QualityError('CONFLICT', 'You have already acknowledged this evaluation.');
    await writeAudit(tx, {
      organizationId: viewer.organizationId,
      actorId: viewer.id,
      action: 'quality.evaluation.acknowledge',
      target: evaluationId,
    });
    await freezeOnEvent(tx, xapiContent(r), { acknowledgements: [evaluationId] }, done[0]!.at!);
  });
}

export interface EvaluationView {
  evaluation: Evaluation;
  scores: ScoreRow[];
  repName: string;
  evaluatorName: string;
  /** The viewer's own draft: they may edit and submit it. */
  editable: boolean;
  /** The rep, not yet acknowledged. */
  acknowledgeable: boolean;
}

/** One evaluation as the viewer may see it, or undefined (callers answer 404: a colleague's looks like a missing one). */
export async function evaluationFor(
  viewer: Viewer,
  evaluationId: string,
  db: Reader = getDb(),
): Promise<EvaluationView | undefined> {
  const [ev] = await db.select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.id, evaluationId));
  if (!ev || ev.organizationId !== viewer.organizationId) return undefined;
  const own = ev.evaluatorId === viewer.id;
  const isRep = ev.repId === viewer.id;
  let visible = own;
  if (!visible && isRep) visible = ev.status === 'submitted' && ev.kind !== 'calibration';
  if (!visible && !isRep && ev.status === 'submitted' && (await canEvaluateTeam(viewer, ev.teamId, db))) {
    visible =
      ev.kind !== 'calibration' ||
      viewer.role === 'admin' ||
      (await hasSubmittedCalibration(viewer.id, ev.calibrationId!, db));
  }
  if (!visible) return undefined;
  const scores = await db.select().from(qualityScoreTable).where(eq(qualityScoreTable.evaluationId, ev.id));
  const people = await db
    .select({ id: userTable.id, name: userTable.name })
    .from(userTable)
    .where(inArray(userTable.id, [ev.repId, ev.evaluatorId]));
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? '';
  return {
    evaluation: ev,
    scores,
    repName: nameOf(ev.repId),
    evaluatorName: nameOf(ev.evaluatorId),
    editable: own && ev.status === 'draft',
    acknowledgeable: isRep && ev.status === 'submitted' && ev.kind !== 'calibration' && ev.acknowledgedAt === null,
  };
}

export async function hasSubmittedCalibration(
  userId: string,
  calibrationId: string,
  db: Reader = getDb(),
): Promise<boolean> {
  const [row] = await db
    .select({ id: qualityEvaluationTable.id })
    .from(qualityEvaluationTable)
    .where(
      and(
        eq(qualityEvaluationTable.calibrationId, calibrationId),
        eq(qualityEvaluationTable.evaluatorId, userId),
        eq(qualityEvaluationTable.kind, 'calibration'),
        eq(qualityEvaluationTable.status, 'submitted'),
      ),
    );
  return row !== undefined;
}
