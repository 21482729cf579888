import { describe, expect, it } from 'vitest';
import { uuidV5, URL_NAMESPACE } from '~/features/exports/uuid';
import {
  buildAnsweredQuestionStatement,
  buildCertificationStatement,
  buildExerciseAttemptStatement,
  buildQuizAttemptStatement,
  buildRoleplayChoiceStatement,
  buildRoleplayRunStatement,
  isoDuration,
  normalizeBaseUrl,
  xapiActivityIds,
  type CertificationEventKind,
} from '~/features/exports/xapi/xapi';
import { statementSchema } from '~/features/exports/xapi/schema';

const site = { baseUrl: 'https://academy.example.com/' };
const base = 'https://academy.example.com';
const learner = { email: 'ana@example.com', name: 'Ana Silva' };
const T = Date.UTC(2026, 0, 15, 9, 30);

function valid(statement: unknown) {
  const parsed = statementSchema.safeParse(statement);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues, null, 2));
  return parsed.data;
}

const answered = buildAnsweredQuestionStatement(site, {
  attemptId: 'att1',
  quizId: 'greeting-quiz',
  moduleSlug: 'greeting-and-attitude',
  questionId: 'q-smile',
  learner,
  chosen: ['b', 'c'],
  correct: false,
  at: T,
  kind: 'multiple',
  prompt: 'Which of these help?',
  options: [
    { id: 'a', text: 'Smile' },
    { id: 'b', text: 'Sigh' },
    { id: 'c', text: 'Hurry' },
  ],
  standards: ['smile-in-your-voice'],
});

describe('uuidV5', () => {
  it('matches the RFC 9562 / Python uuid5 results', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5(URL_NAMESPACE, 'https://academy.example')).toBe('c94909e5-7325-552f-b7c3-83afb768cc2f');
  });
});

describe('helpers', () => {
  it('normalizes the base URL and refuses a non-http one', () => {
    expect(normalizeBaseUrl('https://a.example/academy/')).toBe('https://a.example/academy');
    expect(normalizeBaseUrl('http://localhost:4321')).toBe('http://localhost:4321');
    expect(() => normalizeBaseUrl('ftp://a.example')).toThrow();
    expect(() => normalizeBaseUrl('/relative')).toThrow();
  });

  it('names activities under the base URL, escaping path segments', () => {
    const ids = xapiActivityIds(base);
    expect(ids.quiz('q1')).toBe(`${base}/xapi/activities/quiz/q1`);
    expect(ids.question('q1', 'a b')).toBe(`${base}/xapi/activities/question/q1/a%20b`);
    expect(ids.module('intro')).toBe(`${base}/xapi/activities/module/intro`);
    expect(ids.roleplay('late')).toBe(`${base}/xapi/activities/roleplay/late`);
    expect(ids.roleplayNode('late', 'open')).toBe(`${base}/xapi/activities/roleplay/late/node/open`);
    expect(ids.track('onboarding')).toBe(`${base}/xapi/activities/track/onboarding`);
  });

  it('writes ISO 8601 durations to the hundredth of a second', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(1500)).toBe('PT1.5S');
    expect(isoDuration(3_723_450)).toBe('PT1H2M3.45S');
    expect(isoDuration(120_000)).toBe('PT2M');
    expect(isoDuration(3_600_000)).toBe('PT1H');
    expect(isoDuration(-1)).toBeUndefined();
    expect(isoDuration(null)).toBeUndefined();
  });
});

describe('buildAnsweredQuestionStatement', () => {
  it('is a valid statement: answered, the question as an interaction under its quiz and module', () => {
    const s = valid(answered);
    expect(s.actor).toEqual({ objectType: 'Agent', name: 'Ana Silva', mbox: 'mailto:ana@example.com' });
    expect(s.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } });
    expect(s.object).toEqual({
      objectType: 'Activity',
      id: `${base}/xapi/activities/question/greeting-quiz/q-smile`,
      definition: {
        name: { 'en-US': 'Which of these help?' },
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'choice',
        choices: [
          { id: 'a', description: { 'en-US': 'Smile' } },
          { id: 'b', description: { 'en-US': 'Sigh' } },
          { id: 'c', description: { 'en-US': 'Hurry' } },
        ],
      },
    });
    expect(s.result).toEqual({ success: false, completion: true, response: 'b[,]c' });
    expect(s.context?.contextActivities).toEqual({
      parent: [{ objectType: 'Activity', id: `${base}/xapi/activities/quiz/greeting-quiz` }],
      grouping: [{ objectType: 'Activity', id: `${base}/xapi/activities/module/greeting-and-attitude` }],
    });
    expect(s.context?.extensions).toEqual({ [`${base}/xapi/extensions/standards`]: ['smile-in-your-voice'] });
    expect(s.timestamp).toBe('2026-01-15T09:30:00.000Z');
  });

  it('never exports the answer key', () => {
    expect(JSON.stringify(answered)).not.toContain('correctResponsesPattern');
  });

  it('marks ordering questions as sequencing and keeps the chosen order', () => {
    const s = valid(
      buildAnsweredQuestionStatement(site, {
        attemptId: 'att1',
        quizId: 'qz',
        moduleSlug: 'm',
        questionId: 'order',
        learner,
        chosen: ['third', 'first', 'second'],
        correct: false,
        at: T,
        kind: 'ordering',
      }),
    );
    expect(s.object.definition.interactionType).toBe('sequencing');
    expect(s.object.definition.name).toEqual({ 'en-US': 'order' });
    expect(s.result?.response).toBe('third[,]first[,]second');
    expect(s.context?.extensions).toBeUndefined();
  });
});

