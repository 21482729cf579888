import { describe, expect, it } from 'vitest';
import { analyzeItems, type AttemptResponses, type ItemKey } from '~/features/reports/item-analysis';
import { analyzeItemTallies, type TallyRow } from '~/features/reports/item-tally';
import { seededRandom } from '~/lib/random';

const keys: ItemKey[] = [
  { questionId: 'q1', optionIds: ['a', 'b', 'c'], correctOptionIds: ['a'] },
  { questionId: 'q2', optionIds: ['a', 'b', 'c', 'd'], correctOptionIds: ['b', 'd'] },
  { questionId: 'q3', optionIds: ['x', 'y', 'z'], correctOptionIds: [] },
];

/** Attempts answering a random subset of the questions (a drawn pool), with the given scores. */
function attempts(scores: number[], seed: number): AttemptResponses[] {
  const random = seededRandom(seed);
  return scores.map((score, i) => ({
    attemptId: `t${String(i).padStart(4, '0')}`,
    score,
    answers: keys
      .filter(() => random() < 0.8)
      .map((k) => {
        const chosen =
          k.correctOptionIds.length === 0
            ? [...k.optionIds].sort(() => random() - 0.5)
            : [k.optionIds[Math.floor(random() * k.optionIds.length)]!];
        return { questionId: k.questionId, chosen, correct: random() < score / 100 };
      }),
  }));
}

/** What the item_tally triggers keep for these attempts. */
function tallies(list: AttemptResponses[]): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  const add = (questionId: string, score: number, optionId: string, correct: boolean) => {
    const k = `${questionId}|${score}|${optionId}`;
    const row = rows.get(k) ?? { questionId, score, optionId, answers: 0, correct: 0 };
    row.answers++;
    row.correct += correct ? 1 : 0;
    rows.set(k, row);
  };
  for (const a of list) {
    for (const ans of a.answers) {
      add(ans.questionId, a.score, '', ans.correct);
      for (const o of ans.chosen) add(ans.questionId, a.score, o, ans.correct);
    }
  }
  return [...rows.values()];
}

const rounded = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v)));

describe('analyzeItemTallies', () => {
  it('gives exactly the per-attempt analysis when no two attempts share a score', () => {
    const scores = Array.from({ length: 101 }, (_, i) => i).sort(() => seededRandom(3)() - 0.5);
    for (const seed of [1, 2, 3]) {
      const list = attempts(scores, seed);
      expect(rounded(analyzeItemTallies(keys, tallies(list)))).toEqual(rounded(analyzeItems(keys, list)));
    }
  });

  it('matches it on everything but the groups when scores tie, and splits a tie at a group edge in proportion', () => {
    const list = attempts(
      Array.from({ length: 60 }, (_, i) => [40, 60, 80][i % 3]!),
      7,
    );
    const exact = analyzeItems(keys, list);
    const tallied = analyzeItemTallies(keys, tallies(list));
    for (const [i, t] of tallied.entries()) {
      const e = exact[i]!;
      expect(
        rounded({
          n: t.n,
          facility: t.facility,
          pb: t.pointBiserial,
          groupSize: t.groupSize,
          picks: t.options.map((o) => o.picks),
        }),
      ).toEqual(
        rounded({
          n: e.n,
          facility: e.facility,
          pb: e.pointBiserial,
          groupSize: e.groupSize,
          picks: e.options.map((o) => o.picks),
        }),
      );
    }
    // One question, ten attempts at each of two scores: the upper 27 % (5 of 20) are half the 80s' correct share.
    const two: TallyRow[] = [
      { questionId: 'q1', score: 80, optionId: '', answers: 10, correct: 8 },
      { questionId: 'q1', score: 40, optionId: '', answers: 10, correct: 2 },
    ];
    const [q1] = analyzeItemTallies(keys.slice(0, 1), two);
    expect(q1).toMatchObject({ n: 20, groupSize: 5, upperFacility: 0.8, lowerFacility: 0.2, facility: 0.5 });
    expect(q1!.discrimination).toBeCloseTo(0.6);
  });

  it('reports nothing for a question nobody was asked', () => {
    const [q] = analyzeItemTallies(keys.slice(0, 1), []);
    expect(q).toMatchObject({
      n: 0,
      facility: null,
      groupSize: 0,
      discrimination: null,
      pointBiserial: null,
      flags: [],
    });
  });
});
