/**
 * Naive strategies through the real engines, on hand-made quizzes, role-plays and a case whose answers are known:
 * "always the longest" must score 100 where the longest is always right and the minimum where it never is, and
 * "always the first shown" must follow the engine's own shuffles (checked against drawQuestions / replyOrder).
 */
import { describe, expect, it } from 'vitest';
import type { JudgmentCase, Question, Quiz, Roleplay } from '~/features/content/schema';
import { drawQuestions } from '~/features/quiz/quiz';
import { replyOrder } from '~/features/roleplay/roleplay';
import {
  answerQuestion,
  defaultSeeds,
  simulateCase,
  simulateQuiz,
  simulateRoleplay,
  type Simulation,
  type Strategy,
} from '~/features/reports/naive-strategies';

const seeds = defaultSeeds.slice(0, 400);
const of = (sim: Simulation, strategy: Strategy) => sim.results.find((r) => r.strategy === strategy)!;

function quiz(questions: Question[], extra: Partial<Quiz> = {}): Quiz {
  return {
    id: 'q',
    title: 'Q',
    module: 'm',
    mode: 'certification',
    passMark: 80,
    attempts: { cooldownMinutes: 0 },
    shuffle: true,
    review: 'always',
    questions,
    ...extra,
  };
}

/** A single-answer question whose key is (or is not) the longest option. */
function single(id: string, keyLongest: boolean): Question {
  const long = 'A long, careful and complete answer';
  return {
    id,
    kind: 'single',
    prompt: `Question ${id}?`,
    standards: ['s'],
    options: [
      { id: 'key', text: keyLongest ? long : 'Short', correct: true, feedback: 'f' },
      { id: 'b', text: keyLongest ? 'Short' : long, feedback: 'f' },
      { id: 'c', text: 'Medium one', feedback: 'f' },
    ],
  };
}

function trueFalse(id: string, key: 'true' | 'false'): Question {
  return {
    id,
    kind: 'true-false',
    prompt: `Statement ${id}.`,
    standards: ['s'],
    options: [
      { id: 'true', text: 'True', correct: key === 'true', feedback: 'f' },
      { id: 'false', text: 'False', correct: key === 'false', feedback: 'f' },
    ],
  };
}

describe('quizzes', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it('"always the longest" scores 100 where the key is always the longest, and every question lets it through', () => {
    const sim = simulateQuiz(
      quiz(
        ids.map((id) => single(id, true)),
        { draw: 6 },
      ),
      seeds,
    );
    expect(of(sim, 'longest')).toEqual({ strategy: 'longest', expected: 100, passRate: 1, getsThrough: true });
    expect(sim.leaks).toEqual(ids.map((id) => ({ id, rates: { longest: 1 } })));
  });

  it('"always the longest" scores 0 where the key is never the longest', () => {
    const sim = simulateQuiz(
      quiz(
        ids.map((id) => single(id, false)),
        { draw: 6 },
      ),
      seeds,
    );
    expect(of(sim, 'longest')).toEqual({ strategy: 'longest', expected: 0, passRate: 0, getsThrough: false });
  });

  it('"always the first shown" follows the engine’s draw and shuffle', () => {
    const q = quiz(
      ids.map((id) => single(id, true)),
      { draw: 6 },
    );
    const sim = simulateQuiz(q, seeds);
    // By hand: the share of drawn questions whose key the engine shows first, and of attempts with 5 or more.
    let right = 0;
    let passed = 0;
    for (const seed of seeds) {
      const firsts = drawQuestions(q, seed).filter((f) => f.options[0] === 'key').length;
      right += firsts;
      if (Math.floor((100 * firsts) / 6) >= 80) passed++;
    }
    expect(of(sim, 'first').expected).toBeCloseTo((100 * right) / (6 * seeds.length), 0);
    expect(of(sim, 'first').passRate).toBe(passed / seeds.length);
    expect(of(sim, 'first').expected).toBeGreaterThan(25);
    expect(of(sim, 'first').expected).toBeLessThan(42);
  });

  it('without shuffling, "always the first shown" gets every question whose key is listed first', () => {
    const sim = simulateQuiz(
      quiz(
        ids.map((id) => single(id, true)),
        { shuffle: false },
      ),
      seeds,
    );
    expect(of(sim, 'first')).toMatchObject({ expected: 100, passRate: 1, getsThrough: true });
  });

  it('"always False" gets every true/false keyed False, "always True" none; "first shown" is "True" there', () => {
    const sim = simulateQuiz(quiz(ids.slice(0, 6).map((id) => trueFalse(id, 'false'))), seeds);
    expect(of(sim, 'false')).toMatchObject({ expected: 100, passRate: 1, getsThrough: true });
    expect(of(sim, 'true')).toMatchObject({ expected: 0, passRate: 0, getsThrough: false });
    expect(of(sim, 'first')).toMatchObject({ expected: 0, passRate: 0 });
    // "False" is the longer word.
    expect(of(sim, 'longest')).toMatchObject({ expected: 100, passRate: 1 });
    expect(sim.leaks[0]).toEqual({ id: 'a', rates: { longest: 1, false: 1 } });
    const random = of(sim, 'random');
    expect(random.expected).toBeGreaterThan(40);
    expect(random.expected).toBeLessThan(60);
    expect(random.getsThrough).toBe(true); // 5 of 6 coin flips come up about 11 % of the time
  });

  it('balanced true/false keys keep every fixed answer at half', () => {
    const sim = simulateQuiz(
      quiz([
        ...['a', 'b', 'c'].map((id) => trueFalse(id, 'true')),
        ...['d', 'e', 'f'].map((id) => trueFalse(id, 'false')),
      ]),
      seeds,
    );
    for (const s of ['true', 'false', 'first', 'longest'] as const)
      expect(of(sim, s)).toMatchObject({ expected: 50, passRate: 0, getsThrough: false });
  });

  it('ordering left as shown is never right (the engine never shows the answer order)', () => {
    const ordering: Question = {
      id: 'o',
      kind: 'ordering',
      prompt: 'Order',
      standards: ['s'],
      options: ['one', 'two', 'three'].map((id) => ({ id, text: id, feedback: 'f' })),
    };
    const sim = simulateQuiz(quiz([ordering, ...ids.slice(0, 5).map((id) => single(id, true))]), seeds);
    expect(sim.leaks.find((l) => l.id === 'o')).toBeUndefined();
    // 5 of 6 right at most: 83 %, which passes at 80.
    expect(of(sim, 'longest')).toMatchObject({ expected: 83, passRate: 1 });
  });
});

