import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  attemptOutcome,
  canStart,
  checkAnswers,
  DEADLINE_GRACE_MS,
  deadlineFor,
  drawQuestions,
  gradeAttempt,
  isPastDeadline,
  matchesContent,
  drawPractice,
  practiceFeedback,
  reviewFor,
  toPublicQuiz,
  type AttemptFacts,
} from '~/features/quiz/quiz';
import { seededRandom } from '~/lib/random';
import { allKindsQuiz, drawQuiz, perfectAnswers } from '../../fixtures/quiz/quizzes';

const MIN = 60_000;

describe('drawing', () => {
  it('is deterministic from the seed', () => {
    expect(drawQuestions(allKindsQuiz, 42)).toEqual(drawQuestions(allKindsQuiz, 42));
    expect(drawQuestions(drawQuiz, 7)).toEqual(drawQuestions(drawQuiz, 7));
    const a = seededRandom(1);
    const b = seededRandom(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('differs between seeds', () => {
    const orders = new Set(Array.from({ length: 20 }, (_, s) => JSON.stringify(drawQuestions(allKindsQuiz, s))));
    expect(orders.size).toBeGreaterThan(10);
  });

  it('draws N distinct questions of the pool, every option once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const frozen = drawQuestions(drawQuiz, seed);
        expect(frozen).toHaveLength(5);
        expect(new Set(frozen.map((f) => f.id)).size).toBe(5);
        for (const f of frozen) expect([...f.options].sort()).toEqual(['x', 'y', 'z']);
      }),
    );
  });

  it('reaches every question of the pool across seeds', () => {
    const seen = new Set(Array.from({ length: 50 }, (_, s) => drawQuestions(drawQuiz, s).map((f) => f.id)).flat());
    expect(seen.size).toBe(8);
  });

  it('never shows an ordering question in its correct order, and keeps True before False', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const frozen = drawQuestions(allKindsQuiz, seed);
        expect(frozen.find((f) => f.id === 'ordering-q')!.options).not.toEqual(['explain', 'name', 'brief', 'connect']);
        expect(frozen.find((f) => f.id === 'tf-q')!.options).toEqual(['true', 'false']);
      }),
    );
  });

  it('keeps the authored order when shuffle is off, except ordering questions', () => {
    const frozen = drawQuestions({ ...allKindsQuiz, shuffle: false }, 3);
    expect(frozen.map((f) => f.id)).toEqual(['single-q', 'multiple-q', 'tf-q', 'ordering-q', 'scenario-q']);
    expect(frozen[0]!.options).toEqual(['a', 'b', 'c']);
    expect(frozen[3]!.options).not.toEqual(['explain', 'name', 'brief', 'connect']);
  });
});

describe('the public quiz', () => {
  const frozen = drawQuestions(allKindsQuiz, 99);
  const pub = toPublicQuiz(allKindsQuiz, frozen);
  const text = JSON.stringify(pub);

  it('carries prompts, scenario and option texts in the drawn order', () => {
    expect(pub.questions.map((q) => q.id)).toEqual(frozen.map((f) => f.id));
    const single = pub.questions.find((q) => q.id === 'single-q')!;
    const order = frozen.find((f) => f.id === 'single-q')!.options;
    expect(single.options).toEqual(
      order.map((id) => allKindsQuiz.questions[0]!.options.find((o) => o.id === id)!.text),
    );
    expect(pub.questions.find((q) => q.id === 'scenario-q')!.scenario).toMatch(/three days late/);
  });

  it('contains no key: no correct flags, no feedback, no option ids, no standards', () => {
    expect(text).not.toMatch(/correct/i);
    expect(text).not.toMatch(/KEYWORD|feedback/);
    expect(text).not.toMatch(/standards|use-the-customer-name/);
    for (const q of pub.questions)
      expect(Object.keys(q).sort()).toEqual(expect.arrayContaining(['id', 'kind', 'options', 'prompt']));
    for (const q of pub.questions) for (const o of q.options) expect(typeof o).toBe('string');
  });
});

