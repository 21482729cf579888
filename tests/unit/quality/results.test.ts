/** The huddle's numbers on hand-made data with known answers. */
import { describe, expect, it } from 'vitest';
import { monthsEnding, teamResults, type ScoredTeamItem } from '../../../src/features/quality/results';

const item = (repId: string, month: string, standardId: string, value: ScoredTeamItem['value']): ScoredTeamItem => ({
  repId,
  month,
  standardId,
  value,
});

describe('teamResults', () => {
  const items = [
    // October: listening 1 of 2.
    item('ann', '2026-10', 'listen', 'yes'),
    item('bob', '2026-10', 'listen', 'no'),
    // November: listening 3 of 4 (ann 2 of 2, bob 1 of 2); name 1 of 2; transfers never applicable.
    item('ann', '2026-11', 'listen', 'yes'),
    item('ann', '2026-11', 'listen', 'yes'),
    item('bob', '2026-11', 'listen', 'yes'),
    item('bob', '2026-11', 'listen', 'no'),
    item('ann', '2026-11', 'name', 'no'),
    item('bob', '2026-11', 'name', 'yes'),
    item('ann', '2026-11', 'transfers', 'na'),
  ];
  const result = teamResults(items, ['2026-10', '2026-11'], ['listen', 'name', 'transfers']);

  it('gives each standard its month, its trend and its best and worst rep', () => {
    const [listen, name, transfers] = result.rows;
    expect(listen).toMatchObject({
      current: { met: 3, applicable: 4, percent: 75 },
      change: 25,
      best: { repId: 'ann', percent: 100 },
      worst: { repId: 'bob', percent: 50 },
    });
    expect(listen!.byMonth['2026-10']).toMatchObject({ percent: 50 });
    expect(name).toMatchObject({
      current: { percent: 50 },
      change: undefined,
      best: { repId: 'bob', percent: 100 },
      worst: { repId: 'ann', percent: 0 },
    });
    // Never applicable: no result, not 0 %.
    expect(transfers).toMatchObject({ current: undefined, change: undefined, best: undefined, worst: undefined });
  });

  it('names no worst when everyone is level', () => {
    const level = teamResults(
      [item('ann', '2026-11', 'name', 'yes'), item('bob', '2026-11', 'name', 'yes')],
      ['2026-11'],
      ['name'],
    );
    expect(level.rows[0]).toMatchObject({ best: { repId: 'ann', percent: 100 }, worst: undefined });
  });

  it('names the strongest and weakest standards of the month', () => {
    expect(result.strongest?.standardId).toBe('listen');
    expect(result.weakest?.standardId).toBe('name');
  });
});

describe('monthsEnding', () => {
  it('counts back across a year', () => {
    expect(monthsEnding('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