describe('buildQuizAttemptStatement', () => {
  const attempt = {
    attemptId: 'att1',
    quizId: 'greeting-quiz',
    quizTitle: 'Greeting quiz',
    moduleSlug: 'greeting-and-attitude',
    learner,
    score: 85,
    passed: true,
    startedAt: T - 754_320,
    submittedAt: T,
  };

  it('says passed with a scaled score, success, completion and duration', () => {
    const s = valid(buildQuizAttemptStatement(site, attempt));
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/passed');
    expect(s.object.id).toBe(`${base}/xapi/activities/quiz/greeting-quiz`);
    expect(s.object.definition).toEqual({
      name: { 'en-US': 'Greeting quiz' },
      type: 'http://adlnet.gov/expapi/activities/assessment',
    });
    expect(s.result).toEqual({
      score: { scaled: 0.85, raw: 85, min: 0, max: 100 },
      success: true,
      completion: true,
      duration: 'PT12M34.32S',
    });
    expect(s.context?.contextActivities?.parent?.[0]?.id).toBe(`${base}/xapi/activities/module/greeting-and-attitude`);
  });

  it('says failed when not passed', () => {
    const s = valid(buildQuizAttemptStatement(site, { ...attempt, score: 40, passed: false }));
    expect(s.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed' } });
    expect(s.result?.success).toBe(false);
    expect(s.result?.score?.scaled).toBe(0.4);
  });
});

describe('role-play statements', () => {
  it('answered for a reply at a node, with the standards it honours and breaks', () => {
    const s = valid(
      buildRoleplayChoiceStatement(site, {
        runId: 'run1',
        step: 0,
        roleplayId: 'late-delivery-promise',
        nodeId: 'opening',
        choiceId: 'calm',
        learner,
        at: T,
        line: 'Where is my parcel?',
        honours: ['never-argue'],
        breaks: [],
      }),
    );
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/answered');
    expect(s.object.id).toBe(`${base}/xapi/activities/roleplay/late-delivery-promise/node/opening`);
    expect(s.object.definition.name).toEqual({ 'en-US': 'Where is my parcel?' });
    expect(s.result).toEqual({ response: 'calm', completion: true });
    expect(s.context?.contextActivities?.parent?.[0]?.id).toBe(
      `${base}/xapi/activities/roleplay/late-delivery-promise`,
    );
    expect(s.context?.extensions).toEqual({ [`${base}/xapi/extensions/standards-honoured`]: ['never-argue'] });
  });

  it('completed for an ended run, with score, success against the pass score, ending and duration', () => {
    const run = {
      runId: 'run1',
      roleplayId: 'late-delivery-promise',
      title: 'Late delivery',
      moduleSlug: 'handling-complaints',
      learner,
      score: 60,
      passScore: 70,
      endingId: 'escalated',
      startedAt: T - 90_000,
      endedAt: T,
    };
    const s = valid(buildRoleplayRunStatement(site, run));
    expect(s.verb.id).toBe('http://adlnet.gov/expapi/verbs/completed');
    expect(s.object.definition.type).toBe('http://adlnet.gov/expapi/activities/simulation');
    expect(s.result).toEqual({
      score: { scaled: 0.6, raw: 60, min: 0, max: 100 },
      completion: true,
      success: false,
      duration: 'PT1M30S',
      extensions: { [`${base}/xapi/extensions/ending`]: 'escalated' },
    });
    const noPass = valid(buildRoleplayRunStatement(site, { ...run, passScore: undefined }));
    expect(noPass.result?.success).toBeUndefined();
  });
});

describe('calibration exercise statements', () => {
  const input = {
    attemptId: 'ex1',
    exerciseId: 'qa-calibration',
    title: 'QA calibration',
    moduleSlug: 'measuring-service',
    learner,
    score: 85,
    passed: false,
    agreed: 17,
    total: 20,
    startedAt: T - 600_000,
    submittedAt: T,
  };

  it('says the learner completed the exercise, with the agreement as a scaled score and whether it passed', () => {
    const s = valid(buildExerciseAttemptStatement(site, input));
    expect(s.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } });
    expect(s.object).toEqual({
      objectType: 'Activity',
      id: `${base}/xapi/activities/exercise/qa-calibration`,
      definition: { name: { 'en-US': 'QA calibration' }, type: 'http://adlnet.gov/expapi/activities/assessment' },
    });
    expect(s.result).toEqual({
      score: { scaled: 0.85, raw: 85, min: 0, max: 100 },
      success: false,
      completion: true,
      duration: 'PT10M',
      extensions: { [`${base}/xapi/extensions/calls-agreed`]: { agreed: 17, total: 20 } },
    });
    expect(s.context?.contextActivities?.parent).toEqual([
      { objectType: 'Activity', id: `${base}/xapi/activities/module/measuring-service` },
    ]);
    expect(s.timestamp).toBe(new Date(T).toISOString());
    expect(valid(buildExerciseAttemptStatement(site, { ...input, passed: true, score: 100 })).result?.success).toBe(
      true,
    );
  });

  it('has a stable id per attempt, distinct from a quiz attempt with the same row id', () => {
    expect(buildExerciseAttemptStatement(site, input).id).toBe(
      buildExerciseAttemptStatement(site, { ...input, score: 10 }).id,
    );
    expect(buildExerciseAttemptStatement(site, { ...input, attemptId: 'ex2' }).id).not.toBe(
      buildExerciseAttemptStatement(site, input).id,
    );
    const quiz = buildQuizAttemptStatement(site, {
      attemptId: 'ex1',
      quizId: 'q',
      moduleSlug: 'm',
      learner,
      score: 85,
      passed: false,
      startedAt: T - 1,
      submittedAt: T,
    });
    expect(quiz.id).not.toBe(buildExerciseAttemptStatement(site, input).id);
  });

  it('leaves the calls extension out when the tally is unknown', () => {
    const s = valid(buildExerciseAttemptStatement(site, { ...input, agreed: undefined, total: undefined }));
    expect(s.result?.extensions).toBeUndefined();
  });
});

