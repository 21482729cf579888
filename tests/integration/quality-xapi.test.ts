/**
 * xAPI statements of quality evaluations, against a real database: submitting a floor evaluation stores its `scored`
 * statement in the same transaction (one, even when two submits of the draft race), the rep's acknowledgement its
 * own, and a calibration score none (it is the evaluators' practice, not the rep's record).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import validateXapi from '@learninglocker/xapi-validation';
import { getDb } from '../../db/client';
import { qualityEvaluationTable, xapiStatementTable } from '../../db/schema';
import type { EvaluationForm } from '../../src/features/quality/form';
import { acknowledgeEvaluation, saveEvaluation } from '../../src/features/quality/quality.server';
import { loadQualityRules, type QualityRules } from '../../src/features/quality/rules.server';
import { contentLookup, freezeMissingStatements } from '../../src/features/exports/xapi/freeze.server';
import { statementSchema, type Statement } from '../../src/features/exports/xapi/schema';
import { freshDemoDb, userByEmail } from '../helpers/accounts';
import type { SessionUser } from '../../src/lib/server/session';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/quality-catalog'));

const validate = ((validateXapi as unknown as { default?: typeof validateXapi }).default ?? validateXapi) as (
  s: unknown,
) => unknown[];
let rules: QualityRules;
let mia: SessionUser, ravi: SessionUser;

beforeAll(async () => {
  process.env.XAPI_ORGANIZATION_IRI = 'https://academy.example';
  await freshDemoDb();
  rules = await loadQualityRules();
  [mia, ravi] = await Promise.all(['manager1@demo.test', 'rep1@demo.test'].map(userByEmail));
});
afterAll(() => {
  delete process.env.XAPI_ORGANIZATION_IRI;
});

function phoneForm(overrides: Partial<EvaluationForm> = {}): EvaluationForm {
  const items = rules.itemsOf(rules.scorecards.find((c) => c.channel === 'phone')!);
  const values = Object.fromEntries(items.map((i) => [i.key, i.scale === 'scale' ? '5' : 'yes']));
  return {
    evaluation: undefined,
    link: undefined,
    notes: undefined,
    rep: ravi.id,
    channel: 'phone',
    contactDate: '2026-11-20',
    reference: 'XAPI-1',
    intent: 'submit',
    values,
    comments: {},
    ...overrides,
  };
}

const statementsOf = (sourceId: string) =>
  getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.sourceId, sourceId));

describe('evaluation statements', () => {
  it('stores exactly one scored statement when two submits of the same draft race, and one for the acknowledgement', async () => {
    const draft = await saveEvaluation(mia, phoneForm({ intent: 'draft', values: {} }), rules);
    expect(await statementsOf(draft.id)).toEqual([]);

    const results = await Promise.allSettled(
      [1, 2].map(() => saveEvaluation(mia, phoneForm({ evaluation: draft.id }), rules)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rows = await statementsOf(draft.id);
    expect(rows.map((r) => [r.source, r.userId])).toEqual([['evaluation', ravi.id]]);
    const s = rows[0]!.statement as Statement;
    expect(statementSchema.safeParse(s).success).toBe(true);
    expect(validate(s)).toEqual([]);
    expect(s).toMatchObject({
      actor: { mbox: `mailto:${ravi.email}` },
      verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
      result: { score: { raw: 100, scaled: 1 } },
      context: { instructor: { mbox: `mailto:${mia.email}` } },
    });
    const [ev] = await getDb().select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.id, draft.id));
    expect(rows[0]!.storedAt).toBe(ev!.submittedAt);

    await acknowledgeEvaluation(ravi, draft.id, 'Thanks, noted.', rules);
    const ack = await getDb()
      .select()
      .from(xapiStatementTable)
      .where(and(eq(xapiStatementTable.sourceId, draft.id), eq(xapiStatementTable.source, 'acknowledgement')));
    expect(ack).toHaveLength(1);
    expect(ack[0]!.statement).toMatchObject({
      verb: { id: 'http://activitystrea.ms/schema/1.0/acknowledge' },
      result: { response: 'Thanks, noted.' },
    });
    expect(validate(ack[0]!.statement)).toEqual([]);
    await expect(acknowledgeEvaluation(ravi, draft.id, 'again', rules)).rejects.toThrow();
    expect(await statementsOf(draft.id)).toHaveLength(2);
  });

  it('catches up on evaluations that have none (records written without an IRI, a seeded history), each once', async () => {
    const before = await getDb()
      .select()
      .from(xapiStatementTable)
      .where(inArray(xapiStatementTable.source, ['evaluation', 'acknowledgement']));
    expect(before).toHaveLength(2);
    await getDb()
      .delete(xapiStatementTable)
      .where(inArray(xapiStatementTable.source, ['evaluation', 'acknowledgement']));
    const content = contentLookup({ scorecards: rules.scorecards, standards: [...rules.standards.values()] });
    await freezeMissingStatements(getDb(), content, Date.now());
    const ev = qualityEvaluationTable;
    const stated = (source: 'evaluation' | 'acknowledgement') =>
      getDb()
        .select({ id: ev.id })
        .from(ev)
        .innerJoin(
          xapiStatementTable,
          and(eq(xapiStatementTable.sourceId, ev.id), eq(xapiStatementTable.source, source)),
        );
    const floor = await getDb()
      .select({ id: ev.id, ack: ev.acknowledgedAt })
      .from(ev)
      .where(and(eq(ev.status, 'submitted'), inArray(ev.kind, ['floor', 'agreed'])));
    expect(floor.length).toBeGreaterThan(0);
    expect((await stated('evaluation')).length).toBe(floor.length);
    expect((await stated('acknowledgement')).length).toBe(floor.filter((f) => f.ack !== null).length);
    expect(await freezeMissingStatements(getDb(), content, Date.now())).toBe(0);
    // Built again from the same rows: the same ids, so an LRS that has them stores nothing twice.
    const after = await getDb()
      .select()
      .from(xapiStatementTable)
      .where(inArray(xapiStatementTable.source, ['evaluation', 'acknowledgement']));
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
  });

  it('stores no statement for a draft, nor for a refused submit', async () => {
    const draft = await saveEvaluation(mia, phoneForm({ intent: 'draft', reference: 'XAPI-2' }), rules);
    await expect(
      saveEvaluation(mia, phoneForm({ evaluation: draft.id, values: { 'never-argue': 'yes' } }), rules),
    ).rejects.toThrow();
    expect(await statementsOf(draft.id)).toEqual([]);
  });
});
