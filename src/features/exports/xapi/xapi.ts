/**
 * xAPI 1.0.3 statements from our records: one builder per kind of record. Pure — the exporter (endpoint or
 * `npm run export:xapi`) reads rows, calls these, and can check each statement with `statementSchema`.
 *
 * Choices, so an LRS reading our statements knows what they mean:
 * - Verbs are ADL's: `answered` (a quiz question, or a reply at a role-play node), `passed` / `failed` (a graded
 *   quiz attempt), `completed` (an ended role-play run, a submitted calibration exercise: exercise.ts), and `satisfied` from ADL's cmi5 vocabulary
 *   (https://w3id.org/xapi/adl/verbs/satisfied: the learner met a track's requirements) for a certificate issued,
 *   renewed or updated. ADL has no verb for losing a certificate ("voided" retracts a statement, it does not say
 *   that something was revoked), so revocation and "update required" use verbs minted under the site's base URL,
 *   `${base}/xapi/verbs/…`. Which event it was is also in the `…/extensions/certification-event` context extension.
 *   Quality evaluations of real contacts use ADL's `scored` and Activity Streams' `acknowledge` (evaluation.ts).
 * - Activity ids live under `${base}/xapi/activities/`: quiz/<quiz>, question/<quiz>/<question>, module/<slug>,
 *   roleplay/<id>, roleplay/<id>/node/<node>, track/<id>, exercise/<id>, evaluation/<id>, scorecard/<id>, standard/<id>. Context activities link a question to its quiz (parent)
 *   and module (grouping), a quiz and a role-play to their module.
 * - The actor is the learner, by `mbox` (mailto:) with their name, also in certification events (the statement is
 *   about their record, whoever clicked revoke).
 * - Statement ids are UUID v5 of the source row under a namespace derived from the base URL: re-exporting sends the
 *   same ids, so an LRS stores each statement once.
 * - Answer keys are not exported (no `correctResponsesPattern`): keys stay on the server; `result.success` says
 *   whether the answer was right.
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

export { buildExerciseAttemptStatement, type ExerciseAttemptInput } from './exercise';
export { buildAcknowledgementStatement, buildEvaluationStatement, type EvaluationInput } from './evaluation';
export {
  buildCertificationStatement,
  type CertificationEventInput,
  type CertificationEventKind,
} from './certification';
export { isoDuration, normalizeBaseUrl, xapiActivityIds, xapiVerbs, type XapiPerson, type XapiSite } from './core';

// ---------------------------------------------------------------------------------------------- quizzes

export interface AnsweredQuestionInput {
  attemptId: string;
  quizId: string;
  moduleSlug: string;
  questionId: string;
  learner: XapiPerson;
  /** Option ids chosen, in order (the order matters for ordering questions). */
  chosen: readonly string[];
  correct: boolean;
  /** When the answer was graded (the attempt's submission time). */
  at: number;
  kind?: 'single' | 'multiple' | 'true-false' | 'ordering' | 'scenario';
  prompt?: string;
  options?: readonly { id: string; text: string }[];
  standards?: readonly string[];
}

export function buildAnsweredQuestionStatement(site: XapiSite, input: AnsweredQuestionInput): Statement {
  const s = prepareSite(site);
  return {
    id: uuidV5(s.namespace, `quiz-answer:${input.attemptId}:${input.questionId}`),
    actor: agent(input.learner),
    verb: verb(xapiVerbs.answered, s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.question(input.quizId, input.questionId),
      definition: {
        name: s.map(input.prompt ?? input.questionId),
        type: activityTypes.interaction,
        interactionType: input.kind === 'ordering' ? 'sequencing' : 'choice',
        ...(input.options && { choices: input.options.map((o) => ({ id: o.id, description: s.map(o.text) })) }),
      },
    },
    result: { success: input.correct, completion: true, response: input.chosen.join('[,]') },
    context: {
      ...s.context,
      contextActivities: {
        parent: [{ objectType: 'Activity', id: s.ids.quiz(input.quizId) }],
        grouping: [{ objectType: 'Activity', id: s.ids.module(input.moduleSlug) }],
      },
      ...(input.standards?.length && { extensions: { [s.ext('standards')]: [...input.standards] } }),
    },
    timestamp: iso(input.at),
  };
}

