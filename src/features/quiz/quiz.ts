/**
 * The quiz engine's pure core: drawing an attempt, what the browser may see, grading, what the review may show, and
 * an attempt's deadline (the attempt policy itself is ../attempts/policy.ts, shared with calibration exercises and
 * re-exported here). No I/O; the server (quiz.server.ts) stores and loads, this decides.
 *
 * Data shape. An attempt freezes `FrozenQuestion[]`: the drawn question ids in the order shown, each with its option
 * ids in the order shown. Everything the learner sees is addressed by position in that frozen order — an answer is
 * a list of option POSITIONS, never option ids — so authors' option ids (which may read like "right-answer") never
 * reach the browser, and an answer can only name options that were actually shown.
 *
 * Lifecycle of an attempt: open → submitted (graded once), open → expired (time limit passed without a submit),
 * open → content_changed (the quiz changed or vanished while open; does not count against the learner).
 */
import { seededRandom, shuffled } from '../../lib/random';
import type { Question, Quiz } from '../content/schema';

export { canStart, DEADLINE_GRACE_MS, isPastDeadline, type AttemptFacts, type StartDecision } from '../attempts/policy';

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------- drawing

export interface FrozenQuestion {
  /** Question id in the quiz. */
  id: string;
  /** Option ids in the order the learner sees them. */
  options: string[];
}

/**
 * The questions of one attempt, from its seed. Draws `quiz.draw` of the pool (all when unset); with `shuffle` the
 * questions and options come in a seeded random order, without it in the authored order. True/false always reads
 * "True, False". Ordering questions are always shuffled (the authored order IS the answer) and are never shown in
 * the correct order: if the shuffle lands on it, the list is rotated by one.
 */
export function drawQuestions(quiz: Quiz, seed: number): FrozenQuestion[] {
  const random = seededRandom(seed);
  const indexed = quiz.questions.map((q, index) => ({ q, index }));
  const count = Math.min(quiz.draw ?? indexed.length, indexed.length);
  let picked = shuffled(indexed, random).slice(0, count);
  if (!quiz.shuffle) picked = picked.sort((a, b) => a.index - b.index);
  return picked.map(({ q }) => ({ id: q.id, options: optionOrder(q, quiz.shuffle, random) }));
}

/**
 * The questions of a practice attempt: like `drawQuestions`, but questions the learner met in their latest attempts
 * (`seen`) come last, so a pool larger than the draw gives them different questions where it can.
 */
export function drawPractice(quiz: Quiz, seed: number, seen: ReadonlySet<string>): FrozenQuestion[] {
  const random = seededRandom(seed);
  const indexed = quiz.questions.map((q, index) => ({ q, index }));
  const count = Math.min(quiz.draw ?? indexed.length, indexed.length);
  const fresh = shuffled(
    indexed.filter(({ q }) => !seen.has(q.id)),
    random,
  );
  const again = shuffled(
    indexed.filter(({ q }) => seen.has(q.id)),
    random,
  );
  let picked = [...fresh, ...again].slice(0, count);
  if (!quiz.shuffle) picked = picked.sort((a, b) => a.index - b.index);
  return picked.map(({ q }) => ({ id: q.id, options: optionOrder(q, quiz.shuffle, random) }));
}

function optionOrder(q: Question, shuffle: boolean, random: () => number): string[] {
  const ids = q.options.map((o) => o.id);
  if (q.kind === 'true-false') return ids;
  if (q.kind !== 'ordering') return shuffle ? shuffled(ids, random) : ids;
  const order = shuffled(ids, random);
  const same = order.every((id, i) => id === ids[i]);
  return same && order.length > 1 ? [...order.slice(1), order[0]!] : order;
}

// ---------------------------------------------------------------------------------------------- what the browser gets

export interface PublicQuestion {
  id: string;
  kind: Question['kind'];
  prompt: string;
  scenario?: string;
  /** Option texts in the order shown; answers refer to them by position. */
  options: string[];
}

export interface PublicQuiz {
  id: string;
  title: string;
  passMark: number;
  questions: PublicQuestion[];
}

/**
 * Everything the learner's browser receives about an attempt: texts in the drawn order, nothing else. No option
 * ids, no `correct`, no feedback, no standards (a question's standards would hint at its answer).
 */
export function toPublicQuiz(quiz: Quiz, frozen: readonly FrozenQuestion[]): PublicQuiz {
  return {
    id: quiz.id,
    title: quiz.title,
    passMark: quiz.passMark,
    questions: frozen.map((f) => {
      const q = questionOf(quiz, f);
      return {
        id: q.id,
        kind: q.kind,
        prompt: q.prompt,
        ...(q.scenario ? { scenario: q.scenario } : {}),
        options: f.options.map((id) => q.options.find((o) => o.id === id)!.text),
      };
    }),
  };
}

