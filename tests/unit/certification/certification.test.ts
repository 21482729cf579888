import { describe, expect, it } from 'vitest';
import {
  addMonths,
  certificateStatus,
  coveredVersions,
  cycleStart,
  decideCertification,
  latestCertificate,
  mayIssue,
  modulesNeedingUpdate,
  planIssue,
  publicVerdict,
  RENEWAL_WINDOW_MS,
  trackLifecycle,
  UPDATE_GRACE_MS,
  type CertificateFacts,
  type Results,
} from '~/features/certification/certification';

const DAY = 24 * 60 * 60 * 1000;
const t0 = Date.UTC(2026, 0, 10, 12);

const track = {
  requires: [
    { quiz: 'greeting-quiz' },
    { quiz: 'listening-quiz' },
    { roleplay: 'angry-billing', minScore: 70 },
    { roleplay: 'transfer' },
  ],
};
const rules = {
  quizPassMark: (id: string) => ({ 'greeting-quiz': 80, 'listening-quiz': 80 })[id],
  roleplayPassScore: (id: string) => ({ 'angry-billing': 50, transfer: 60 })[id],
  exercisePassMark: (id: string) => ({ 'qa-calibration': 90 })[id],
};
const allMet: Results = {
  quizzes: [
    { quizId: 'greeting-quiz', score: 60, contentVersion: 'g1', at: t0 },
    { quizId: 'greeting-quiz', score: 80, contentVersion: 'g1', at: t0 + 1 },
    { quizId: 'listening-quiz', score: 100, contentVersion: 'l1', at: t0 + 2 },
  ],
  roleplays: [
    { roleplayId: 'angry-billing', score: 70, at: t0 + 3 },
    { roleplayId: 'transfer', score: 60, at: t0 + 4 },
  ],
};

describe('deciding certification', () => {
  it('is met when every quiz reaches its pass mark and every role-play its score (best result counts)', () => {
    const d = decideCertification(track, allMet, rules);
    expect(d).toMatchObject({ met: true, done: 4, total: 4 });
    expect(d.requirements[0]).toMatchObject({ kind: 'quiz', id: 'greeting-quiz', best: 80, needed: 80, met: true });
  });

  it('uses minScore over the role-play pass score, and the pass score when minScore is absent', () => {
    const low = {
      ...allMet,
      roleplays: [
        { roleplayId: 'angry-billing', score: 69, at: t0 },
        { roleplayId: 'transfer', score: 59, at: t0 },
      ],
    };
    const d = decideCertification(track, low, rules);
    expect(d.met).toBe(false);
    expect(d.requirements.slice(2).map((r) => [r.needed, r.met])).toEqual([
      [70, false],
      [60, false],
    ]);
  });

  it('is a data change to add a requirement', () => {
    const more = { requires: [...track.requires, { roleplay: 'escalated' }] };
    const d = decideCertification(more, allMet, {
      ...rules,
      roleplayPassScore: (id) => (id === 'escalated' ? 60 : rules.roleplayPassScore(id)),
    });
    expect(d).toMatchObject({ met: false, done: 4, total: 5 });
  });

  it('counts a calibration exercise by its best attempt, at its pass mark or the track’s minScore', () => {
    const attempts = (...scores: number[]) => ({
      ...allMet,
      exercises: scores.map((score, i) => ({ exerciseId: 'qa-calibration', score, at: t0 + i })),
    });
    const own = { requires: [...track.requires, { exercise: 'qa-calibration' }] };
    expect(decideCertification(own, allMet, rules)).toMatchObject({ met: false, done: 4, total: 5 });
    expect(decideCertification(own, attempts(85, 89), rules).requirements[4]).toMatchObject({
      kind: 'exercise',
      id: 'qa-calibration',
      needed: 90,
      best: 89,
      met: false,
    });
    expect(decideCertification(own, attempts(95, 70), rules)).toMatchObject({ met: true, done: 5 });
    const lower = { requires: [{ exercise: 'qa-calibration', minScore: 80 }] };
    expect(decideCertification(lower, attempts(85), rules).requirements[0]).toMatchObject({ needed: 80, met: true });
    expect(
      decideCertification({ requires: [{ exercise: 'gone' }] }, attempts(100), rules).requirements[0],
    ).toMatchObject({ needed: undefined, met: false });
  });

  it('cannot be met by an item that no longer exists', () => {
    const d = decideCertification(
      { requires: [{ quiz: 'gone-quiz' }] },
      { quizzes: [{ quizId: 'gone-quiz', score: 100, contentVersion: 'x', at: t0 }], roleplays: [] },
      rules,
    );
    expect(d.requirements[0]).toMatchObject({ needed: undefined, met: false });
  });

  it('counts only results since the cycle start', () => {
    expect(decideCertification(track, allMet, rules, t0 + 2).met).toBe(false);
    expect(decideCertification(track, allMet, rules, t0).met).toBe(true);
  });
});