describe('answerQuestion', () => {
  const never = () => {
    throw new Error('a fixed strategy drew a random number');
  };
  it('multiple answer: first ticks the first; longest ticks those at least as long as the average', () => {
    const shown = ['Short', 'A much longer option', 'Another long option', 'Tiny'];
    expect(answerQuestion('first', 'multiple', shown, never)).toEqual([0]);
    expect(answerQuestion('longest', 'multiple', shown, never)).toEqual([1, 2]);
  });
  it('ordering: fixed strategies leave the order as shown', () => {
    expect(answerQuestion('longest', 'ordering', ['b', 'a', 'c'], never)).toEqual([0, 1, 2]);
    expect(answerQuestion('true', 'ordering', ['b', 'a', 'c'], never)).toEqual([0, 1, 2]);
  });
  it('true/false: "True" and "False" by name; other questions as the first shown', () => {
    expect(answerQuestion('false', 'true-false', ['True', 'False'], never)).toEqual([1]);
    expect(answerQuestion('true', 'true-false', ['True', 'False'], never)).toEqual([0]);
    expect(answerQuestion('false', 'single', ['x', 'yy'], never)).toEqual([0]);
  });
  it('random: a non-empty set for multiple answer, a full order for ordering', () => {
    let i = 0;
    const coins = [0.9, 0.9, 0.9, 0.2, 0.7, 0.1];
    const random = () => coins[i++ % coins.length]!;
    // The first three coins tick nothing, so it draws again: 0.2 and 0.1 tick the first and third.
    expect(answerQuestion('random', 'multiple', ['a', 'b', 'c'], random)).toEqual([0, 2]);
    expect(answerQuestion('random', 'ordering', ['a', 'b', 'c'], () => 0.5).sort()).toEqual([0, 1, 2]);
  });
});

