/**
 * Calibration sessions in the database: one contact of a team's rep, scheduled for a day, scored by several of the
 * team's evaluators independently (`calibration` evaluations, one per evaluator by a unique index), blind: an
 * evaluator sees the others' scores only once they have submitted their own. After the discussion one of them records
 * the agreed score (an `agreed` evaluation, one per calibration), which counts on the floor like any evaluation.
 */
import { desc, eq, inArray } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import { qualityCalibrationTable, qualityEvaluationTable, qualityScoreTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import type { Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import type { Channel } from '../content/schema';
import { calibrationAgreement, type CalibrationResult } from './calibration';
import type { EvaluationForm } from './form';
import type { ItemValue, QualityItemView } from './quality';
import {
  canEvaluateTeam,
  evaluableRep,
  hasSubmittedCalibration,
  itemsForChannel,
  QualityError,
  saveEvaluation,
  type Evaluation,
  type ScoreRow,
} from './quality.server';
import type { QualityRules } from './rules';

type Reader = Db | Tx;
export type Calibration = typeof qualityCalibrationTable.$inferSelect;

export interface NewCalibration {
  rep: string;
  channel: Channel;
  contactDate: string;
  reference: string;
  link?: string | undefined;
  sessionDate: string;
}

export async function createCalibration(
  viewer: Viewer,
  teamId: string,
  input: NewCalibration,
  rules: QualityRules,
): Promise<Calibration> {
  const rep = await evaluableRep(viewer, input.rep);
  if (!rep || rep.teamId !== teamId) throw new QualityError('NOT_FOUND', 'No such rep on this team.');
  const { scorecardId } = itemsForChannel(rules, input.channel);
  const row: Calibration = {
    id: newId(),
    organizationId: viewer.organizationId,
    teamId,
    repId: rep.id,
    scorecardId,
    channel: input.channel,
    contactDate: input.contactDate,
    reference: input.reference,
    link: input.link ?? null,
    sessionDate: input.sessionDate,
    createdBy: viewer.id,
    createdAt: now(),
  };
  await writeTransaction(async (tx) => {
    await tx.insert(qualityCalibrationTable).values(row);
    await writeAudit(tx, {
      organizationId: viewer.organizationId,
      actorId: viewer.id,
      action: 'quality.calibration.create',
      target: row.id,
      detail: { rep: rep.id },
    });
  });
  return row;
}

export interface CalibrationListItem extends Calibration {
  repName: string;
  scored: number;
  agreed: boolean;
}

export async function teamCalibrations(teamId: string, db: Reader = getDb()): Promise<CalibrationListItem[]> {
  const rows = await db
    .select({ c: qualityCalibrationTable, repName: userTable.name })
    .from(qualityCalibrationTable)
    .innerJoin(userTable, eq(userTable.id, qualityCalibrationTable.repId))
    .where(eq(qualityCalibrationTable.teamId, teamId))
    .orderBy(desc(qualityCalibrationTable.sessionDate), desc(qualityCalibrationTable.id))
    .limit(24);
  if (rows.length === 0) return [];
  const evals = await db
    .select({
      calibrationId: qualityEvaluationTable.calibrationId,
      kind: qualityEvaluationTable.kind,
      status: qualityEvaluationTable.status,
    })
    .from(qualityEvaluationTable)
    .where(
      inArray(
        qualityEvaluationTable.calibrationId,
        rows.map((r) => r.c.id),
      ),
    );
  return rows.map(({ c, repName }) => {
    const mine = evals.filter((e) => e.calibrationId === c.id && e.status === 'submitted');
    return {
      ...c,
      repName,
      scored: mine.filter((e) => e.kind === 'calibration').length,
      agreed: mine.some((e) => e.kind === 'agreed'),
    };
  });
}

export interface CalibrationView {
  calibration: Calibration;
  repName: string;
  items: QualityItemView[];
  /** The viewer's own score (draft or submitted), if any. */
  own: (Evaluation & { scores: ScoreRow[] }) | undefined;
  /** Everyone's submitted scores, by evaluator name: only once the viewer has submitted theirs (blind until then). */
  submitted: { evaluatorId: string; evaluatorName: string; values: Record<string, ItemValue> }[];
  agreement: CalibrationResult | undefined;
  agreed: Evaluation | undefined;
  /** Submitted scores by others, counted even while blind (so the page can say how many are in). */
  othersSubmitted: number;
}

/** The calibration as the viewer may see it: one of the team's evaluators; anyone else gets undefined (404). */
export async function calibrationFor(
  viewer: Viewer,
  calibrationId: string,
  rules: QualityRules,
  db: Reader = getDb(),
): Promise<CalibrationView | undefined> {
  const [c] = await db.select().from(qualityCalibrationTable).where(eq(qualityCalibrationTable.id, calibrationId));
  if (!c || c.organizationId !== viewer.organizationId || !(await canEvaluateTeam(viewer, c.teamId, db)))
    return undefined;
  const [rep] = await db.select({ name: userTable.name }).from(userTable).where(eq(userTable.id, c.repId));
  const card = rules.scorecards.find((s) => s.id === c.scorecardId);
  const items = card ? rules.itemsOf(card) : [];
  const evals = await db.select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.calibrationId, c.id));
  const scores = evals.length
    ? await db
        .select()
        .from(qualityScoreTable)
        .where(
          inArray(
            qualityScoreTable.evaluationId,
            evals.map((e) => e.id),
          ),
        )
    : [];
  const ownRow = evals.find((e) => e.kind === 'calibration' && e.evaluatorId === viewer.id);
  const others = evals.filter((e) => e.kind === 'calibration' && e.status === 'submitted');
  const seeing = ownRow?.status === 'submitted' || (await hasSubmittedCalibration(viewer.id, c.id, db));
  const names = others.length
    ? await db
        .select({ id: userTable.id, name: userTable.name })
        .from(userTable)
        .where(
          inArray(
            userTable.id,
            others.map((e) => e.evaluatorId),
          ),
        )
    : [];
  const valuesOf = (id: string) =>
    Object.fromEntries(
      scores.filter((s) => s.evaluationId === id && s.value !== '').map((s) => [s.itemKey, s.value as ItemValue]),
    );
  const submitted = seeing
    ? others.map((e) => ({
        evaluatorId: e.evaluatorId,
        evaluatorName: names.find((n) => n.id === e.evaluatorId)?.name ?? '',
        values: valuesOf(e.id),
      }))
    : [];
  return {
    calibration: c,
    repName: rep?.name ?? '',
    items,
    own: ownRow && { ...ownRow, scores: scores.filter((s) => s.evaluationId === ownRow.id) },
    submitted,
    agreement:
      seeing && submitted.length >= 2
        ? calibrationAgreement(items, new Map(submitted.map((s) => [s.evaluatorId, s.values])), rules.calibrationTarget)
        : undefined,
    agreed: evals.find((e) => e.kind === 'agreed' && e.status === 'submitted'),
    othersSubmitted: others.filter((e) => e.evaluatorId !== viewer.id).length,
  };
}

