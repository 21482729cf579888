/** The quality-evaluation statements: shape, verbs, ids, and validity under our schema and Learning Locker's validator. */
import { describe, expect, it } from 'vitest';
import validateXapi from '@learninglocker/xapi-validation';
import {
  buildAcknowledgementStatement,
  buildEvaluationStatement,
  type EvaluationInput,
} from '~/features/exports/xapi/evaluation';
import { statementSchema } from '~/features/exports/xapi/schema';

const validate = ((validateXapi as unknown as { default?: typeof validateXapi }).default ?? validateXapi) as (
  s: unknown,
) => unknown[];
const site = { baseUrl: 'https://academy.example.com/' };
const base = 'https://academy.example.com/xapi/activities';
const T = Date.UTC(2026, 10, 12, 14, 0);
const input: EvaluationInput = {
  evaluationId: 'ev1',
  rep: { email: 'ravi@example.com', name: 'Ravi' },
  evaluator: { email: 'mia@example.com', name: 'Mia' },
  scorecardId: 'phone',
  scorecardTitle: 'Phone calls',
  channel: 'phone',
  score: 88,
  standards: [{ id: 'never-argue', title: 'Never argue' }, { id: 'use-the-customer-name' }],
  submittedAt: T,
};

function valid(statement: unknown) {
  const parsed = statementSchema.safeParse(statement);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues, null, 2));
  expect(validate(statement)).toEqual([]);
  return parsed.data;
}

describe('evaluation statements', () => {
  it('states a submitted evaluation as the rep scored, with the evaluator as instructor and scorecard and standards as context', () => {
    const s = valid(buildEvaluationStatement(site, input));
    expect(s.actor).toEqual({ objectType: 'Agent', name: 'Ravi', mbox: 'mailto:ravi@example.com' });
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/scored');
    expect(s.object).toMatchObject({
      id: `${base}/evaluation/ev1`,
      definition: { type: 'http://adlnet.gov/expapi/activities/performance' },
    });
    expect(s.result).toEqual({ completion: true, score: { scaled: 0.88, raw: 88, min: 0, max: 100 } });
    expect(s.context?.instructor).toEqual({ objectType: 'Agent', name: 'Mia', mbox: 'mailto:mia@example.com' });
    expect(s.context?.contextActivities?.parent?.map((a) => a.id)).toEqual([`${base}/scorecard/phone`]);
    expect(s.context?.contextActivities?.grouping?.map((a) => a.id)).toEqual([
      `${base}/standard/never-argue`,
      `${base}/standard/use-the-customer-name`,
    ]);
    expect(s.timestamp).toBe(new Date(T).toISOString());
  });

  it('leaves the score out when no item applied, and the same evaluation always gets the same id', () => {
    const s = valid(buildEvaluationStatement(site, { ...input, score: undefined, standards: [] }));
    expect(s.result).toEqual({ completion: true });
    expect(s.context?.contextActivities?.grouping).toBeUndefined();
    expect(buildEvaluationStatement(site, input).id).toBe(buildEvaluationStatement(site, { ...input, score: 10 }).id);
  });

  it('states the acknowledgement with the rep’s comment, under an id of its own', () => {
    const ack = valid(
      buildAcknowledgementStatement(site, { ...input, acknowledgedAt: T + 60_000, comment: 'I will stay calm.' }),
    );
    expect(ack.verb.id).toBe('http://activitystrea.ms/schema/1.0/acknowledge');
    expect(ack.result).toEqual({ response: 'I will stay calm.' });
    expect(ack.object.id).toBe(`${base}/evaluation/ev1`);
    expect(ack.id).not.toBe(buildEvaluationStatement(site, input).id);
    expect(valid(buildAcknowledgementStatement(site, { ...input, acknowledgedAt: T })).result).toBeUndefined();
  });
});