export interface QuizAttemptInput {
  attemptId: string;
  quizId: string;
  quizTitle?: string;
  moduleSlug: string;
  learner: XapiPerson;
  /** Percent, 0–100. */
  score: number;
  passed: boolean;
  startedAt: number;
  submittedAt: number;
}

/** `passed` or `failed` for a graded attempt. */
export function buildQuizAttemptStatement(site: XapiSite, input: QuizAttemptInput): Statement {
  const s = prepareSite(site);
  const duration = isoDuration(input.submittedAt - input.startedAt);
  return {
    id: uuidV5(s.namespace, `quiz-attempt:${input.attemptId}`),
    actor: agent(input.learner),
    verb: verb(input.passed ? xapiVerbs.passed : xapiVerbs.failed, s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.quiz(input.quizId),
      definition: { name: s.map(input.quizTitle ?? input.quizId), type: activityTypes.assessment },
    },
    result: { score: score(input.score), success: input.passed, completion: true, ...(duration && { duration }) },
    context: {
      ...s.context,
      contextActivities: { parent: [{ objectType: 'Activity', id: s.ids.module(input.moduleSlug) }] },
    },
    timestamp: iso(input.submittedAt),
  };
}

// ---------------------------------------------------------------------------------------------- role-plays

export interface RoleplayChoiceInput {
  runId: string;
  /** The step number (0 for the first choice). */
  step: number;
  roleplayId: string;
  nodeId: string;
  choiceId: string;
  learner: XapiPerson;
  at: number;
  /** The customer's line at the node, used as the activity name. */
  line?: string;
  /** Standards the reply honours and breaks. */
  honours?: readonly string[];
  breaks?: readonly string[];
}

/** `answered` for one reply at a role-play node. */
export function buildRoleplayChoiceStatement(site: XapiSite, input: RoleplayChoiceInput): Statement {
  const s = prepareSite(site);
  const standards = {
    ...(input.honours?.length && { [s.ext('standards-honoured')]: [...input.honours] }),
    ...(input.breaks?.length && { [s.ext('standards-broken')]: [...input.breaks] }),
  };
  return {
    id: uuidV5(s.namespace, `roleplay-step:${input.runId}:${input.step}`),
    actor: agent(input.learner),
    verb: verb(xapiVerbs.answered, s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.roleplayNode(input.roleplayId, input.nodeId),
      definition: {
        name: s.map(input.line ?? input.nodeId),
        type: activityTypes.interaction,
        interactionType: 'choice',
      },
    },
    result: { response: input.choiceId, completion: true },
    context: {
      ...s.context,
      contextActivities: { parent: [{ objectType: 'Activity', id: s.ids.roleplay(input.roleplayId) }] },
      ...(Object.keys(standards).length > 0 && { extensions: standards }),
    },
    timestamp: iso(input.at),
  };
}

export interface RoleplayRunInput {
  runId: string;
  roleplayId: string;
  title?: string;
  moduleSlug: string;
  learner: XapiPerson;
  /** Score of the ending reached, 0–100. */
  score: number;
  /** When given, `result.success` says whether the run reached it. */
  passScore?: number;
  endingId: string;
  startedAt: number;
  endedAt: number;
}

/** `completed` for a role-play run that reached an ending. */
export function buildRoleplayRunStatement(site: XapiSite, input: RoleplayRunInput): Statement {
  const s = prepareSite(site);
  const duration = isoDuration(input.endedAt - input.startedAt);
  return {
    id: uuidV5(s.namespace, `roleplay-run:${input.runId}`),
    actor: agent(input.learner),
    verb: verb(xapiVerbs.completed, s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.roleplay(input.roleplayId),
      definition: { name: s.map(input.title ?? input.roleplayId), type: activityTypes.simulation },
    },
    result: {
      score: score(input.score),
      completion: true,
      ...(input.passScore !== undefined && { success: input.score >= input.passScore }),
      ...(duration && { duration }),
      extensions: { [s.ext('ending')]: input.endingId },
    },
    context: {
      ...s.context,
      contextActivities: { parent: [{ objectType: 'Activity', id: s.ids.module(input.moduleSlug) }] },
    },
    timestamp: iso(input.endedAt),
  };
}
