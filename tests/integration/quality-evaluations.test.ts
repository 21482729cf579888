/**
 * Quality evaluations against a real database and the real scorecards: who may score and see whom, drafts,
 * submission, the rep's acknowledgement, refusals that change nothing, and the quality-floor rule (one remedial per
 * rep, standard and month, even when submissions race).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  auditLogTable,
  qualityEvaluationTable,
  qualityEvaluatorTable,
  qualityRemedialTable,
  qualityScoreTable,
} from '../../db/schema';
import type { EvaluationForm } from '../../src/features/quality/form';
import {
  acknowledgeEvaluation,
  evaluableRep,
  evaluationFor,
  QualityError,
  saveEvaluation,
} from '../../src/features/quality/quality.server';
import { loadQualityRules, type QualityRules } from '../../src/features/quality/rules.server';
import { remedialsOf, repEvaluations, setSamplePlan, teamMonth } from '../../src/features/quality/team.server';
import { freshDemoDb, userByEmail } from '../helpers/accounts';
import type { SessionUser } from '../../src/lib/server/session';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/quality-catalog'));

let rules: QualityRules;
let mia: SessionUser, omar: SessionUser, admin: SessionUser, ravi: SessionUser, sofia: SessionUser, kwame: SessionUser;

beforeAll(async () => {
  await freshDemoDb();
  rules = await loadQualityRules();
  [mia, omar, admin, ravi, sofia, kwame] = await Promise.all(
    [
      'manager1@demo.test',
      'manager2@demo.test',
      'admin@demo.test',
      'rep1@demo.test',
      'rep2@demo.test',
      'rep5@demo.test',
    ].map(userByEmail),
  );
});

/** Every item of the phone scorecard answered: yes (scale 5), except `no` for the listed keys. */
async function phoneForm(
  rep: string,
  overrides: Partial<EvaluationForm> = {},
  noFor: string[] = [],
): Promise<EvaluationForm> {
  const rules = await loadQualityRules();
  const items = rules.itemsOf(rules.scorecards.find((c) => c.channel === 'phone')!);
  const values = Object.fromEntries(
    items.map((i) => [
      i.key,
      noFor.includes(i.key) ? (i.scale === 'scale' ? '2' : 'no') : i.scale === 'scale' ? '5' : 'yes',
    ]),
  );
  return {
    evaluation: undefined,
    link: undefined,
    notes: undefined,
    rep,
    channel: 'phone',
    contactDate: '2026-11-10',
    reference: 'CALL-1',
    intent: 'submit',
    values,
    comments: {},
    ...overrides,
  };
}

async function refusal(p: Promise<unknown>): Promise<QualityError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(QualityError);
  return e as QualityError;
}

describe('who may score whom', () => {
  it('lets a manager score their own team’s reps, not another team’s, nor themself', async () => {
    expect(await evaluableRep(mia, ravi.id)).toMatchObject({ id: ravi.id, name: ravi.name });
    expect(await evaluableRep(mia, kwame.id)).toBeUndefined();
    expect(await evaluableRep(ravi, sofia.id)).toBeUndefined();
    expect((await refusal(saveEvaluation(mia, await phoneForm(kwame.id), rules))).code).toBe('NOT_FOUND');
    expect((await refusal(saveEvaluation(ravi, await phoneForm(sofia.id), rules))).code).toBe('NOT_FOUND');
  });

  it('lets an evaluator assigned to a team score it', async () => {
    expect(await evaluableRep(omar, ravi.id)).toBeUndefined();
    const billing = (await evaluableRep(mia, ravi.id))!.teamId;
    await getDb().insert(qualityEvaluatorTable).values({ teamId: billing, userId: omar.id, createdAt: Date.now() });
    expect(await evaluableRep(omar, ravi.id)).toMatchObject({ id: ravi.id });
    await getDb().delete(qualityEvaluatorTable).where(eq(qualityEvaluatorTable.userId, omar.id));
  });
});

