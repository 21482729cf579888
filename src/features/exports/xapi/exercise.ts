/**
 * The xAPI statement for a submitted QA calibration attempt, a builder of its own so it plugs into the export the
 * way quiz attempts do (xapi.server.ts reads the rows, xapi.ts re-exports this). Verb: ADL's `completed`, with
 * `result.success` saying whether the agreement reached the pass mark and `result.score` the agreement itself
 * (scaled 0–1, raw in percent); the calls agreed and made go in a result extension. The object is the exercise
 * (an assessment) under its module. The expert's calls are not exported: keys stay on the server.
 */
import {
  activityTypes,
  agent,
  iso,
  isoDuration,
  prepareSite,
  score,
  verb,
  xapiVerbs,
  type XapiPerson,
  type XapiSite,
} from './core';
import { uuidV5 } from '../uuid';
import type { Statement } from './schema';

export interface ExerciseAttemptInput {
  attemptId: string;
  exerciseId: string;
  title?: string | undefined;
  moduleSlug: string;
  learner: XapiPerson;
  /** Percent agreement with the expert, 0–100. */
  score: number;
  passed: boolean;
  /** Calls that matched the expert's, of all calls made (when known). */
  agreed?: number | undefined;
  total?: number | undefined;
  startedAt: number;
  submittedAt: number;
}

export function buildExerciseAttemptStatement(site: XapiSite, input: ExerciseAttemptInput): Statement {
  const s = prepareSite(site);
  const duration = isoDuration(input.submittedAt - input.startedAt);
  const calls =
    input.agreed !== undefined && input.total !== undefined
      ? { [s.ext('calls-agreed')]: { agreed: input.agreed, total: input.total } }
      : undefined;
  return {
    id: uuidV5(s.namespace, `exercise-attempt:${input.attemptId}`),
    actor: agent(input.learner),
    verb: verb(xapiVerbs.completed, s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.exercise(input.exerciseId),
      definition: { name: s.map(input.title ?? input.exerciseId), type: activityTypes.assessment },
    },
    result: {
      score: score(input.score),
      success: input.passed,
      completion: true,
      ...(duration && { duration }),
      ...(calls && { extensions: calls }),
    },
    context: {
      ...s.context,
      contextActivities: { parent: [{ objectType: 'Activity', id: s.ids.module(input.moduleSlug) }] },
    },
    timestamp: iso(input.submittedAt),
  };
}
