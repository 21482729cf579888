/**
 * xAPI statements for quality evaluations of real contacts (src/features/quality). The actor is the rep: the
 * statement is about their performance, as every other statement here is about the learner's.
 * - Submitted: ADL's `scored` (http://adlnet.gov/expapi/verbs/scored, "the actor's performance was measured as a
 *   score"): it says what happened (a score was given) without claiming a pass or a completion the rep did not make.
 *   `result.score` is the evaluation's score (scaled 0–1, raw in percent), absent when every item was not applicable.
 * - Acknowledged: Activity Streams' `acknowledge` (http://activitystrea.ms/schema/1.0/acknowledge, in the xAPI
 *   registry): the rep confirmed they read it; their comment is `result.response`.
 * The object is the evaluated contact (ADL's `performance` activity type), identified by the evaluation id (the
 * ticket reference stays in the site). The evaluator is `context.instructor`; the scorecard is the parent and the
 * standards scored are the grouping.
 */
import { activityTypes, agent, iso, prepareSite, score, verb, xapiVerbs, type XapiPerson, type XapiSite } from './core';
import { uuidV5 } from '../uuid';
import type { Statement } from './schema';

export interface EvaluationInput {
  evaluationId: string;
  rep: XapiPerson;
  evaluator: XapiPerson;
  scorecardId: string;
  scorecardTitle?: string | undefined;
  channel: string;
  /** Percent, 0–100; undefined when no item applied. */
  score?: number | undefined;
  /** Standards scored, with their titles when known. */
  standards: readonly { id: string; title?: string | undefined }[];
  submittedAt: number;
}

function evaluationParts(site: XapiSite, input: EvaluationInput) {
  const s = prepareSite(site);
  return {
    s,
    object: {
      objectType: 'Activity' as const,
      id: s.ids.evaluation(input.evaluationId),
      definition: {
        name: s.map(`${input.scorecardTitle ?? input.scorecardId}: ${input.channel} contact`),
        type: activityTypes.performance,
      },
    },
    context: {
      ...s.context,
      instructor: agent(input.evaluator),
      contextActivities: {
        parent: [
          {
            objectType: 'Activity' as const,
            id: s.ids.scorecard(input.scorecardId),
            ...(input.scorecardTitle && { definition: { name: s.map(input.scorecardTitle) } }),
          },
        ],
        ...(input.standards.length > 0 && {
          grouping: input.standards.map((st) => ({
            objectType: 'Activity' as const,
            id: s.ids.standard(st.id),
            ...(st.title && { definition: { name: s.map(st.title) } }),
          })),
        }),
      },
    },
  };
}

/** `scored` for a submitted floor or agreed evaluation. */
export function buildEvaluationStatement(site: XapiSite, input: EvaluationInput): Statement {
  const { s, object, context } = evaluationParts(site, input);
  return {
    id: uuidV5(s.namespace, `evaluation:${input.evaluationId}`),
    actor: agent(input.rep),
    verb: verb(xapiVerbs.scored, s.map),
    object,
    result: { completion: true, ...(input.score !== undefined && { score: score(input.score) }) },
    context,
    timestamp: iso(input.submittedAt),
  };
}

/** `acknowledged` for the rep's "I've read this", with their comment. */
export function buildAcknowledgementStatement(
  site: XapiSite,
  input: EvaluationInput & { acknowledgedAt: number; comment?: string | undefined },
): Statement {
  const { s, object, context } = evaluationParts(site, input);
  return {
    id: uuidV5(s.namespace, `evaluation-ack:${input.evaluationId}`),
    actor: agent(input.rep),
    verb: verb(xapiVerbs.acknowledged, s.map),
    object,
    ...(input.comment && { result: { response: input.comment } }),
    context,
    timestamp: iso(input.acknowledgedAt),
  };
}