describe('drafts, submission, acknowledgement', () => {
  it('keeps a draft private to its evaluator, then shows the submitted evaluation to the rep and the team’s evaluators only', async () => {
    const form = await phoneForm(ravi.id, {
      intent: 'draft',
      values: { 'use-the-customer-name': 'yes' },
      comments: { 'use-the-customer-name': 'Used it twice.' },
    });
    const draft = await saveEvaluation(mia, form, rules);
    expect(draft).toMatchObject({ status: 'draft', score: null, kind: 'floor', month: '2026-11' });
    expect(await evaluationFor(ravi, draft.id)).toBeUndefined();
    expect(await evaluationFor(admin, draft.id)).toBeUndefined();
    expect((await evaluationFor(mia, draft.id))?.editable).toBe(true);

    const submitted = await saveEvaluation(
      mia,
      { ...(await phoneForm(ravi.id, {}, ['never-argue'])), evaluation: draft.id },
      rules,
    );
    expect(submitted).toMatchObject({ id: draft.id, status: 'submitted' });
    // 8 items yes, never-argue no: 8 of 9 → 88.
    expect(submitted.score).toBe(88);
    const asRep = await evaluationFor(ravi, draft.id);
    expect(asRep).toMatchObject({ acknowledgeable: true, editable: false, evaluatorName: mia.name });
    expect(asRep!.scores.find((s) => s.itemKey === 'never-argue')?.value).toBe('no');
    expect(await evaluationFor(sofia, draft.id)).toBeUndefined();
    expect(await evaluationFor(omar, draft.id)).toBeUndefined();
    expect(await evaluationFor(admin, draft.id)).toBeDefined();

    // A submitted evaluation is not rewritten by a second submit.
    expect(
      (await refusal(saveEvaluation(mia, { ...(await phoneForm(ravi.id)), evaluation: draft.id }, rules))).code,
    ).toBe('CONFLICT');

    expect((await refusal(acknowledgeEvaluation(sofia, draft.id, 'not mine', rules))).code).toBe('NOT_FOUND');
    await acknowledgeEvaluation(ravi, draft.id, 'I will stay calm next time.', rules);
    expect((await evaluationFor(mia, draft.id))!.evaluation).toMatchObject({
      ackComment: 'I will stay calm next time.',
    });
    expect((await refusal(acknowledgeEvaluation(ravi, draft.id, 'again', rules))).code).toBe('CONFLICT');
    expect((await repEvaluations(ravi.id)).map((e) => e.id)).toContain(draft.id);
    expect(await repEvaluations(sofia.id)).toEqual([]);
    const audit = await getDb().select().from(auditLogTable).where(eq(auditLogTable.target, draft.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['quality.evaluation.acknowledge', 'quality.evaluation.submit']);
  });

  it('takes the acknowledgement once when the rep sends it twice at the same moment', async () => {
    // A month of its own, so the plan counts below stay as they were.
    const ev = await saveEvaluation(
      mia,
      await phoneForm(ravi.id, { reference: 'CALL-ACK-RACE', contactDate: '2026-09-15' }),
      rules,
    );
    const tries = await Promise.allSettled(
      ['first tab', 'second tab'].map((c) => acknowledgeEvaluation(ravi, ev.id, c, rules)),
    );
    expect(tries.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = tries.find((t) => t.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(QualityError);
    expect((lost.reason as QualityError).code).toBe('CONFLICT');
    // The stored comment is the one that was accepted, and one audit entry says so.
    const won = ['first tab', 'second tab'][tries.findIndex((t) => t.status === 'fulfilled')];
    expect((await evaluationFor(mia, ev.id))!.evaluation).toMatchObject({ ackComment: won });
    const audit = await getDb()
      .select()
      .from(auditLogTable)
      .where(and(eq(auditLogTable.target, ev.id), eq(auditLogTable.action, 'quality.evaluation.acknowledge')));
    expect(audit).toHaveLength(1);
  });

  it('refuses a submission with an item unscored, an unknown item or a value that does not fit, and writes nothing', async () => {
    const before = (await getDb().select().from(qualityEvaluationTable)).length;
    const full = await phoneForm(sofia.id);
    const { ['never-argue']: _, ...missingOne } = full.values;
    expect((await refusal(saveEvaluation(mia, { ...full, values: missingOne }, rules))).message).toMatch(
      /Never argue/i,
    );
    expect(
      (await refusal(saveEvaluation(mia, { ...full, values: { ...full.values, forged: 'yes' } }, rules))).code,
    ).toBe('BAD_REQUEST');
    expect(
      (await refusal(saveEvaluation(mia, { ...full, values: { ...full.values, 'smile-in-your-voice': 'yes' } }, rules)))
        .code,
    ).toBe('BAD_REQUEST');
    expect(
      (await refusal(saveEvaluation(mia, { ...full, values: { ...full.values, 'never-argue': '5' } }, rules))).code,
    ).toBe('BAD_REQUEST');
    expect((await getDb().select().from(qualityEvaluationTable)).length).toBe(before);
  });
});

describe('the sampling plan', () => {
  it('counts each rep’s submitted evaluations of the month against the team’s plan', async () => {
    const team = (await evaluableRep(mia, ravi.id))!.teamId;
    await setSamplePlan(mia, team, 2);
    expect((await refusal(setSamplePlan(omar, team, 3))).code).toBe('NOT_FOUND');
    const month = await teamMonth(mia, team, '2026-11', 10);
    expect(month.perRep).toBe(2);
    const byName = Object.fromEntries(month.members.map((m) => [m.name, [m.scored, m.due]]));
    expect(byName[ravi.name]).toEqual([1, 1]);
    expect(byName[sofia.name]).toEqual([0, 2]);
  });
});

describe('the quality floor', () => {
  it('creates one remedial with a coaching note when a rep falls below the floor, even when submissions race', async () => {
    // Sofia fails "listen without interrupting" on four contacts of December: two (too few to judge), then two at
    // once, each of which finds the rep below the floor.
    const forms = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        phoneForm(sofia.id, { contactDate: `2026-12-0${n}`, reference: `C-${n}` }, ['listen-without-interrupting']),
      ),
    );
    for (const f of forms.slice(0, 2)) await saveEvaluation(mia, f, rules);
    expect(await getDb().select().from(qualityRemedialTable).where(eq(qualityRemedialTable.repId, sofia.id))).toEqual(
      [],
    );
    await Promise.all(forms.slice(2).map((f) => saveEvaluation(mia, f, rules)));
    const rows = await getDb()
      .select()
      .from(qualityRemedialTable)
      .where(and(eq(qualityRemedialTable.repId, sofia.id), eq(qualityRemedialTable.month, '2026-12')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ standardId: 'listen-without-interrupting', met: 0, moduleId: 'active-listening' });
    expect([3, 4]).toContain(rows[0]!.applicable);
    expect(rows[0]!.note).toContain('below the floor of 80%');
    expect(rows[0]!.dueAt! - rows[0]!.createdAt).toBe(14 * 86_400_000);
    // A fourth, better contact does not create another.
    await saveEvaluation(mia, await phoneForm(sofia.id, { contactDate: '2026-12-05' }), rules);
    expect(
      await getDb().select().from(qualityRemedialTable).where(eq(qualityRemedialTable.repId, sofia.id)),
    ).toHaveLength(1);
    // Visible to the rep (with its module still open) and on the manager's month.
    const [own] = await remedialsOf([sofia.id]);
    expect(own).toMatchObject({ moduleId: 'active-listening', completedAt: null });
    const team = (await evaluableRep(mia, sofia.id))!.teamId;
    expect((await teamMonth(mia, team, '2026-12', 10)).remedials.map((r) => r.repName)).toEqual([sofia.name]);
  });

  it('needs three scored items: one bad contact alone creates nothing', async () => {
    await saveEvaluation(mia, await phoneForm(ravi.id, { contactDate: '2026-10-05' }, ['announce-transfers']), rules);
    expect(await getDb().select().from(qualityRemedialTable).where(eq(qualityRemedialTable.repId, ravi.id))).toEqual(
      [],
    );
  });

  it('stores N/A without counting it', async () => {
    const form = await phoneForm(ravi.id, { contactDate: '2026-09-05' });
    const ev = await saveEvaluation(mia, { ...form, values: { ...form.values, 'announce-transfers': 'na' } }, rules);
    expect(ev.score).toBe(100);
    expect(
      (await getDb().select().from(qualityScoreTable).where(eq(qualityScoreTable.evaluationId, ev.id))).find(
        (s) => s.itemKey === 'announce-transfers',
      )?.value,
    ).toBe('na');
  });
});
