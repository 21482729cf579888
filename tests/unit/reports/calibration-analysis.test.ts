import { describe, expect, it } from 'vitest';
import {
  analyzeCalibration,
  type CalibrationAttempt,
  type CalibrationKey,
} from '~/features/reports/calibration-analysis';
import type { ScorecardScore } from '~/features/content/schema';

const keys: CalibrationKey[] = [
  { contactId: 'c1', standardId: 'name', expert: 'not-met' },
  { contactId: 'c1', standardId: 'transfer', expert: 'na' },
  { contactId: 'c2', standardId: 'name', expert: 'met' },
  { contactId: 'c2', standardId: 'never-scored', expert: 'met' },
];

/** Ten learners' first attempts: what each called on c1/name, c1/transfer and c2/name. */
const c1Name: ScorecardScore[] = ['met', 'met', 'met', 'met', 'met', 'met', 'not-met', 'not-met', 'na', 'not-met'];
const c1Transfer: ScorecardScore[] = ['na', 'na', 'na', 'na', 'met', 'met', 'na', 'not-met', 'na', 'na'];
const c2Name: ScorecardScore[] = ['met', 'met', 'met', 'met', 'met', 'met', 'met', 'met', 'met', 'not-met'];

const attempts: CalibrationAttempt[] = c1Name.map((_, i) => ({
  attemptId: `a${i}`,
  calls: [
    { contactId: 'c1', standardId: 'name', score: c1Name[i]! },
    { contactId: 'c1', standardId: 'transfer', score: c1Transfer[i]! },
    // One learner also scored an item the exercise no longer has.
    ...(i < 9
      ? [{ contactId: 'c2', standardId: 'name', score: c2Name[i]! }]
      : [{ contactId: 'old', standardId: 'name', score: 'met' as const }]),
  ],
}));

describe('calibration item analysis', () => {
  const stats = analyzeCalibration(keys, attempts);

  it('gives one result per key, in order, counting the calls made', () => {
    expect(stats.map((s) => `${s.contactId}/${s.standardId}`)).toEqual([
      'c1/name',
      'c1/transfer',
      'c2/name',
      'c2/never-scored',
    ]);
    expect(stats[0]!.counts).toEqual({ met: 6, 'not-met': 3, na: 1 });
    expect(stats[0]).toMatchObject({ n: 10, agreed: 3, agreement: 0.3 });
    expect(stats[2]).toMatchObject({ n: 9, agreed: 9, agreement: 1, commonDisagreement: null, flags: [] });
  });

  it('names the most common disagreement and how many made it', () => {
    expect(stats[0]!.commonDisagreement).toEqual({ score: 'met', count: 6 });
    // c1/transfer: two called it met, one not met.
    expect(stats[1]).toMatchObject({ agreed: 7, commonDisagreement: { score: 'met', count: 2 } });
  });

  it('breaks a tie between disagreements by the order met, not met, not applicable', () => {
    const tie = analyzeCalibration(
      [{ contactId: 'c', standardId: 's', expert: 'na' }],
      [
        { attemptId: 'x', calls: [{ contactId: 'c', standardId: 's', score: 'not-met' }] },
        { attemptId: 'y', calls: [{ contactId: 'c', standardId: 's', score: 'met' }] },
      ],
    );
    expect(tie[0]!.commonDisagreement).toEqual({ score: 'met', count: 1 });
  });

  it('flags an item most learners call differently from the expert, and only that', () => {
    expect(stats.map((s) => s.flags)).toEqual([['low-agreement'], [], [], []]);
  });

  it('reports an item nobody scored as empty, not as 0 % agreement', () => {
    expect(stats[3]).toMatchObject({ n: 0, agreed: 0, agreement: null, commonDisagreement: null, flags: [] });
  });
});