describe('buildCertificationStatement', () => {
  const event = (kind: CertificationEventKind) =>
    valid(
      buildCertificationStatement(site, {
        eventId: `ev-${kind}`,
        kind,
        trackId: 'onboarding',
        trackTitle: 'Onboarding',
        learner,
        at: T,
        verifyUrl: `${base}/verify/abc`,
        expiresAt: Date.UTC(2027, 0, 15),
        ...(kind === 'revoked' && { reason: 'Certified in error' }),
      }),
    );

  it('uses ADL satisfied for issued, renewed and updated, and says which in an extension', () => {
    for (const kind of ['issued', 'renewed', 'updated'] as const) {
      const s = event(kind);
      expect(s.verb).toEqual({ id: 'https://w3id.org/xapi/adl/verbs/satisfied', display: { 'en-US': 'satisfied' } });
      expect(s.result).toEqual({ success: true, completion: true });
      expect(s.context?.extensions?.[`${base}/xapi/extensions/certification-event`]).toBe(kind);
    }
    const issued = event('issued');
    expect(issued.object).toEqual({
      objectType: 'Activity',
      id: `${base}/xapi/activities/track/onboarding`,
      definition: { name: { 'en-US': 'Onboarding' }, type: 'http://adlnet.gov/expapi/activities/course' },
    });
    expect(issued.context?.extensions).toMatchObject({
      [`${base}/xapi/extensions/certificate`]: `${base}/verify/abc`,
      [`${base}/xapi/extensions/expires-at`]: '2027-01-15T00:00:00.000Z',
    });
  });

  it('uses site verbs for revoked and update required, never ADL voided, and no result', () => {
    const revoked = event('revoked');
    expect(revoked.verb.id).toBe(`${base}/xapi/verbs/certification-revoked`);
    expect(revoked.result).toBeUndefined();
    expect(revoked.context?.extensions?.[`${base}/xapi/extensions/reason`]).toBe('Certified in error');
    expect(event('update_required').verb.id).toBe(`${base}/xapi/verbs/certification-update-required`);
  });
});

describe('statement ids', () => {
  it('are stable for a source row, distinct across rows and kinds, and scoped to the site', () => {
    const again = buildAnsweredQuestionStatement(site, { ...answeredInput(), chosen: ['a'] });
    expect(again.id).toBe(answered.id);
    const other = buildAnsweredQuestionStatement(site, { ...answeredInput(), questionId: 'q-other' });
    expect(other.id).not.toBe(answered.id);
    const elsewhere = buildAnsweredQuestionStatement({ baseUrl: 'https://other.example' }, answeredInput());
    expect(elsewhere.id).not.toBe(answered.id);
    const sameBase = buildAnsweredQuestionStatement({ baseUrl: 'https://academy.example.com' }, answeredInput());
    expect(sameBase.id).toBe(answered.id);
    expect(answered.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

function answeredInput() {
  return {
    attemptId: 'att1',
    quizId: 'greeting-quiz',
    moduleSlug: 'greeting-and-attitude',
    questionId: 'q-smile',
    learner,
    chosen: ['b', 'c'],
    correct: false,
    at: T,
  };
}