export interface CalibrationScore {
  notes: string | undefined;
  values: Record<string, string>;
  comments: Record<string, string>;
  intent: 'draft' | 'submit';
}

/**
 * The viewer's own blind score (a draft, or submitted), or — `agreed` — the agreed score after the discussion, which
 * needs the viewer's own submitted score and at least two in all, and is recorded once.
 */
export async function scoreCalibration(
  viewer: Viewer,
  calibrationId: string,
  input: CalibrationScore,
  rules: QualityRules,
  agreed = false,
): Promise<Evaluation> {
  const view = await calibrationFor(viewer, calibrationId, rules);
  if (!view) throw new QualityError('NOT_FOUND', 'No such calibration of a team you evaluate.');
  const c = view.calibration;
  if (agreed) {
    if (view.own?.status !== 'submitted' || view.submitted.length < 2)
      throw new QualityError(
        'CONFLICT',
        'The agreed score comes after at least two evaluators, you among them, have submitted theirs.',
      );
    if (view.agreed) throw new QualityError('CONFLICT', 'The agreed score is already recorded.');
    if (input.intent !== 'submit') throw new QualityError('BAD_REQUEST', 'Record the agreed score in one go.');
  } else if (view.own?.status === 'submitted') {
    throw new QualityError('CONFLICT', 'You have already submitted your score for this calibration.');
  }
  const form: EvaluationForm = {
    evaluation: agreed ? undefined : view.own?.id,
    rep: c.repId,
    channel: c.channel as Channel,
    contactDate: c.contactDate,
    reference: c.reference,
    link: c.link ?? undefined,
    notes: input.notes,
    intent: input.intent,
    values: input.values,
    comments: input.comments,
  };
  try {
    return await saveEvaluation(viewer, form, rules, { kind: agreed ? 'agreed' : 'calibration', calibrationId: c.id });
  } catch (e) {
    // Two tabs starting the same score, or two people recording the agreed one: the unique index keeps the first.
    if (
      e instanceof Error &&
      /UNIQUE constraint failed/.test(`${e.message} ${String((e as { cause?: unknown }).cause ?? '')}`)
    ) {
      throw new QualityError(
        'CONFLICT',
        agreed
          ? 'The agreed score is already recorded.'
          : 'Your score for this calibration already exists: reload the page.',
      );
    }
    throw e;
  }
}