/** The content question behind a frozen one; throws when they no longer match (see `matchesContent`). */
function questionOf(quiz: Quiz, f: FrozenQuestion): Question {
  const q = quiz.questions.find((x) => x.id === f.id);
  if (!q || !sameOptions(q, f)) throw new Error(`question ${f.id} no longer matches the quiz`);
  return q;
}

function sameOptions(q: Question, f: FrozenQuestion): boolean {
  return q.options.length === f.options.length && f.options.every((id) => q.options.some((o) => o.id === id));
}

/** Whether an attempt's frozen questions can still be shown and graded against this version of the quiz. */
export function matchesContent(quiz: Quiz, frozen: readonly FrozenQuestion[]): boolean {
  return frozen.every((f) => {
    const q = quiz.questions.find((x) => x.id === f.id);
    return q !== undefined && sameOptions(q, f);
  });
}

// ---------------------------------------------------------------------------------------------- answers

/** Question id → chosen option positions (in the frozen order). Ordering: the positions in the learner's order. */
export type Answers = Record<string, number[]>;

/** Form field carrying a question's answer, shared by the HTML form and the island. */
export function answerField(questionId: string): string {
  return `q.${questionId}`;
}

export type AnswerCheck =
  | { ok: true }
  | { ok: false; kind: 'unknown-question'; questionId: string; message: string }
  | { ok: false; kind: 'malformed'; questionId: string; message: string };

/**
 * Structural check of submitted answers against the attempt: every key names a question of the attempt, every
 * position exists, no position twice, one choice for single-answer kinds, and a complete order for ordering. A
 * question left out (or sent empty) is unanswered, which grades as wrong.
 */
