import { describe, expect, it } from 'vitest';
import { analyzeItems, type AttemptResponses, type ItemKey } from '~/features/reports/item-analysis';

/**
 * Ten certification attempts, a1 (95 %) … a10 (20 %). With n = 10 the 27 % groups hold round(2.7) = 3 attempts:
 * upper a1–a3, lower a8–a10.
 */
const scores = [95, 90, 85, 80, 70, 60, 50, 40, 30, 20];
const ids = scores.map((_, i) => `a${i + 1}`);

const keys: ItemKey[] = [
  { questionId: 'q1', optionIds: ['a', 'b', 'c', 'd'], correctOptionIds: ['a'] },
  { questionId: 'q2', optionIds: ['t', 'f'], correctOptionIds: ['t'] },
  { questionId: 'q3', optionIds: ['x', 'y'], correctOptionIds: ['x'] },
  { questionId: 'q4', optionIds: ['p', 'q', 'r'], correctOptionIds: ['p', 'q'] },
  { questionId: 'never-asked', optionIds: ['m', 'n'], correctOptionIds: ['m'] },
];

// Per attempt (a1…a10): what was chosen for q1 (key a), q2 (key t), q3 (key x).
const q1 = ['a', 'a', 'a', 'a', 'a', 'b', 'a', 'c', 'b', 'd'];
const q3 = ['y', 'y', 'y', 'y', 'y', 'y', 'y', 'x', 'x', 'y'];
// q4 was drawn for a1–a4 only (multiple answer, key p+q).
const q4: (string[] | null)[] = [['p', 'q'], ['p', 'r'], ['p', 'q'], ['q'], null, null, null, null, null, null];

const attempts: AttemptResponses[] = ids.map((attemptId, i) => {
  const answers = [
    { questionId: 'q1', chosen: [q1[i]!], correct: q1[i] === 'a' },
    { questionId: 'q2', chosen: ['t'], correct: true },
    { questionId: 'q3', chosen: [q3[i]!], correct: q3[i] === 'x' },
    { questionId: 'not-in-keys', chosen: ['z'], correct: false },
  ];
  const four = q4[i];
  if (four) answers.push({ questionId: 'q4', chosen: four, correct: four.join() === 'p,q' });
  return { attemptId, score: scores[i]!, answers };
});

// Shuffled input: the grouping must come from the scores, not from the order rows arrive in.
const shuffled = [
  attempts[4]!,
  attempts[9]!,
  attempts[0]!,
  attempts[7]!,
  attempts[2]!,
  attempts[5]!,
  attempts[1]!,
  attempts[8]!,
  attempts[3]!,
  attempts[6]!,
];
const result = analyzeItems(keys, shuffled);
const item = (id: string) => result.find((r) => r.questionId === id)!;

// Population SD of all ten scores: mean 62, squared deviations add up to 6210, variance 621.
const sdAll = Math.sqrt(621);