describe('grading', () => {
  const frozen = drawQuestions(allKindsQuiz, 5);
  const pos = (qid: string, optionId: string) => frozen.find((f) => f.id === qid)!.options.indexOf(optionId);
  const perfect = perfectAnswers(allKindsQuiz, frozen);
  const gradeOne = (qid: string, chosen: number[]) => gradeAttempt(allKindsQuiz, frozen, { ...perfect, [qid]: chosen });

  it('gives 100 and a pass for the key', () => {
    const g = gradeAttempt(allKindsQuiz, frozen, perfect);
    expect(g).toMatchObject({ score: 100, passed: true, correctCount: 5 });
    expect(g.questions.every((q) => q.correct)).toBe(true);
  });

  it('single, scenario and true/false: exactly the correct option', () => {
    expect(gradeOne('single-q', [pos('single-q', 'a')]).questions.find((q) => q.id === 'single-q')!.correct).toBe(
      false,
    );
    expect(gradeOne('scenario-q', [pos('scenario-q', 'a')]).questions.find((q) => q.id === 'scenario-q')!.correct).toBe(
      false,
    );
    expect(gradeOne('tf-q', [pos('tf-q', 'false')]).questions.find((q) => q.id === 'tf-q')!.correct).toBe(false);
    expect(gradeOne('tf-q', [pos('tf-q', 'true')]).questions.find((q) => q.id === 'tf-q')!.correct).toBe(true);
  });

  it('multiple: all or nothing on the exact set', () => {
    const grade = (ids: string[]) =>
      gradeOne(
        'multiple-q',
        ids.map((id) => pos('multiple-q', id)),
      ).questions.find((q) => q.id === 'multiple-q')!.correct;
    expect(grade(['a', 'c'])).toBe(true);
    expect(grade(['c', 'a'])).toBe(true);
    expect(grade(['a'])).toBe(false);
    expect(grade(['a', 'b', 'c'])).toBe(false);
    expect(grade(['a', 'b', 'c', 'd'])).toBe(false);
  });

  it('ordering: the exact authored order', () => {
    const grade = (ids: string[]) =>
      gradeOne(
        'ordering-q',
        ids.map((id) => pos('ordering-q', id)),
      ).questions.find((q) => q.id === 'ordering-q')!.correct;
    expect(grade(['explain', 'name', 'brief', 'connect'])).toBe(true);
    expect(grade(['name', 'explain', 'brief', 'connect'])).toBe(false);
  });

  it('unanswered is wrong; score is rounded down; pass at the mark', () => {
    const g = gradeAttempt(allKindsQuiz, frozen, { ...perfect, 'tf-q': [] });
    expect(g).toMatchObject({ correctCount: 4, score: 80, passed: true });
    const { ['tf-q']: _tf, ['single-q']: _s, ...three } = perfect;
    expect(gradeAttempt(allKindsQuiz, frozen, three)).toMatchObject({ correctCount: 3, score: 60, passed: false });
    const six = drawQuestions({ ...drawQuiz, draw: 6, passMark: 67 }, 1);
    const fourOfSix = perfectAnswers(drawQuiz, six);
    delete fourOfSix[six[0]!.id];
    delete fourOfSix[six[1]!.id];
    // 4/6 = 66.67 %: shown as 66, which is below a pass mark of 67.
    expect(gradeAttempt({ ...drawQuiz, passMark: 67 }, six, fourOfSix)).toMatchObject({ score: 66, passed: false });
  });

  it('records chosen option ids and the standards tagged', () => {
    const g = gradeAttempt(allKindsQuiz, frozen, perfect);
    expect(g.questions.find((q) => q.id === 'scenario-q')).toMatchObject({
      chosen: ['b'],
      standards: ['never-justify-poor-service', 'never-argue'],
    });
    expect(g.questions.find((q) => q.id === 'ordering-q')!.chosen).toEqual(['explain', 'name', 'brief', 'connect']);
  });
});

