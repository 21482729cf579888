/**
 * What a learner scores without understanding anything: naive strategies played through the real engines, over a
 * fixed list of seeds, so the figures are exactly what learners meet (same draws, same shuffles, same grading) and
 * the same on every run.
 *
 * - Quizzes: each seed is an attempt: `drawQuestions` picks and orders the questions and options as for a learner,
 *   the strategy answers what is shown, `gradeAttempt` grades it.
 * - Role-plays: each seed is a run seed: at every step the replies come in `replyOrder(seed, step)`, the strategy
 *   picks one, `applyChoice` moves the run (state included) until an ending.
 * - Judgment cases: the options in the order `publicCase` gives the page; the score is the option's, and "passing"
 *   means picking a strongest call (the option(s) with the top score, as the reveal names them).
 *
 * The strategies, item by item:
 *   first    the first option shown. Multiple answer: ticks only the first; ordering: leaves the order as shown.
 *   longest  the longest text (the first shown of those tied). True/false: "False" (it is the longer word).
 *            Multiple answer: ticks every option at least as long as the average; ordering: as shown.
 *   true     true/false: "True"; every other question as `first`. (Quizzes only.)
 *   false    true/false: "False"; every other question as `first`. (Quizzes only.)
 *   random   uniformly at random: one option; a random non-empty set (multiple); a random order (ordering).
 * A role-play run that has not ended after MAX_RUN_STEPS replies counts as score 0 (a learner stuck in a loop).
 */
import { mixSeed, seededRandom, shuffled } from '../../lib/random';
import { shownLength } from '../content/lint/finding';
import { bestReplies } from '../content/lint/roleplay';
import type { JudgmentCase, Question, Quiz, Roleplay } from '../content/schema';
import { publicCase } from '../judgment/judgment';
import { drawQuestions, gradeAttempt, type Answers } from '../quiz/quiz';
import { applyChoice, initialPosition, replyOrder } from '../roleplay/roleplay';

export const strategies = ['first', 'longest', 'true', 'false', 'random'] as const;
export type Strategy = (typeof strategies)[number];
export const quizStrategies: readonly Strategy[] = strategies;
export const choiceStrategies: readonly Strategy[] = ['first', 'longest', 'random'];

export const strategyLabels: Record<Strategy, string> = {
  first: 'Always the first shown',
  longest: 'Always the longest',
  true: 'Always “True”',
  false: 'Always “False”',
  random: 'At random',
};

/** Attempts or runs simulated per strategy: a pass rate near 1 % is known to about ±0.3 points. */
export const SIMULATED = 1000;
/** Seeds 1..SIMULATED: fixed, so the figures only change when the content (or the engine) does. */
export const defaultSeeds: readonly number[] = Array.from({ length: SIMULATED }, (_, i) => i + 1);
/** A naive strategy "gets through" a quiz or role-play when it passes more often than this. */
export const PASS_RATE_LIMIT = 0.01;
/** An item or node lets a strategy through when the strategy gets it right at least this often. */
export const ITEM_LEAK_RATE = 0.5;
export const MAX_RUN_STEPS = 200;

export interface StrategyResult {
  strategy: Strategy;
  /** Mean score, 0–100. */
  expected: number;
  /** Share of attempts or runs that reach the pass mark (cases: that pick a strongest call). */
  passRate: number;
  /** passRate above PASS_RATE_LIMIT (cases: the strategy picks a strongest call; never for `random`). */
  getsThrough: boolean;
}

/** A question or node where some strategies get it right at least ITEM_LEAK_RATE of the time. */
export interface Leak {
  /** Question id, or role-play node id. */
  id: string;
  /** The share of times each leaking strategy answered it right (picked a best reply), when asked. */
  rates: Partial<Record<Strategy, number>>;
}

export interface Simulation {
  results: StrategyResult[];
  leaks: Leak[];
}

/** Index of the longest, the first of those tied. */
function longestOf(lengths: readonly number[]): number {
  let best = 0;
  lengths.forEach((l, i) => {
    if (l > lengths[best]!) best = i;
  });
  return best;
}