describe('role-plays', () => {
  /** Three points; at each the best reply goes on (the last to a 100 ending), the others end the run at 10 or 40. */
  function ladder(bestIsLongest: boolean): Roleplay {
    const nodes: Roleplay['nodes'] = {};
    for (const [i, id] of ['one', 'two', 'three'].entries()) {
      const next = ['two', 'three', 'won'][i]!;
      nodes[id] = {
        line: `Line ${id}`,
        choices: [
          {
            id: 'best',
            text: bestIsLongest ? 'The careful, complete and patient reply' : 'Right',
            effects: {},
            honours: [],
            breaks: [],
            feedback: 'f',
            best: true,
            next,
          },
          {
            id: 'worse',
            text: 'Fair enough reply',
            effects: {},
            honours: [],
            breaks: [],
            feedback: 'f',
            best: false,
            next: 'meh',
          },
          {
            id: 'wrong',
            text: bestIsLongest ? 'No' : 'A long reply that sounds thorough but argues',
            effects: {},
            honours: [],
            breaks: [],
            feedback: 'f',
            best: false,
            next: 'lost',
          },
        ],
      };
    }
    return {
      id: 'r',
      title: 'R',
      audience: 'rep',
      channel: 'phone',
      module: 'm',
      passScore: 70,
      persona: { name: 'P', situation: 's' },
      state: {},
      start: 'one',
      nodes,
      endings: {
        won: { kind: 'resolved', title: 'Won', text: 't', score: 100 },
        meh: { kind: 'other', title: 'Meh', text: 't', score: 40 },
        lost: { kind: 'lost', title: 'Lost', text: 't', score: 10 },
      },
    };
  }

  it('"always the longest" scores 100 where the longest reply is always best, and every point lets it through', () => {
    const sim = simulateRoleplay(ladder(true), 70, seeds);
    expect(of(sim, 'longest')).toEqual({ strategy: 'longest', expected: 100, passRate: 1, getsThrough: true });
    expect(sim.leaks).toEqual([
      { id: 'one', rates: { longest: 1 } },
      { id: 'two', rates: { longest: 1 } },
      { id: 'three', rates: { longest: 1 } },
    ]);
  });

  it('"always the longest" scores the minimum where the longest reply is never best', () => {
    const sim = simulateRoleplay(ladder(false), 70, seeds);
    expect(of(sim, 'longest')).toEqual({ strategy: 'longest', expected: 10, passRate: 0, getsThrough: false });
  });

  it('"always the first shown" follows replyOrder, run seed by run seed', () => {
    const rp = ladder(false);
    const sim = simulateRoleplay(rp, 70, seeds);
    const passes = seeds.filter((seed) =>
      ['one', 'two', 'three'].every((id, step) => replyOrder(seed, step, rp.nodes[id]!.choices)[0]!.id === 'best'),
    );
    expect(of(sim, 'first').passRate).toBe(passes.length / seeds.length);
    // About 1 run in 27, so it gets through (more than 1 %).
    expect(of(sim, 'first').passRate).toBeGreaterThan(0.01);
    expect(of(sim, 'first').getsThrough).toBe(true);
  });

  it('carries the state through the run: effects and branches decide where it ends', () => {
    // "listen" lowers anger by 2 and loops until anger <= 3: from 6, two listens win; "argue" ends it.
    const rp: Roleplay = {
      ...ladder(true),
      state: { anger: { label: 'Anger', start: 6, min: 0, max: 10 } },
      start: 'talk',
      nodes: {
        talk: {
          line: 'It was due Monday!',
          choices: [
            {
              id: 'listen',
              text: 'Go on, I am listening to all of it.',
              effects: { anger: -2 },
              honours: [],
              breaks: [],
              feedback: 'f',
              best: true,
              branch: [{ if: 'anger <= 3', next: 'won' }, { next: 'talk' }],
            },
            {
              id: 'argue',
              text: 'Not our fault.',
              effects: { anger: 4 },
              honours: [],
              breaks: [],
              feedback: 'f',
              best: false,
              next: 'lost',
            },
          ],
        },
      },
    };
    const sim = simulateRoleplay(rp, 70, seeds);
    expect(of(sim, 'longest')).toMatchObject({ expected: 100, passRate: 1 });
    // First shown wins only when "listen" comes first at both steps: about a quarter of run seeds.
    const both = seeds.filter((seed) =>
      [0, 1].every((step) => replyOrder(seed, step, rp.nodes.talk!.choices)[0]!.id === 'listen'),
    );
    expect(of(sim, 'first').passRate).toBe(both.length / seeds.length);
  });

  it('counts a run stuck in a loop as 0', () => {
    const rp: Roleplay = {
      ...ladder(true),
      start: 'loop',
      nodes: {
        loop: {
          line: 'Again?',
          choices: [
            {
              id: 'again',
              text: 'Let me explain that once more, slowly.',
              effects: {},
              honours: [],
              breaks: [],
              feedback: 'f',
              best: false,
              next: 'loop',
            },
            { id: 'done', text: 'Done.', effects: {}, honours: [], breaks: [], feedback: 'f', best: true, next: 'won' },
          ],
        },
      },
    };
    expect(of(simulateRoleplay(rp, 70, seeds), 'longest')).toMatchObject({ expected: 0, passRate: 0 });
  });
});

describe('judgment cases', () => {
  const c: JudgmentCase = {
    id: 'c',
    title: 'C',
    standards: ['s'],
    situation: 's',
    rule: 'r',
    options: [
      { id: 'follow', label: 'Follow the rule.', reasoning: 'r', score: 40 },
      { id: 'bend', label: 'Bend the rule, explain why, and log it for the team.', reasoning: 'r', score: 90 },
      { id: 'escalate', label: 'Escalate.', reasoning: 'r', score: 60 },
    ],
    rubric: [],
  };

  it('takes the options in the order the page shows them; "longest" finds a strongest call that is the longest label', () => {
    const sim = simulateCase(c, seeds);
    expect(of(sim, 'first')).toEqual({ strategy: 'first', expected: 40, passRate: 0, getsThrough: false });
    expect(of(sim, 'longest')).toEqual({ strategy: 'longest', expected: 90, passRate: 1, getsThrough: true });
    const random = of(sim, 'random');
    expect(random.expected).toBeGreaterThan(55);
    expect(random.expected).toBeLessThan(75);
    expect(random.getsThrough).toBe(false);
  });
});

describe('determinism', () => {
  it('gives the same figures every time', () => {
    const q = quiz(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id, i) => single(id, i % 2 === 0)),
      { draw: 6 },
    );
    expect(simulateQuiz(q)).toEqual(simulateQuiz(q));
  });
});