describe('checking answers', () => {
  const frozen = drawQuestions(allKindsQuiz, 5);
  it('accepts the key and a partial answer sheet', () => {
    expect(checkAnswers(allKindsQuiz, frozen, perfectAnswers(allKindsQuiz, frozen))).toEqual({ ok: true });
    expect(checkAnswers(allKindsQuiz, frozen, { 'tf-q': [0] })).toEqual({ ok: true });
  });
  it('refuses a question not in the attempt', () => {
    expect(checkAnswers(drawQuiz, drawQuestions(drawQuiz, 1), { nope: [0] })).toMatchObject({
      ok: false,
      kind: 'unknown-question',
    });
    const frozenDraw = drawQuestions(drawQuiz, 1);
    const notDrawn = drawQuiz.questions.find((q) => !frozenDraw.some((f) => f.id === q.id))!.id;
    expect(checkAnswers(drawQuiz, frozenDraw, { [notDrawn]: [0] })).toMatchObject({
      ok: false,
      kind: 'unknown-question',
    });
  });
  it('refuses positions that were not shown, duplicates, two answers to a single, and a partial order', () => {
    expect(checkAnswers(allKindsQuiz, frozen, { 'single-q': [3] })).toMatchObject({ ok: false, kind: 'malformed' });
    expect(checkAnswers(allKindsQuiz, frozen, { 'single-q': [-1] })).toMatchObject({ ok: false, kind: 'malformed' });
    expect(checkAnswers(allKindsQuiz, frozen, { 'multiple-q': [1, 1] })).toMatchObject({
      ok: false,
      kind: 'malformed',
    });
    expect(checkAnswers(allKindsQuiz, frozen, { 'single-q': [0, 1] })).toMatchObject({ ok: false, kind: 'malformed' });
    expect(checkAnswers(allKindsQuiz, frozen, { 'ordering-q': [0, 1] })).toMatchObject({
      ok: false,
      kind: 'malformed',
    });
  });
  it('names a refused question by its number on the page, never by its id', () => {
    const number = (id: string) => frozen.findIndex((f) => f.id === id) + 1;
    const refusals = [
      checkAnswers(allKindsQuiz, frozen, { 'ordering-q': [0, 1] }),
      checkAnswers(allKindsQuiz, frozen, { 'single-q': [0, 1] }),
      checkAnswers(allKindsQuiz, frozen, { 'single-q': [9] }),
      checkAnswers(allKindsQuiz, frozen, { 'multiple-q': [1, 1] }),
    ].map((r) => (r.ok ? '' : r.message));
    expect(refusals).toEqual([
      `Put every item of question ${number('ordering-q')} in order.`,
      `Question ${number('single-q')} takes one answer.`,
      `An answer to question ${number('single-q')} names an option that was not shown.`,
      `An answer to question ${number('multiple-q')} names the same option twice.`,
    ]);
  });
  it('notices a quiz whose questions no longer match the attempt', () => {
    expect(matchesContent(allKindsQuiz, frozen)).toBe(true);
    const removed = { ...allKindsQuiz, questions: allKindsQuiz.questions.filter((q) => q.id !== 'tf-q') };
    expect(matchesContent(removed, frozen)).toBe(false);
    const changedOptions = {
      ...allKindsQuiz,
      questions: allKindsQuiz.questions.map((q) =>
        q.id === 'single-q' ? { ...q, options: q.options.slice(0, 2) } : q,
      ),
    };
    expect(matchesContent(changedOptions, frozen)).toBe(false);
  });
});

