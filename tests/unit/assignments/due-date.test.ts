import { describe, expect, it } from 'vitest';
import { checkExtension, extendDueSchema } from '~/features/assignments/due-date';
import { repsGivenManagerTrack } from '~/features/assignments/assignments';

const at = Date.parse('2026-05-04T10:00:00Z');
const currentDue = Date.parse('2026-05-01T23:59:59.999Z');

describe('checkExtension', () => {
  it('moves the due date to the end of the chosen UTC day', () => {
    expect(checkExtension(currentDue, '2026-05-20', at)).toEqual({ dueAt: Date.parse('2026-05-20T23:59:59.999Z') });
  });

  it('refuses the past, a date not after the current due date, more than a year ahead, and non-dates', () => {
    expect(checkExtension(currentDue, '2026-05-03', at)).toEqual({ error: 'The new due date cannot be in the past.' });
    const later = Date.parse('2026-06-01T23:59:59.999Z');
    expect(checkExtension(later, '2026-05-30', at)).toEqual({
      error: 'Choose a date after the current due date (2026-06-01).',
    });
    expect(checkExtension(later, '2026-06-01', at)).toEqual({
      error: 'Choose a date after the current due date (2026-06-01).',
    });
    expect(checkExtension(currentDue, '2027-06-01', at)).toEqual({ error: 'Choose a date within a year from today.' });
    expect(checkExtension(currentDue, '2026-02-30', at)).toEqual({
      error: 'Give the new due date as a date (YYYY-MM-DD).',
    });
  });

  it('the form needs an assignment and a real date; the reason is optional and bounded', () => {
    expect(extendDueSchema.safeParse({ assignment: 'a1', due: '2026-05-20' }).data).toEqual({
      assignment: 'a1',
      due: '2026-05-20',
      reason: null,
    });
    expect(extendDueSchema.safeParse({ assignment: 'a1', due: 'soon' }).success).toBe(false);
    expect(extendDueSchema.safeParse({ due: '2026-05-20' }).success).toBe(false);
    expect(extendDueSchema.safeParse({ assignment: 'a1', due: '2026-05-20', reason: 'x'.repeat(501) }).success).toBe(
      false,
    );
  });
});

describe('repsGivenManagerTrack', () => {
  const people = [
    { name: 'Rita', job: 'rep' as const },
    { name: 'Max', job: 'manager' as const },
  ];
  it('names the reps when the track is for managers, and nobody otherwise', () => {
    expect(repsGivenManagerTrack({ audience: 'manager' }, people).map((p) => p.name)).toEqual(['Rita']);
    expect(repsGivenManagerTrack({ audience: 'rep' }, people)).toEqual([]);
  });
});