const cert = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  id: 'c1',
  issuedAt: t0,
  expiresAt: addMonths(t0, 12),
  revokedAt: null,
  moduleVersions: { greeting: 'g1', listening: 'l1' },
  ...over,
});

describe('issuing and renewing', () => {
  it('adds calendar months in UTC, clamping to the month end', () => {
    expect(new Date(addMonths(Date.UTC(2026, 0, 31), 1)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2026, 0, 10, 12), 12)).toISOString()).toBe('2027-01-10T12:00:00.000Z');
  });

  it('issues a first certificate valid for the track validity', () => {
    expect(mayIssue(undefined, t0)).toBe(true);
    expect(cycleStart(undefined)).toBe(0);
    expect(planIssue(undefined, 12, t0)).toEqual({ kind: 'issued', expiresAt: addMonths(t0, 12), replacesId: null });
  });

  it('does not re-issue while valid; renews from the window, extending from the old expiry', () => {
    const c = cert();
    expect(mayIssue(c, t0 + 100 * DAY)).toBe(false);
    const windowOpens = c.expiresAt - RENEWAL_WINDOW_MS;
    expect(cycleStart(c)).toBe(windowOpens);
    expect(mayIssue(c, windowOpens)).toBe(true);
    expect(planIssue(c, 12, windowOpens + DAY)).toEqual({
      kind: 'renewed',
      expiresAt: addMonths(c.expiresAt, 12),
      replacesId: 'c1',
    });
    const late = c.expiresAt + 10 * DAY;
    expect(planIssue(c, 12, late)).toEqual({ kind: 'renewed', expiresAt: addMonths(late, 12), replacesId: 'c1' });
  });

  it('after a revocation, counts results from the revocation and issues afresh', () => {
    const revoked = cert({ revokedAt: t0 + 50 * DAY });
    expect(cycleStart(revoked)).toBe(t0 + 50 * DAY);
    expect(mayIssue(revoked, t0 + 51 * DAY)).toBe(true);
    expect(planIssue(revoked, 12, t0 + 60 * DAY)).toEqual({
      kind: 'issued',
      expiresAt: addMonths(t0 + 60 * DAY, 12),
      replacesId: 'c1',
    });
  });

  it('takes the most recently issued certificate as the latest', () => {
    expect(
      latestCertificate([
        cert({ id: 'a', issuedAt: 1 }),
        cert({ id: 'b', issuedAt: 3 }),
        cert({ id: 'c', issuedAt: 2 }),
      ])?.id,
    ).toBe('b');
    expect(latestCertificate([])).toBeUndefined();
  });
});