/**
 * The positions (in the shown order) a strategy answers one question with. `lengths` are the shown texts' lengths
 * as learners see them (shownLength), passed in because the simulation measures each text once.
 */
export function answerQuestion(
  strategy: Strategy,
  kind: Question['kind'],
  shown: readonly string[],
  random: () => number,
  lengths: readonly number[] = shown.map(shownLength),
): number[] {
  const all = shown.map((_, i) => i);
  if (kind === 'ordering') return strategy === 'random' ? shuffled(all, random) : all;
  if (kind === 'true-false' && (strategy === 'true' || strategy === 'false')) {
    return [shown.findIndex((t) => t.toLowerCase() === strategy)];
  }
  switch (strategy) {
    case 'longest': {
      if (kind !== 'multiple') return [longestOf(lengths)];
      const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
      return all.filter((i) => lengths[i]! >= mean);
    }
    case 'random': {
      if (kind !== 'multiple') return [Math.floor(random() * shown.length)];
      for (;;) {
        const ticked = all.filter(() => random() < 0.5);
        if (ticked.length > 0) return ticked;
      }
    }
    default:
      return [0];
  }
}

// ---------------------------------------------------------------------------------------------- quizzes

export function simulateQuiz(quiz: Quiz, seeds: readonly number[] = defaultSeeds): Simulation {
  const questions = new Map(quiz.questions.map((q) => [q.id, q]));
  const texts = new Map(quiz.questions.map((q) => [q.id, new Map(q.options.map((o) => [o.id, o.text]))]));
  const lengthOf = new Map(quiz.questions.flatMap((q) => q.options.map((o) => [o.text, shownLength(o.text)] as const)));
  const tally = quizStrategies.map(() => ({
    total: 0,
    passed: 0,
    hits: new Map<string, { right: number; asked: number }>(),
  }));
  for (const seed of seeds) {
    // One draw per seed, answered by every strategy: each sees exactly what that attempt would show.
    const frozen = drawQuestions(quiz, seed);
    const shown = frozen.map((f) => f.options.map((id) => texts.get(f.id)!.get(id)!));
    const lengths = shown.map((texts) => texts.map((t) => lengthOf.get(t)!));
    quizStrategies.forEach((strategy, s) => {
      const random = seededRandom(mixSeed(seed, s + 1));
      const answers: Answers = {};
      frozen.forEach(
        (f, i) => (answers[f.id] = answerQuestion(strategy, questions.get(f.id)!.kind, shown[i]!, random, lengths[i])),
      );
      const grade = gradeAttempt(quiz, frozen, answers);
      const t = tally[s]!;
      t.total += grade.score;
      if (grade.passed) t.passed++;
      for (const g of grade.questions) {
        const h = t.hits.get(g.id) ?? { right: 0, asked: 0 };
        h.asked++;
        if (g.correct) h.right++;
        t.hits.set(g.id, h);
      }
    });
  }
  const results = quizStrategies.map((strategy, s): StrategyResult => {
    const passRate = tally[s]!.passed / seeds.length;
    return { strategy, expected: tally[s]!.total / seeds.length, passRate, getsThrough: passRate > PASS_RATE_LIMIT };
  });
  // "Always True/False" act as "first shown" off true/false questions: their hits there say nothing new.
  const applies = (strategy: Strategy, q: Question) =>
    strategy !== 'random' && (q.kind === 'true-false' || (strategy !== 'true' && strategy !== 'false'));
  const leaks = quiz.questions.flatMap((q): Leak[] => {
    const rates: Leak['rates'] = {};
    quizStrategies.forEach((strategy, s) => {
      const h = tally[s]!.hits.get(q.id);
      if (h && applies(strategy, q) && h.right / h.asked >= ITEM_LEAK_RATE) rates[strategy] = h.right / h.asked;
    });
    return Object.keys(rates).length > 0 ? [{ id: q.id, rates }] : [];
  });
  return { results, leaks };
}

