import { describe, expect, it } from 'vitest';
import type { Standard } from '~/features/content/schema';
import {
  agreementPercent,
  compareScores,
  isScore,
  parseScoreField,
  scoreField,
  scorecardOf,
} from '~/features/scorecard/scorecard';

const standard = (id: string): Standard => ({
  id,
  title: `Title of ${id}`,
  audience: 'rep',
  standard: `Do ${id}.`,
  why: 'Because.',
  measure: `Count ${id}.`,
  bend: 'Rarely.',
  source: 'x',
});

describe('scorecard', () => {
  it('is made from standards: their title, what to do and how it is measured, in the order given', () => {
    const standards = new Map(['b-std', 'a-std'].map((id) => [id, standard(id)]));
    expect(scorecardOf(['b-std', 'gone', 'a-std'], standards)).toEqual([
      { standardId: 'b-std', title: 'Title of b-std', standard: 'Do b-std.', measure: 'Count b-std.' },
      { standardId: 'a-std', title: 'Title of a-std', standard: 'Do a-std.', measure: 'Count a-std.' },
    ]);
  });

  it('names a field per contact and standard, and reads only such names back', () => {
    expect(scoreField('late-parcel', 'use-the-customer-name')).toBe('score.late-parcel.use-the-customer-name');
    expect(parseScoreField('score.late-parcel.use-the-customer-name')).toEqual({
      contactId: 'late-parcel',
      standardId: 'use-the-customer-name',
    });
    for (const bad of ['score.a', 'score.a.b.c', 'score..b', 'score.A.b', 'attempt', 'q.a', 'score.a.__proto__']) {
      expect(parseScoreField(bad), bad).toBeUndefined();
    }
  });

  it('knows the three calls and nothing else', () => {
    expect(['met', 'not-met', 'na'].every(isScore)).toBe(true);
    expect(['Met', 'yes', '', 'n/a', 1, null].some(isScore)).toBe(false);
  });

  it('compares two scorers item by item, skipping items either left out', () => {
    const items = [{ standardId: 'a' }, { standardId: 'b' }, { standardId: 'c' }];
    expect(compareScores(items, { a: 'met', b: 'na', c: 'met' }, { a: 'met', b: 'not-met' })).toEqual([
      { standardId: 'a', mine: 'met', theirs: 'met', agrees: true },
      { standardId: 'b', mine: 'na', theirs: 'not-met', agrees: false },
    ]);
  });

  it('rounds agreement down, so a shown 90 is at least 90', () => {
    expect(agreementPercent(17, 19)).toBe(89);
    expect(agreementPercent(18, 20)).toBe(90);
    expect(agreementPercent(0, 0)).toBe(0);
  });
});