describe('analyzeItems', () => {
  it('returns one result per key in key order, ignoring answers to questions not keyed', () => {
    expect(result.map((r) => r.questionId)).toEqual(['q1', 'q2', 'q3', 'q4', 'never-asked']);
  });

  it('computes facility, upper−lower discrimination and point-biserial for a good question', () => {
    const s = item('q1');
    expect(s).toMatchObject({
      n: 10,
      facility: 0.6,
      groupSize: 3,
      upperFacility: 1,
      lowerFacility: 0,
      discrimination: 1,
    });
    // Right: 95, 90, 85, 80, 70, 50 (mean 470/6); wrong: 60, 40, 30, 20 (mean 150/4); p = 0.6.
    expect(s.pointBiserial).toBeCloseTo(((470 / 6 - 150 / 4) / sdAll) * Math.sqrt(0.6 * 0.4), 12);
    expect(s.pointBiserial).toBeCloseTo(0.8027, 4);
    expect(s.flags).toEqual([]);
  });

  it('counts option picks overall and per group', () => {
    expect(item('q1').options).toEqual([
      { optionId: 'a', correct: true, picks: 6, share: 0.6, upperPicks: 3, lowerPicks: 0 },
      { optionId: 'b', correct: false, picks: 2, share: 0.2, upperPicks: 0, lowerPicks: 1 },
      { optionId: 'c', correct: false, picks: 1, share: 0.1, upperPicks: 0, lowerPicks: 1 },
      { optionId: 'd', correct: false, picks: 1, share: 0.1, upperPicks: 0, lowerPicks: 1 },
    ]);
  });

  it('flags a question everyone gets right as too easy and not discriminating', () => {
    const s = item('q2');
    expect(s).toMatchObject({ facility: 1, discrimination: 0, pointBiserial: null });
    expect(s.flags).toEqual(['too-easy', 'low-discrimination']);
    expect(s.options.map((o) => [o.optionId, o.picks])).toEqual([
      ['t', 10],
      ['f', 0],
    ]);
  });

  it('flags a hard question where strong learners prefer a wrong option and weak ones do better', () => {
    const s = item('q3');
    // Right only for a8 (40) and a9 (30): facility 0.2; upper 0/3, lower 2/3.
    expect(s.facility).toBe(0.2);
    expect(s.discrimination).toBeCloseTo(-2 / 3, 12);
    // Right mean 35; wrong: 95+90+85+80+70+60+50+20 = 550 over 8.
    expect(s.pointBiserial).toBeCloseTo(((35 - 550 / 8) / sdAll) * Math.sqrt(0.2 * 0.8), 12);
    expect(s.options.find((o) => o.optionId === 'y')?.upperPicks).toBe(3);
    expect(s.flags).toEqual(['too-hard', 'wrong-beats-right', 'negative-discrimination']);
  });

  it('analyses a drawn question only over the attempts that were asked it', () => {
    const s = item('q4');
    // a1 95 ✓, a2 90 ✗, a3 85 ✓, a4 80 ✗: n 4, groups of round(1.08) = 1 (a1 vs a4).
    expect(s).toMatchObject({ n: 4, facility: 0.5, groupSize: 1, discrimination: 1 });
    // Mean 87.5, deviations ±7.5 and ±2.5: variance 125/4. Right mean 90, wrong mean 85.
    expect(s.pointBiserial).toBeCloseTo((5 / Math.sqrt(125 / 4)) * 0.5, 12);
    expect(s.options.map((o) => [o.optionId, o.picks, o.upperPicks])).toEqual([
      ['p', 3, 1],
      ['q', 3, 1],
      ['r', 1, 0],
    ]);
    expect(s.flags).toEqual([]);
  });

  it('gives nulls and no flags for a question nobody was asked', () => {
    expect(item('never-asked')).toEqual({
      questionId: 'never-asked',
      n: 0,
      facility: null,
      groupSize: 0,
      upperFacility: null,
      lowerFacility: null,
      discrimination: null,
      pointBiserial: null,
      options: [
        { optionId: 'm', correct: true, picks: 0, share: 0, upperPicks: 0, lowerPicks: 0 },
        { optionId: 'n', correct: false, picks: 0, share: 0, upperPicks: 0, lowerPicks: 0 },
      ],
      flags: [],
    });
  });

  it('has no discrimination from a single attempt, and lists options no longer in the question', () => {
    const [s] = analyzeItems(
      [{ questionId: 'q', optionIds: ['a', 'b'], correctOptionIds: ['a'] }],
      [{ attemptId: 'x', score: 50, answers: [{ questionId: 'q', chosen: ['old'], correct: false }] }],
    );
    expect(s).toMatchObject({ n: 1, facility: 0, groupSize: 0, discrimination: null, pointBiserial: null });
    expect(s?.flags).toEqual(['too-hard']);
    expect(s?.options.map((o) => o.optionId)).toEqual(['a', 'b', 'old']);
  });

  it('never flags wrong-beats-right on an ordering question (no single right option)', () => {
    const [s] = analyzeItems(
      [{ questionId: 'order', optionIds: ['one', 'two', 'three'], correctOptionIds: [] }],
      [
        {
          attemptId: 'hi',
          score: 90,
          answers: [{ questionId: 'order', chosen: ['one', 'two', 'three'], correct: true }],
        },
        {
          attemptId: 'lo',
          score: 10,
          answers: [{ questionId: 'order', chosen: ['two', 'one', 'three'], correct: false }],
        },
      ],
    );
    expect(s?.flags).toEqual([]);
    expect(s?.discrimination).toBe(1);
  });

  it('breaks score ties at the group cut by attempt id, so results do not depend on row order', () => {
    const tied: AttemptResponses[] = [
      { attemptId: 'b', score: 50, answers: [{ questionId: 'q', chosen: ['x'], correct: false }] },
      { attemptId: 'a', score: 50, answers: [{ questionId: 'q', chosen: ['k'], correct: true }] },
    ];
    const key: ItemKey[] = [{ questionId: 'q', optionIds: ['k', 'x'], correctOptionIds: ['k'] }];
    const [one] = analyzeItems(key, tied);
    const [two] = analyzeItems(key, [...tied].reverse());
    expect(one).toEqual(two);
    expect(one?.upperFacility).toBe(1);
  });
});