// ---------------------------------------------------------------------------------------------- role-plays

export function simulateRoleplay(rp: Roleplay, passScore: number, seeds: readonly number[] = defaultSeeds): Simulation {
  const best = bestReplies(rp);
  const lengths = new Map(
    Object.values(rp.nodes).flatMap((n) => n.choices.map((c) => [c.text, shownLength(c.text)] as const)),
  );
  const lengthOf = (text: string) => lengths.get(text)!;
  const visits = new Map<string, Partial<Record<Strategy, { right: number; asked: number }>>>();
  const results = choiceStrategies.map((strategy, s): StrategyResult => {
    let total = 0;
    let passed = 0;
    for (const seed of seeds) {
      const random = seededRandom(mixSeed(seed, s + 1));
      let position = initialPosition(rp);
      let score = 0;
      for (let step = 0; step < MAX_RUN_STEPS; step++) {
        const node = rp.nodes[position.nodeId];
        if (!node) break;
        const shown = replyOrder(seed, step, node.choices);
        const choice =
          shown[
            pick(
              strategy,
              shown.map((c) => lengthOf(c.text)),
              random,
            )
          ]!;
        const bestHere = best.get(position.nodeId);
        if (bestHere) {
          const byStrategy = visits.get(position.nodeId) ?? {};
          const v = (byStrategy[strategy] ??= { right: 0, asked: 0 });
          v.asked++;
          if (bestHere.has(choice.id)) v.right++;
          visits.set(position.nodeId, byStrategy);
        }
        const out = applyChoice(rp, position, choice.id);
        if (!out.ok) break;
        if (out.next.kind === 'ending') {
          score = out.next.ending.score;
          break;
        }
        position = { nodeId: out.next.id, state: out.state };
      }
      total += score;
      if (score >= passScore) passed++;
    }
    const passRate = passed / seeds.length;
    return { strategy, expected: total / seeds.length, passRate, getsThrough: passRate > PASS_RATE_LIMIT };
  });
  const leaks = Object.keys(rp.nodes).flatMap((nodeId): Leak[] => {
    const rates: Leak['rates'] = {};
    for (const [strategy, v] of Object.entries(visits.get(nodeId) ?? {}) as [
      Strategy,
      { right: number; asked: number },
    ][]) {
      if (strategy !== 'random' && v.asked > 0 && v.right / v.asked >= ITEM_LEAK_RATE)
        rates[strategy] = v.right / v.asked;
    }
    return Object.keys(rates).length > 0 ? [{ id: nodeId, rates }] : [];
  });
  return { results, leaks };
}

/** One pick among single-choice replies or options (first, longest or random), given their lengths. */
function pick(strategy: Strategy, lengths: readonly number[], random: () => number): number {
  if (strategy === 'longest') return longestOf(lengths);
  if (strategy === 'random') return Math.floor(random() * lengths.length);
  return 0;
}

// ---------------------------------------------------------------------------------------------- judgment cases

export function simulateCase(c: JudgmentCase, seeds: readonly number[] = defaultSeeds): Simulation {
  const shown = publicCase(c).options.map((o) => c.options.find((x) => x.id === o.id)!);
  const lengths = shown.map((o) => shownLength(o.label));
  const top = Math.max(...c.options.map((o) => o.score));
  const results = choiceStrategies.map((strategy, s): StrategyResult => {
    let total = 0;
    let strongest = 0;
    for (const seed of seeds) {
      const option = shown[pick(strategy, lengths, seededRandom(mixSeed(seed, s + 1)))]!;
      total += option.score;
      if (option.score === top) strongest++;
    }
    const passRate = strongest / seeds.length;
    // Guessing one of k options finds the strongest 1 time in k by construction; only a rule that finds it is a leak.
    return {
      strategy,
      expected: total / seeds.length,
      passRate,
      getsThrough: strategy !== 'random' && passRate >= ITEM_LEAK_RATE,
    };
  });
  return { results, leaks: [] };
}
