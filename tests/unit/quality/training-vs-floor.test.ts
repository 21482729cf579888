/** Training against the floor on hand-made data with known answers. */
import { describe, expect, it } from 'vitest';
import { trainingVersusFloor } from '../../../src/features/quality/training-vs-floor';

describe('trainingVersusFloor', () => {
  it('counts who passes a standard in training and who of them meets it on the floor', () => {
    const training = [
      // ann: 4 of 4 right; bob 4 of 5 (80 %, a pass); cat 1 of 2; dan trained but never scored on the floor.
      { userId: 'ann', standardId: 'listen', ok: 4, n: 4 },
      { userId: 'bob', standardId: 'listen', ok: 4, n: 5 },
      { userId: 'cat', standardId: 'listen', ok: 1, n: 2 },
      { userId: 'dan', standardId: 'listen', ok: 1, n: 1 },
    ];
    const floor = [
      // ann meets it (2 of 2); bob misses (1 of 3); cat meets it; a N/A is no contact.
      { repId: 'ann', standardId: 'listen', value: 'yes' as const },
      { repId: 'ann', standardId: 'listen', value: 'yes' as const },
      { repId: 'bob', standardId: 'listen', value: 'yes' as const },
      { repId: 'bob', standardId: 'listen', value: 'no' as const },
      { repId: 'bob', standardId: 'listen', value: 'no' as const },
      { repId: 'cat', standardId: 'listen', value: '5' as const },
      { repId: 'cat', standardId: 'listen', value: 'na' as const },
    ];
    expect(trainingVersusFloor(training, floor, ['listen', 'name'], 80)).toEqual([
      // Training: 10 of 12 right = 83; floor: 4 of 6 met = 66.
      {
        standardId: 'listen',
        reps: 3,
        passInTraining: 2,
        passAndMeet: 1,
        passButMiss: 1,
        trainingPercent: 83,
        floorPercent: 66,
      },
      {
        standardId: 'name',
        reps: 0,
        passInTraining: 0,
        passAndMeet: 0,
        passButMiss: 0,
        trainingPercent: undefined,
        floorPercent: undefined,
      },
    ]);
  });
});
