/**
 * Calibration against a real database: two evaluators of the team score the same contact blind, then see the
 * agreement; the agreed score is recorded once and counts on the floor; outsiders see nothing.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { qualityEvaluationTable, qualityEvaluatorTable } from '../../db/schema';
import { calibrationFor, createCalibration, scoreCalibration } from '../../src/features/quality/calibration.server';
import { evaluableRep, QualityError } from '../../src/features/quality/quality.server';
import { loadQualityRules, type QualityRules } from '../../src/features/quality/rules.server';
import { repEvaluations } from '../../src/features/quality/team.server';
import type { SessionUser } from '../../src/lib/server/session';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/quality-catalog'));

let rules: QualityRules;
let mia: SessionUser, omar: SessionUser, jonas: SessionUser, kwame: SessionUser;

beforeAll(async () => {
  await freshDemoDb();
  rules = await loadQualityRules();
  [mia, omar, jonas, kwame] = await Promise.all(
    ['manager1@demo.test', 'manager2@demo.test', 'rep3@demo.test', 'rep5@demo.test'].map(userByEmail),
  );
});

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(QualityError);
  return e as QualityError;
};

function allMet(except: Record<string, string> = {}) {
  const items = rules.itemsOf(rules.scorecards.find((c) => c.channel === 'phone')!);
  return Object.fromEntries(items.map((i) => [i.key, except[i.key] ?? (i.scale === 'scale' ? '5' : 'yes')]));
}

describe('a calibration', () => {
  it('keeps scores blind until submitted, then shows agreement, and records the agreed score once', async () => {
    const billing = (await evaluableRep(mia, jonas.id))!.teamId;
    // Omar evaluates Billing Support too, for calibration.
    await getDb().insert(qualityEvaluatorTable).values({ teamId: billing, userId: omar.id, createdAt: Date.now() });
    expect(
      (
        await refusal(
          createCalibration(
            mia,
            billing,
            { rep: kwame.id, channel: 'phone', contactDate: '2026-11-03', reference: 'X', sessionDate: '2026-11-10' },
            rules,
          ),
        )
      ).code,
    ).toBe('NOT_FOUND');
    const c = await createCalibration(
      mia,
      billing,
      { rep: jonas.id, channel: 'phone', contactDate: '2026-11-03', reference: 'CALL-CAL', sessionDate: '2026-11-10' },
      rules,
    );

    await scoreCalibration(
      mia,
      c.id,
      { notes: undefined, values: allMet({ 'never-argue': 'no' }), comments: {}, intent: 'submit' },
      rules,
    );
    // Omar has not scored yet: he sees that one score is in, but not what it says.
    const blind = (await calibrationFor(omar, c.id, rules))!;
    expect(blind.othersSubmitted).toBe(1);
    expect(blind.submitted).toEqual([]);
    expect(blind.agreement).toBeUndefined();
    // A draft of his, then his submission: one item differs from Mia's (never-argue), one more too (announce-transfers).
    await scoreCalibration(
      omar,
      c.id,
      { notes: undefined, values: { 'use-the-customer-name': 'yes' }, comments: {}, intent: 'draft' },
      rules,
    );
    await scoreCalibration(
      omar,
      c.id,
      { notes: undefined, values: allMet({ 'announce-transfers': 'na' }), comments: {}, intent: 'submit' },
      rules,
    );
    const open = (await calibrationFor(omar, c.id, rules))!;
    expect(open.submitted.map((s) => s.evaluatorName).sort()).toEqual([mia.name, omar.name].sort());
    // 9 items, 2 pairs disagree: 7 of 9 = 77 %, below 9 of 10.
    expect(open.agreement?.overall).toEqual({ agreeingPairs: 7, pairs: 9, percent: 77 });
    expect(open.agreement?.calibrated).toBe(false);
    expect(open.agreement?.items.find((i) => i.key === 'never-argue')?.percent).toBe(0);
    expect(
      (
        await refusal(
          scoreCalibration(omar, c.id, { notes: undefined, values: allMet(), comments: {}, intent: 'submit' }, rules),
        )
      ).code,
    ).toBe('CONFLICT');

    // Outsiders: the rep and a manager not assigned see nothing.
    expect(await calibrationFor(jonas, c.id, rules)).toBeUndefined();
    await getDb().delete(qualityEvaluatorTable).where(eq(qualityEvaluatorTable.userId, omar.id));
    expect(await calibrationFor(omar, c.id, rules)).toBeUndefined();

    // The agreed score, once, even when two try at the same moment; it counts for the rep (who never sees the blind ones).
    const tries = await Promise.allSettled([
      scoreCalibration(
        mia,
        c.id,
        {
          notes: 'Agreed: the refusal was argued.',
          values: allMet({ 'never-argue': 'no' }),
          comments: {},
          intent: 'submit',
        },
        rules,
        true,
      ),
      scoreCalibration(mia, c.id, { notes: undefined, values: allMet(), comments: {}, intent: 'submit' }, rules, true),
    ]);
    expect(tries.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
    const own = await repEvaluations(jonas.id);
    expect(own.filter((e) => e.reference === 'CALL-CAL').map((e) => e.kind)).toEqual(['agreed']);
  });

  it('keeps one score per evaluator when the same evaluator starts it in two tabs at once', async () => {
    const billing = (await evaluableRep(mia, jonas.id))!.teamId;
    const c = await createCalibration(
      mia,
      billing,
      { rep: jonas.id, channel: 'phone', contactDate: '2026-11-04', reference: 'CALL-TABS', sessionDate: '2026-11-11' },
      rules,
    );
    const tries = await Promise.allSettled(
      [1, 2].map(() =>
        scoreCalibration(mia, c.id, { notes: undefined, values: allMet(), comments: {}, intent: 'submit' }, rules),
      ),
    );
    expect(tries.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = tries.find((t) => t.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(QualityError);
    expect((lost.reason as QualityError).code).toBe('CONFLICT');
    const rows = await getDb()
      .select()
      .from(qualityEvaluationTable)
      .where(and(eq(qualityEvaluationTable.calibrationId, c.id), eq(qualityEvaluationTable.evaluatorId, mia.id)));
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['calibration', 'submitted']]);
  });
});
