import { describe, expect, it } from 'vitest';
import {
  computeStandings,
  decideTrackStatus,
  summarizeTeam,
  type AssignmentFacts,
  type CertificateFacts,
} from '~/features/progress/status';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 0, 15, 12);

function cert(over: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    id: 'c1',
    userId: 'u1',
    trackId: 'onboarding',
    issuedAt: NOW - 100 * DAY,
    expiresAt: NOW + 265 * DAY,
    revokedAt: null,
    ...over,
  };
}

function assignment(over: Partial<AssignmentFacts> = {}): AssignmentFacts {
  return {
    id: 'a1',
    userId: 'u1',
    trackId: 'onboarding',
    dueAt: NOW + 10 * DAY,
    mandatory: true,
    createdAt: NOW - 20 * DAY,
    completedAt: null,
    ...over,
  };
}

describe('decideTrackStatus', () => {
  it('is on track without a certificate until the due date has passed, then overdue', () => {
    expect(decideTrackStatus(NOW + DAY, [], NOW).status).toBe('on-track');
    expect(decideTrackStatus(NOW, [], NOW).status).toBe('on-track');
    expect(decideTrackStatus(NOW - 1, [], NOW).status).toBe('overdue');
  });

  it('is certified with a valid certificate more than 30 days from expiry, expiring within 30 days', () => {
    expect(decideTrackStatus(NOW - 5 * DAY, [cert({ expiresAt: NOW + 30 * DAY + 1 })], NOW).status).toBe('certified');
    expect(decideTrackStatus(NOW - 5 * DAY, [cert({ expiresAt: NOW + 30 * DAY })], NOW).status).toBe('expiring');
    expect(decideTrackStatus(NOW, [cert({ expiresAt: NOW + 1 })], NOW).status).toBe('expiring');
  });

  it('is expired from the expiry instant on, even when the due date is still ahead', () => {
    expect(decideTrackStatus(NOW + 50 * DAY, [cert({ expiresAt: NOW })], NOW)).toEqual({
      status: 'expired',
      certificate: cert({ expiresAt: NOW }),
      updates: [],
      updateDueAt: null,
      expiredBecause: 'date',
    });
    expect(decideTrackStatus(NOW + 50 * DAY, [cert({ expiresAt: NOW - 3 * DAY })], NOW).status).toBe('expired');
  });

  it('ignores a revoked certificate, but only from the moment it was revoked', () => {
    const revoked = cert({ revokedAt: NOW - DAY });
    expect(decideTrackStatus(NOW - 2 * DAY, [revoked], NOW)).toMatchObject({ status: 'overdue', certificate: null });
    expect(decideTrackStatus(NOW + 2 * DAY, [revoked], NOW).status).toBe('on-track');
    expect(decideTrackStatus(NOW - 2 * DAY, [revoked], NOW - 3 * DAY).status).toBe('certified');
  });

  it('ignores a certificate not yet issued at the time asked', () => {
    expect(decideTrackStatus(NOW + DAY, [cert({ issuedAt: NOW + 1 })], NOW).status).toBe('on-track');
  });

  it('lets the latest certificate speak, as the certification rules do: a revoked renewal is not certified', () => {
    const old = cert({ id: 'old', issuedAt: NOW - 400 * DAY, expiresAt: NOW - 35 * DAY });
    const renewal = cert({ id: 'new', issuedAt: NOW - 40 * DAY, expiresAt: NOW + 325 * DAY });
    expect(decideTrackStatus(NOW, [old, renewal], NOW).certificate?.id).toBe('new');
    expect(decideTrackStatus(NOW, [renewal, old], NOW).certificate?.id).toBe('new');

    const valid = cert({ id: 'valid', expiresAt: NOW + 100 * DAY });
    const revokedRenewal = cert({
      id: 'revoked',
      issuedAt: NOW - 20 * DAY,
      expiresAt: NOW + 400 * DAY,
      revokedAt: NOW - DAY,
    });
    expect(decideTrackStatus(NOW - DAY, [valid, revokedRenewal], NOW)).toMatchObject({
      status: 'overdue',
      certificate: null,
    });
  });
});

describe('decideTrackStatus with module updates (the certification rules)', () => {
  const update = { moduleId: 'm1', from: 'v1', to: 'v2', since: NOW - 10 * DAY };
  it('reads "update required" within the grace period: still valid, with the deadline', () => {
    const d = decideTrackStatus(NOW - DAY, [cert()], NOW, new Map([['c1', [update]]]));
    expect(d).toMatchObject({
      status: 'update-required',
      updates: [update],
      updateDueAt: NOW + 20 * DAY,
      expiredBecause: null,
    });
  });
  it('reads "expired" once the update was missed, however far the expiry date is', () => {
    const d = decideTrackStatus(NOW + DAY, [cert()], NOW + 21 * DAY, new Map([['c1', [update]]]));
    expect(d).toMatchObject({ status: 'expired', expiredBecause: 'update-missed', updateDueAt: NOW + 20 * DAY });
    const summary = summarizeTeam(
      computeStandings([assignment()], [cert()], NOW + 21 * DAY, new Map([['c1', [update]]])),
    );
    expect(summary).toMatchObject({ mandatoryCertified: 0, compliancePct: 0 });
  });
  it('counts an update within its grace period as compliant', () => {
    const summary = summarizeTeam(computeStandings([assignment()], [cert()], NOW, new Map([['c1', [update]]])));
    expect(summary).toMatchObject({ mandatoryCertified: 1, counts: { 'update-required': 1 } });
  });
});