describe('the lifecycle with a fake clock', () => {
  const c = cert();

  it('walks certified → expiring → expired', () => {
    expect(certificateStatus(c, [], t0).status).toBe('certified');
    expect(certificateStatus(c, [], c.expiresAt - RENEWAL_WINDOW_MS - 1).status).toBe('certified');
    const expiring = certificateStatus(c, [], c.expiresAt - 30 * DAY);
    expect(expiring).toMatchObject({ status: 'expiring', valid: true });
    expect(certificateStatus(c, [], c.expiresAt)).toMatchObject({
      status: 'expired',
      valid: false,
      expiredBecause: 'date',
    });
  });

  it('revocation wins over everything', () => {
    const r = cert({ revokedAt: t0 + DAY, revokeReason: 'cheating' });
    expect(certificateStatus(r, [], t0 + 2 * DAY)).toMatchObject({ status: 'revoked', valid: false });
    expect(publicVerdict(certificateStatus(r, [], t0 + 2 * DAY))).toBe('revoked');
  });

  it('before any certificate: not started, then in progress', () => {
    expect(trackLifecycle(undefined, [], { done: 0, started: false }, t0).status).toBe('not-started');
    expect(trackLifecycle(undefined, [], { done: 0, started: true }, t0).status).toBe('in-progress');
    expect(trackLifecycle(undefined, [], { done: 2, started: true }, t0).status).toBe('in-progress');
    expect(trackLifecycle(c, [], { done: 4, started: true }, t0).status).toBe('certified');
  });

  it('content change: update required during the grace period, expired after it, valid again once re-taken', () => {
    const changedAt = t0 + 40 * DAY;
    const history = {
      greeting: [
        { version: 'g1', firstSeenAt: t0 - DAY, editorial: false },
        { version: 'g2', firstSeenAt: changedAt, editorial: false },
      ],
    };
    const current = { greeting: 'g2', listening: 'l1' };
    const updates = modulesNeedingUpdate(c.moduleVersions, current, history, changedAt);
    expect(updates).toEqual([{ moduleId: 'greeting', from: 'g1', to: 'g2', since: changedAt }]);
    const during = certificateStatus(c, updates, changedAt + DAY);
    expect(during).toMatchObject({ status: 'update-required', valid: true, graceUntil: changedAt + UPDATE_GRACE_MS });
    expect(publicVerdict(during)).toBe('valid');
    const after = certificateStatus(c, updates, changedAt + UPDATE_GRACE_MS);
    expect(after).toMatchObject({ status: 'expired', valid: false, expiredBecause: 'update-missed' });
    // The learner re-takes only that module's quiz on the new version.
    const covered = coveredVersions(c, [
      { moduleId: 'greeting', contentVersion: 'g2', at: changedAt + UPDATE_GRACE_MS + DAY },
    ]);
    expect(covered).toEqual({ greeting: 'g2', listening: 'l1' });
    expect(modulesNeedingUpdate(covered, current, history, changedAt)).toEqual([]);
    expect(certificateStatus(c, [], changedAt + UPDATE_GRACE_MS + DAY).status).toBe('certified');
  });

  it('an editorial change skips recertification; a later substantive one does not', () => {
    const history = {
      greeting: [
        { version: 'g1', firstSeenAt: t0 - DAY, editorial: false },
        { version: 'g2', firstSeenAt: t0 + DAY, editorial: true },
        { version: 'g3', firstSeenAt: t0 + 2 * DAY, editorial: false },
        { version: 'g4', firstSeenAt: t0 + 3 * DAY, editorial: true },
      ],
    };
    expect(modulesNeedingUpdate(c.moduleVersions, { greeting: 'g2', listening: 'l1' }, history, t0)).toEqual([]);
    expect(modulesNeedingUpdate(c.moduleVersions, { greeting: 'g4', listening: 'l1' }, history, t0)).toEqual([
      { moduleId: 'greeting', from: 'g1', to: 'g4', since: t0 + 2 * DAY },
    ]);
  });

  it('treats an unrecorded current version as a change seen now, and ignores modules the certificate did not cover', () => {
    expect(modulesNeedingUpdate({ greeting: 'g1' }, { greeting: 'g9', extra: 'e1' }, {}, t0 + 5)).toEqual([
      { moduleId: 'greeting', from: 'g1', to: 'g9', since: t0 + 5 },
    ]);
  });

  it('ignores re-takes from before the certificate', () => {
    expect(coveredVersions(c, [{ moduleId: 'greeting', contentVersion: 'g0', at: t0 - 1 }])).toEqual(c.moduleVersions);
  });
});
