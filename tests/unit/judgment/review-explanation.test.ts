import { describe, expect, it } from 'vitest';
import { explainReview, reviewScore } from '~/features/judgment/judgment';
import { defaultRubric, judgmentCaseSchema } from '~/features/content/schema';

describe('explainReview', () => {
  it('gives each criterion its level and the rubric’s words for it, and the score with how it is made', () => {
    const ratings = { outcome: 2, standard: 1, reasoning: 3 };
    const explained = explainReview(defaultRubric, ratings);
    expect(explained.criteria[0]).toEqual({
      id: 'outcome',
      label: 'Customer outcome',
      rating: 2,
      levelLabel: 'Weak',
      descriptor: 'Some help, but the customer’s main need is missed or left for them to chase.',
    });
    expect(explained.criteria[1]!.descriptor).toBe('The standard that matters here is ignored or broken.');
    expect(explained.score).toBe(reviewScore(ratings));
    expect(explained.score).toBe(25);
    expect(explained.formula).toBe('Average rating 2 of 5, on a scale where 1 is 0 and 5 is 100: 25 / 100.');
  });

  it('says "not rated" for a criterion the review has no rating for', () => {
    const explained = explainReview(defaultRubric, { outcome: 4, standard: 5 });
    expect(explained.criteria[2]).toMatchObject({ rating: null, descriptor: null });
    expect(explained.formula).toBe('Average rating 4.5 of 5, on a scale where 1 is 0 and 5 is 100: 88 / 100.');
  });
});

describe('rubric schema', () => {
  const base = {
    id: 'c',
    title: 'T',
    standards: ['s'],
    situation: 'S',
    rule: 'R',
    options: [
      { id: 'a', label: 'A', reasoning: 'RA', score: 10 },
      { id: 'b', label: 'B', reasoning: 'RB', score: 90 },
    ],
  };
  it('defaults to the three criteria with five level descriptors each', () => {
    const parsed = judgmentCaseSchema.parse(base);
    expect(parsed.rubric.map((r) => r.id)).toEqual(['outcome', 'standard', 'reasoning']);
    for (const r of parsed.rubric) expect(r.levels).toHaveLength(5);
  });
  it('refuses a criterion without exactly five levels', () => {
    expect(
      judgmentCaseSchema.safeParse({ ...base, rubric: [{ id: 'x', label: 'X', levels: ['1', '2', '3', '4'] }] })
        .success,
    ).toBe(false);
    expect(judgmentCaseSchema.safeParse({ ...base, rubric: [{ id: 'x', label: 'X' }] }).success).toBe(false);
  });
});