export function checkAnswers(quiz: Quiz, frozen: readonly FrozenQuestion[], answers: Answers): AnswerCheck {
  for (const [questionId, chosen] of Object.entries(answers)) {
    const at = frozen.findIndex((x) => x.id === questionId);
    const f = frozen[at];
    if (!f) {
      return {
        ok: false,
        kind: 'unknown-question',
        questionId,
        message: 'An answer names a question that is not part of this attempt.',
      };
    }
    // Learners know a question by its number on the page, never by its id.
    const question = `question ${at + 1}`;
    const bad = (message: string) => ({ ok: false as const, kind: 'malformed' as const, questionId, message });
    if (chosen.some((p) => !Number.isInteger(p) || p < 0 || p >= f.options.length))
      return bad(`An answer to ${question} names an option that was not shown.`);
    if (new Set(chosen).size !== chosen.length) return bad(`An answer to ${question} names the same option twice.`);
    const kind = quiz.questions.find((q) => q.id === questionId)?.kind;
    if ((kind === 'single' || kind === 'scenario' || kind === 'true-false') && chosen.length > 1) {
      return bad(`Question ${at + 1} takes one answer.`);
    }
    if (kind === 'ordering' && chosen.length > 0 && chosen.length !== f.options.length) {
      return bad(`Put every item of ${question} in order.`);
    }
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------- grading

export interface GradedQuestion {
  id: string;
  kind: Question['kind'];
  /** Chosen option ids; for ordering, in the learner's order. Empty when unanswered. */
  chosen: string[];
  correct: boolean;
  standards: string[];
}

export interface Grade {
  questions: GradedQuestion[];
  correctCount: number;
  /** Percent, rounded down, so a score shown as 80 really is at least 80. */
  score: number;
  passed: boolean;
}

/**
 * Grades an attempt. Single, scenario and true/false: the one chosen option is the correct one. Multiple: the
 * chosen set equals the correct set exactly (all or nothing — partial credit would reward ticking everything).
 * Ordering: the learner's order equals the authored order. Call `checkAnswers` first; positions it would refuse are
 * not expected here.
 */
export function gradeAttempt(quiz: Quiz, frozen: readonly FrozenQuestion[], answers: Answers): Grade {
  const questions = frozen.map((f): GradedQuestion => {
    const q = questionOf(quiz, f);
    const chosen = (Object.hasOwn(answers, f.id) ? answers[f.id]! : []).map((p) => f.options[p]!);
    return { id: q.id, kind: q.kind, chosen, correct: isCorrect(q, chosen), standards: q.standards };
  });
  const correctCount = questions.filter((q) => q.correct).length;
  const score = frozen.length === 0 ? 0 : Math.floor((100 * correctCount) / frozen.length);
  return { questions, correctCount, score, passed: score >= quiz.passMark };
}

function isCorrect(q: Question, chosen: readonly string[]): boolean {
  if (chosen.length === 0) return false;
  if (q.kind === 'ordering') return chosen.length === q.options.length && q.options.every((o, i) => o.id === chosen[i]);
  const key = q.options.filter((o) => o.correct).map((o) => o.id);
  if (q.kind === 'multiple') return key.length === chosen.length && key.every((id) => chosen.includes(id));
  return chosen.length === 1 && key.length === 1 && key[0] === chosen[0];
}

// ---------------------------------------------------------------------------------------------- review

export interface ReviewOption {
  text: string;
  chosen: boolean;
  /** Whether this option is right (ordering: its correct place, 1-based). Present only in a full review. */
  correct?: boolean;
  correctPosition?: number;
  feedback?: string;
}

export interface ReviewQuestion {
  id: string;
  kind: Question['kind'];
  prompt: string;
  scenario?: string;
  /** Options in the order shown (ordering: in the learner's order, then any left out). */
  options: ReviewOption[];
  answered: boolean;
  /** Whether the answer was right, and the standards the question tests (both levels). */
  correct: boolean;
  standards: string[];
}

export interface Review {
  /** `full`: right/wrong per question, the key and every option's why. `marked`: see `reviewFor`. */
  level: 'full' | 'marked';
  questions: ReviewQuestion[];
  /** Every standard the attempt's questions test (shown in both levels, so the learner knows what to revisit). */
  standards: string[];
}

/**
 * What the result page may show. `review: always`, or any attempt once the learner has passed this quiz: the full
 * review. `review: after-pass` before a pass: `marked` — each question with the learner's own answer, whether it
 * was right and the standards it tests (so they know exactly what to revisit), but NOT which option is the key and
 * NOT the option feedback (an option's feedback says why THAT option is right or wrong, and would hand over the key
 * of every question with more than two options).
 */
export function reviewFor(
  quiz: Quiz,
  frozen: readonly FrozenQuestion[],
  graded: readonly GradedQuestion[],
  opts: { passedEver: boolean },
): Review {
  const full = quiz.review === 'always' || opts.passedEver;
  const questions = frozen.map((f): ReviewQuestion => {
    const q = questionOf(quiz, f);
    const g = graded.find((x) => x.id === f.id);
    const chosen = g?.chosen ?? [];
    const order =
      q.kind === 'ordering' && chosen.length > 0
        ? [...chosen, ...f.options.filter((id) => !chosen.includes(id))]
        : f.options;
    const options = order.map((id): ReviewOption => {
      const o = q.options.find((x) => x.id === id)!;
      const base = { text: o.text, chosen: chosen.includes(id) };
      if (!full) return base;
      return q.kind === 'ordering'
        ? { ...base, correctPosition: q.options.indexOf(o) + 1, feedback: o.feedback }
        : { ...base, correct: o.correct === true, feedback: o.feedback };
    });
    const view: ReviewQuestion = {
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      options,
      answered: chosen.length > 0,
      correct: g?.correct ?? false,
      standards: q.standards,
    };
    if (q.scenario) view.scenario = q.scenario;
    return view;
  });
  const standards = [...new Set(frozen.flatMap((f) => questionOf(quiz, f).standards))];
  return { level: full ? 'full' : 'marked', questions, standards };
}

/**
 * Practice feedback for one answered question: the full review of that question alone (right or wrong, the key,
 * every option's why). Only ever sent after the learner's answer to it is saved, and only for practice attempts.
 */
export function practiceFeedback(
  quiz: Quiz,
  frozen: readonly FrozenQuestion[],
  questionId: string,
  answer: readonly number[],
): ReviewQuestion {
  const f = frozen.find((x) => x.id === questionId);
  if (!f) throw new Error(`question ${questionId} is not part of this attempt`);
  const [graded] = gradeAttempt(quiz, [f], { [questionId]: [...answer] }).questions;
  return reviewFor(quiz, [f], [graded!], { passedEver: true }).questions[0]!;
}

// ---------------------------------------------------------------------------------------------- attempt policy

export function deadlineFor(startedAt: number, quiz: Pick<Quiz, 'timeLimitMinutes'>): number | null {
  return quiz.timeLimitMinutes ? startedAt + quiz.timeLimitMinutes * MINUTE : null;
}

/** How an attempt ended, in words and a status tone, for the learner's and the manager's attempt lists. */
export function attemptOutcome(a: {
  status: 'open' | 'submitted' | 'expired' | 'content_changed';
  passed: boolean | null;
}): {
  label: string;
  tone: 'good' | 'bad' | 'info';
} {
  switch (a.status) {
    case 'submitted':
      return a.passed ? { label: 'Passed', tone: 'good' } : { label: 'Not passed', tone: 'bad' };
    case 'open':
      return { label: 'In progress', tone: 'info' };
    case 'expired':
      return { label: 'Time ran out', tone: 'bad' };
    case 'content_changed':
      return { label: 'Closed: quiz changed', tone: 'info' };
  }
}