describe('review policy', () => {
  const frozen = drawQuestions(allKindsQuiz, 11);
  const wrong = { ...perfectAnswers(allKindsQuiz, frozen), 'tf-q': [1], 'single-q': [] as number[] };
  const failed = gradeAttempt(allKindsQuiz, frozen, {
    ...wrong,
    'scenario-q': [frozen.find((f) => f.id === 'scenario-q')!.options.indexOf('a')],
  });

  it('after-pass, not passed: own answers marked right or wrong with their standards — no key, no feedback', () => {
    expect(failed.passed).toBe(false);
    const review = reviewFor(allKindsQuiz, frozen, failed.questions, { passedEver: false });
    expect(review.level).toBe('marked');
    // No option says whether it is the key, and no option's why is sent.
    for (const q of review.questions)
      for (const o of q.options) expect(Object.keys(o).sort()).toEqual(['chosen', 'text']);
    expect(JSON.stringify(review)).not.toMatch(/KEYWORD|feedback|correctPosition/);
    const tf = review.questions.find((q) => q.id === 'tf-q')!;
    expect(tf.options.map((o) => o.chosen)).toEqual([false, true]);
    expect(tf.correct).toBe(false);
    expect(tf.standards).toEqual(allKindsQuiz.questions.find((q) => q.id === 'tf-q')!.standards);
    expect(review.questions.find((q) => q.id === 'ordering-q')!.correct).toBe(true);
    expect(review.questions.find((q) => q.id === 'single-q')!.answered).toBe(false);
    expect(review.standards).toContain('smile-in-your-voice');
  });

  it('after-pass, once passed: the full review with every why', () => {
    const review = reviewFor(allKindsQuiz, frozen, failed.questions, { passedEver: true });
    expect(review.level).toBe('full');
    const tf = review.questions.find((q) => q.id === 'tf-q')!;
    expect(tf.correct).toBe(false);
    expect(tf.options.find((o) => o.text === 'True')).toMatchObject({
      correct: true,
      chosen: false,
      feedback: expect.stringMatching(/KEYWORD-tf/),
    });
    const ordering = review.questions.find((q) => q.id === 'ordering-q')!;
    expect(ordering.options.map((o) => o.correctPosition)).toEqual([1, 2, 3, 4]);
  });

  it('always: the full review even when failed', () => {
    expect(
      reviewFor({ ...allKindsQuiz, review: 'always' }, frozen, failed.questions, { passedEver: false }).level,
    ).toBe('full');
  });
});

describe('attempt policy', () => {
  const policy = { max: 3, cooldownMinutes: 30 };
  const t0 = Date.UTC(2026, 0, 5, 9);
  const attempt = (over: Partial<AttemptFacts>): AttemptFacts => ({
    id: Math.random().toString(36).slice(2),
    status: 'submitted',
    startedAt: t0,
    deadlineAt: null,
    submittedAt: t0 + 5 * MIN,
    passed: false,
    ...over,
  });

  it('allows the first attempt', () => {
    expect(canStart(policy, [], t0)).toEqual({ ok: true });
  });

  it('resumes an open attempt instead of starting another', () => {
    const open = attempt({ status: 'open', submittedAt: null, passed: null });
    expect(canStart(policy, [open], t0 + MIN)).toEqual({ ok: false, reason: 'open', attemptId: open.id });
  });

  it('makes a failed learner wait out the cooldown from the submit', () => {
    const failed = attempt({});
    expect(canStart(policy, [failed], t0 + 34 * MIN)).toEqual({ ok: false, reason: 'cooldown', until: t0 + 35 * MIN });
    expect(canStart(policy, [failed], t0 + 35 * MIN)).toEqual({ ok: true });
  });

  it('has no cooldown after a pass', () => {
    expect(canStart(policy, [attempt({ passed: true })], t0 + 6 * MIN)).toEqual({ ok: true });
  });

  it('stops at the maximum, counting timed-out attempts but not content changes', () => {
    const three = [
      attempt({}),
      attempt({ status: 'expired', submittedAt: null, deadlineAt: t0 + 10 * MIN }),
      attempt({ passed: true }),
    ];
    expect(canStart(policy, three, t0 + 999 * MIN)).toEqual({ ok: false, reason: 'max-attempts', max: 3 });
    const withChange = [
      attempt({}),
      attempt({ status: 'content_changed', submittedAt: null, passed: null }),
      attempt({ passed: true }),
    ];
    expect(canStart(policy, withChange, t0 + 999 * MIN)).toEqual({ ok: true });
    expect(
      canStart(
        { cooldownMinutes: 0 },
        Array.from({ length: 50 }, () => attempt({})),
        t0 + MIN,
      ),
    ).toEqual({ ok: true });
  });

  it('counts each granted extra attempt on top of the maximum, and only there', () => {
    const three = [attempt({}), attempt({}), attempt({})];
    const late = t0 + 999 * MIN;
    expect(canStart(policy, three, late, 1)).toEqual({ ok: true });
    expect(canStart(policy, [...three, attempt({})], late, 1)).toEqual({ ok: false, reason: 'max-attempts', max: 4 });
    // A grant does not skip the cooldown after a failure.
    expect(canStart(policy, three, t0 + 6 * MIN, 1)).toEqual({ ok: false, reason: 'cooldown', until: t0 + 35 * MIN });
  });

  it('treats an open attempt past its deadline as a failed, finished one', () => {
    const overdue = attempt({ status: 'open', submittedAt: null, passed: null, deadlineAt: t0 + 10 * MIN });
    expect(canStart(policy, [overdue], t0 + 11 * MIN)).toEqual({ ok: false, reason: 'cooldown', until: t0 + 40 * MIN });
    expect(canStart(policy, [overdue], t0 + 41 * MIN)).toEqual({ ok: true });
  });

  it('checks the time limit against the server start time, with a small grace', () => {
    const deadline = deadlineFor(t0, { timeLimitMinutes: 10 })!;
    expect(deadline).toBe(t0 + 10 * MIN);
    expect(deadlineFor(t0, {})).toBeNull();
    expect(isPastDeadline(deadline, deadline + DEADLINE_GRACE_MS)).toBe(false);
    expect(isPastDeadline(deadline, deadline + DEADLINE_GRACE_MS + 1)).toBe(true);
    expect(isPastDeadline(null, t0 + 10_000 * MIN)).toBe(false);
  });
});

