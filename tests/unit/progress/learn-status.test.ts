import { describe, expect, it } from 'vitest';
import { aboutDuration, cardStatus, dueDates } from '~/features/progress/learn-status';
import { decideTrackStatus, trackStatusLabels } from '~/features/progress/status';

const DAY = 24 * 60 * 60 * 1000;
const AT = Date.UTC(2026, 5, 15);

describe('cardStatus (a track card on /learn)', () => {
  it('says "Overdue" in words once the due date has passed without a certificate', () => {
    for (const status of ['not-started', 'in-progress', 'revoked'] as const) {
      expect(cardStatus({ status, valid: false }, AT - DAY, AT)).toEqual({
        label: 'Overdue',
        tone: 'bad',
        due: { at: AT - DAY, passed: true },
      });
    }
  });

  it('keeps the learner’s own status with the due date while it is still ahead (the due moment itself is not late)', () => {
    expect(cardStatus({ status: 'not-started', valid: false }, AT + DAY, AT)).toEqual({
      label: 'Not started',
      tone: 'info',
      due: { at: AT + DAY, passed: false },
    });
    expect(cardStatus({ status: 'in-progress', valid: false }, AT, AT).label).toBe('In progress');
  });

  it('a valid certificate hides the due date; a lapsed one stays "Expired", without its old due date', () => {
    expect(cardStatus({ status: 'certified', valid: true }, AT - DAY, AT)).toEqual({
      label: 'Certified',
      tone: 'good',
      due: null,
    });
    expect(cardStatus({ status: 'expired', valid: false }, AT - DAY, AT)).toEqual({
      label: 'Expired',
      tone: 'bad',
      due: null,
    });
    expect(cardStatus({ status: 'expired', valid: false }, AT + DAY, AT)).toMatchObject({
      label: 'Expired',
      due: { at: AT + DAY, passed: false },
    });
  });

  it('shows no due date for tracks nobody assigned', () => {
    expect(cardStatus({ status: 'not-started', valid: false }, undefined, AT)).toEqual({
      label: 'Not started',
      tone: 'info',
      due: null,
    });
  });

  it('agrees with the team dashboard for someone never certified, either side of the due date', () => {
    for (const dueAt of [AT - 1, AT, AT + 1]) {
      const dashboard = trackStatusLabels[decideTrackStatus(dueAt, [], AT).status];
      const card = cardStatus({ status: 'not-started', valid: false }, dueAt, AT).label;
      expect(card === 'Overdue', `due ${dueAt - AT}`).toBe(dashboard === 'Overdue');
    }
  });
});

describe('dueDates', () => {
  const row = (id: string, dueAt: number, completedAt: number | null = null) => ({
    id,
    trackId: 'rep',
    dueAt,
    mandatory: true,
    createdAt: AT - 30 * DAY,
    completedAt,
  });

  it('uses the open assignment with the earliest due date, as the dashboard does', () => {
    expect(
      dueDates([row('a', AT + 9 * DAY), row('b', AT - DAY), row('c', AT - 5 * DAY, AT - 2 * DAY)], AT).get('rep'),
    ).toBe(AT - DAY);
  });
});

describe('aboutDuration', () => {
  it('says minutes under an hour and hours (with halves) above', () => {
    expect(aboutDuration(12)).toBe('about 10 minutes');
    expect(aboutDuration(2)).toBe('about 5 minutes');
    expect(aboutDuration(60)).toBe('about 1 hour');
    expect(aboutDuration(100)).toBe('about 1½ hours');
    expect(aboutDuration(118)).toBe('about 2 hours');
  });
});