describe('computeStandings', () => {
  it('makes one line per person and track: the open renewal sets the due date, mandatory if any is', () => {
    const original = assignment({
      id: 'orig',
      dueAt: NOW - 300 * DAY,
      createdAt: NOW - 330 * DAY,
      completedAt: NOW - 310 * DAY,
    });
    const renewal = assignment({ id: 'renew', dueAt: NOW + 20 * DAY, mandatory: false, createdAt: NOW - 10 * DAY });
    const c = cert({ issuedAt: NOW - 310 * DAY, expiresAt: NOW + 20 * DAY });
    const [line, ...rest] = computeStandings([original, renewal], [c], NOW);
    expect(rest).toEqual([]);
    expect(line).toEqual({
      userId: 'u1',
      trackId: 'onboarding',
      assignmentId: 'renew',
      mandatory: true,
      dueAt: NOW + 20 * DAY,
      completedAt: null,
      status: 'expiring',
      certificateId: 'c1',
      expiresAt: NOW + 20 * DAY,
      updates: [],
      updateDueAt: null,
      expiredBecause: null,
    });
  });

  it('uses the latest created assignment when all are completed', () => {
    const first = assignment({ id: 'first', createdAt: NOW - 50 * DAY, completedAt: NOW - 40 * DAY });
    const second = assignment({ id: 'second', createdAt: NOW - 30 * DAY, completedAt: NOW - 20 * DAY });
    expect(computeStandings([second, first], [cert()], NOW)[0]).toMatchObject({
      assignmentId: 'second',
      completedAt: NOW - 20 * DAY,
      status: 'certified',
    });
  });

  it('does not count a completed assignment as certified once its certificate is revoked', () => {
    const done = assignment({ dueAt: NOW - 5 * DAY, completedAt: NOW - 30 * DAY });
    const line = computeStandings([done], [cert({ revokedAt: NOW - DAY })], NOW)[0];
    expect(line).toMatchObject({ status: 'overdue', certificateId: null, completedAt: NOW - 30 * DAY });
  });

  it('ignores assignments created after the time asked, and completions after it', () => {
    expect(computeStandings([assignment({ createdAt: NOW + 1 })], [], NOW)).toEqual([]);
    const line = computeStandings([assignment({ completedAt: NOW + DAY })], [], NOW)[0];
    expect(line?.completedAt).toBeNull();
  });

  it('keeps other people and tracks apart and sorts by person, then track', () => {
    const lines = computeStandings(
      [
        assignment({ id: 'b-x', userId: 'bob', trackId: 'x' }),
        assignment({ id: 'a-y', userId: 'ann', trackId: 'y' }),
        assignment({ id: 'a-x', userId: 'ann', trackId: 'x' }),
      ],
      [cert({ userId: 'ann', trackId: 'y' })],
      NOW,
    );
    expect(lines.map((l) => [l.assignmentId, l.status])).toEqual([
      ['a-x', 'on-track'],
      ['a-y', 'certified'],
      ['b-x', 'on-track'],
    ]);
  });
});

describe('summarizeTeam', () => {
  it('counts compliance over mandatory lines only, expiring ones as still certified', () => {
    const assignments = [
      assignment({ id: '1', userId: 'ana' }),
      assignment({ id: '2', userId: 'ben' }),
      assignment({ id: '3', userId: 'cy', dueAt: NOW - DAY }),
      assignment({ id: '4', userId: 'dee' }),
      assignment({ id: '5', userId: 'dee', trackId: 'complaints', mandatory: false }),
    ];
    const certificates = [
      cert({ userId: 'ana' }),
      cert({ userId: 'ben', expiresAt: NOW + 12 * DAY }),
      cert({ userId: 'dee', trackId: 'complaints', expiresAt: NOW - DAY }),
    ];
    const summary = summarizeTeam(computeStandings(assignments, certificates, NOW));
    // Mandatory: ana certified, ben expiring (still valid), cy overdue, dee on track → 2 of 4.
    expect(summary).toEqual({
      people: 4,
      assigned: 5,
      mandatory: 4,
      mandatoryCertified: 2,
      compliancePct: 50,
      counts: { 'on-track': 1, overdue: 1, certified: 1, expiring: 1, 'update-required': 0, expired: 1 },
    });
  });

  it('has no compliance figure when nothing mandatory is assigned', () => {
    expect(summarizeTeam([]).compliancePct).toBeNull();
    const optional = computeStandings([assignment({ mandatory: false })], [cert()], NOW);
    expect(summarizeTeam(optional)).toMatchObject({ mandatory: 0, compliancePct: null });
  });

  it('gives an unrounded percentage', () => {
    const assignments = ['a', 'b', 'c'].map((u) => assignment({ id: u, userId: u }));
    const summary = summarizeTeam(computeStandings(assignments, [cert({ userId: 'a' })], NOW));
    expect(summary.compliancePct).toBeCloseTo(100 / 3, 10);
  });
});