describe('attempt outcome', () => {
  it('names every way an attempt can end, not by colour alone', () => {
    expect(attemptOutcome({ status: 'submitted', passed: true })).toEqual({ label: 'Passed', tone: 'good' });
    expect(attemptOutcome({ status: 'submitted', passed: false })).toEqual({ label: 'Not passed', tone: 'bad' });
    expect(attemptOutcome({ status: 'open', passed: null })).toEqual({ label: 'In progress', tone: 'info' });
    expect(attemptOutcome({ status: 'expired', passed: null })).toEqual({ label: 'Time ran out', tone: 'bad' });
    expect(attemptOutcome({ status: 'content_changed', passed: null })).toEqual({
      label: 'Closed: quiz changed',
      tone: 'info',
    });
  });
});

describe('practice', () => {
  it('draws questions the learner has not just seen first, where the pool allows', () => {
    const seen = new Set(drawQuestions(drawQuiz, 3).map((f) => f.id));
    const count = Math.min(drawQuiz.draw!, drawQuiz.questions.length);
    const fresh = drawQuiz.questions.length - seen.size;
    expect(fresh).toBeGreaterThan(0);
    for (const seed of [1, 2, 3, 4, 5]) {
      const ids = drawPractice(drawQuiz, seed, seen).map((f) => f.id);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      // Every unseen question is drawn before any seen one comes back.
      expect(ids.filter((id) => !seen.has(id))).toHaveLength(Math.min(fresh, count));
    }
  });

  it('gives one answered question its full feedback, and nothing about the others', () => {
    const frozen = drawQuestions(allKindsQuiz, 11);
    const tf = frozen.find((f) => f.id === 'tf-q')!;
    const feedback = practiceFeedback(allKindsQuiz, frozen, 'tf-q', [1]);
    expect(feedback.id).toBe('tf-q');
    expect(feedback.correct).toBe(false);
    expect(feedback.options.find((o) => o.text === 'True')).toMatchObject({
      correct: true,
      feedback: expect.stringMatching(/KEYWORD-tf/),
    });
    expect(tf.options).toHaveLength(feedback.options.length);
    expect(JSON.stringify(feedback)).not.toContain('single-q');
    expect(() => practiceFeedback(allKindsQuiz, frozen, 'no-such-q', [0])).toThrow();
  });
});
