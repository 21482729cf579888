import { describe, expect, it } from 'vitest';
import {
  assignFormSchema,
  endOfUtcDay,
  isoDateOf,
  onboardingDueAt,
  onboardingTracks,
  noticeStillApplies,
  planNotices,
  planOnboarding,
  planRenewals,
  startOfIsoDate,
  type RenewalCandidate,
} from '~/features/assignments/assignments';
import { mailConfigFromEnv, DEFAULT_MAIL_FROM } from '~/features/notifications/mail-config';
import type { Track } from '~/features/content/schema';
import type { TrackStanding } from '~/features/progress/status';

const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 10, 15, 30);

function track(id: string, audience: 'rep' | 'manager', mandatory: boolean, dueDays = 30): Track {
  return {
    id,
    title: `Track ${id}`,
    summary: 's',
    audience,
    mandatory,
    dueDays,
    validityMonths: 12,
    modules: ['m'],
    requires: [{ quiz: 'q' }],
  };
}
const tracks = [track('rep-a', 'rep', true, 30), track('rep-extra', 'rep', false), track('mgr', 'manager', true, 45)];

describe('dates', () => {
  it('reads real ISO dates only', () => {
    expect(startOfIsoDate('2026-03-10')).toBe(Date.UTC(2026, 2, 10));
    expect(startOfIsoDate('2026-02-31')).toBeUndefined();
    expect(startOfIsoDate('10/03/2026')).toBeUndefined();
  });

  it('puts a due date at the last millisecond of its UTC day', () => {
    expect(endOfUtcDay(T)).toBe(Date.UTC(2026, 2, 11) - 1);
    expect(isoDateOf(endOfUtcDay(T))).toBe('2026-03-10');
  });
});

describe('onboarding', () => {
  it('assigns the mandatory tracks of the person’s job only', () => {
    expect(onboardingTracks('rep', tracks).map((t) => t.id)).toEqual(['rep-a']);
    expect(onboardingTracks('manager', tracks).map((t) => t.id)).toEqual(['mgr']);
    expect(onboardingTracks(null, tracks)).toEqual([]);
  });

  it('is due dueDays after the hire date, or after account creation when there is none', () => {
    expect(isoDateOf(onboardingDueAt('2026-01-01', T, 30))).toBe('2026-01-31');
    expect(isoDateOf(onboardingDueAt(null, T, 30))).toBe('2026-04-09');
    expect(isoDateOf(onboardingDueAt('not a date', T, 30))).toBe('2026-04-09');
  });

  it('plans one mandatory onboarding row per track', () => {
    const rows = planOnboarding({ id: 'u1', job: 'manager', hireDate: '2026-03-01', createdAt: T }, tracks);
    expect(rows).toEqual([
      {
        userId: 'u1',
        trackId: 'mgr',
        dueAt: endOfUtcDay(Date.UTC(2026, 3, 15)),
        mandatory: true,
        kind: 'onboarding',
        certificateId: null,
        assignedBy: null,
        createdAt: T,
      },
    ]);
  });
});

describe('renewals', () => {
  const cert = (over: Partial<RenewalCandidate>): RenewalCandidate => ({
    certificateId: 'c1',
    userId: 'u1',
    trackId: 'rep-a',
    issuedAt: T - 340 * DAY,
    expiresAt: T + 25 * DAY,
    revokedAt: null,
    mandatory: true,
    ...over,
  });

  it('renews a certificate expiring within 30 days, due on expiry', () => {
    expect(planRenewals([cert({})], T)).toEqual([
      {
        userId: 'u1',
        trackId: 'rep-a',
        dueAt: T + 25 * DAY,
        mandatory: true,
        kind: 'renewal',
        certificateId: 'c1',
        assignedBy: null,
        createdAt: T,
      },
    ]);
  });

  it('also renews one that lapsed within 30 days (a missed run), not one long gone or far off', () => {
    expect(planRenewals([cert({ expiresAt: T - 5 * DAY })], T)).toHaveLength(1);
    expect(planRenewals([cert({ expiresAt: T - 31 * DAY })], T)).toEqual([]);
    expect(planRenewals([cert({ expiresAt: T + 31 * DAY })], T)).toEqual([]);
  });

  it('looks only at the latest certificate of a person and track, and never at a revoked one', () => {
    const old = cert({ certificateId: 'old' });
    const renewed = cert({ certificateId: 'new', issuedAt: T - DAY, expiresAt: T + 364 * DAY });
    expect(planRenewals([old, renewed], T)).toEqual([]);
    expect(planRenewals([cert({ revokedAt: T - DAY })], T)).toEqual([]);
  });

  it('keeps the mandatory flag of what was assigned', () => {
    expect(planRenewals([cert({ mandatory: false })], T)[0]!.mandatory).toBe(false);
  });
});

describe('the assign form', () => {
  const schema = assignFormSchema(() => '2026-03-10');
  const good = { team: 't1', who: 'team', track: 'rep-a', due: '2026-04-01', priority: 'mandatory' };

  it('accepts a complete form', () => {
    expect(schema.parse(good)).toEqual(good);
  });

  it('refuses past or impossible dates, unknown priorities and bad track ids with a message', () => {
    const message = (over: object) => schema.safeParse({ ...good, ...over }).error?.issues[0]?.message;
    expect(message({ due: '2026-03-09' })).toBe('The due date cannot be in the past.');
    expect(message({ due: '2026-02-30' })).toBe('That is not a real date.');
    expect(message({ priority: 'urgent' })).toBe('Choose mandatory or recommended.');
    expect(message({ track: '../etc' })).toMatch(/kebab-case/);
    expect(message({ team: undefined })).toBe('Choose a team.');
  });
});

describe('planNotices', () => {
  const ctx = {
    trackTitle: (id: string) => `Track ${id}`,
    formatDate: (t: number) => isoDateOf(t),
    formatDueDate: (t: number) => isoDateOf(t),
    learnUrl: 'https://x.test/learn',
  };
  const standing = (over: Partial<TrackStanding>): TrackStanding => ({
    userId: 'u1',
    trackId: 'rep-a',
    assignmentId: 'a1',
    mandatory: true,
    dueAt: T + 30 * DAY,
    completedAt: null,
    status: 'on-track',
    certificateId: null,
    expiresAt: null,
    updates: [],
    updateDueAt: null,
    expiredBecause: null,
    ...over,
  });

  it('says nothing while a due date is more than a week away', () => {
    expect(planNotices([standing({})], T, ctx)).toEqual([]);
  });

  it('reminds once a week before the due date, keyed by assignment', () => {
    const [n] = planNotices([standing({ dueAt: T + 6 * DAY })], T, ctx);
    expect(n).toMatchObject({
      kind: 'due',
      dedupeKey: 'due:a1',
      assignmentId: 'a1',
      subject: `Due ${isoDateOf(T + 6 * DAY)}: Track rep-a`,
    });
    expect(n!.body).toContain('required training');
    expect(n!.body).toContain('https://x.test/learn');
  });

  it('flags overdue, and expiring or expired certificates keyed by certificate', () => {
    const notices = planNotices(
      [
        standing({ status: 'overdue', dueAt: T - DAY, mandatory: false }),
        standing({ trackId: 'b', assignmentId: 'a2', status: 'expiring', certificateId: 'c2', expiresAt: T + 9 * DAY }),
        standing({ trackId: 'c', assignmentId: 'a3', status: 'expired', certificateId: 'c3', expiresAt: T - 9 * DAY }),
        standing({
          trackId: 'd',
          assignmentId: 'a4',
          status: 'certified',
          certificateId: 'c4',
          expiresAt: T + 200 * DAY,
        }),
      ],
      T,
      ctx,
    );
    expect(notices.map((n) => [n.kind, n.dedupeKey])).toEqual([
      ['overdue', 'overdue:a1'],
      ['expiring', 'expiring:c2'],
      ['expired', 'expired:c3'],
    ]);
    expect(notices[0]!.body).toContain('recommended training');
  });
});

describe('mail configuration', () => {
  it('is off without SMTP_URL or SMTP_HOST', () => {
    expect(mailConfigFromEnv({})).toBeUndefined();
  });

  it('takes a URL as it is, or builds options from the parts', () => {
    expect(mailConfigFromEnv({ SMTP_URL: 'smtps://u:p@mail.test:465', MAIL_FROM: 'A <a@x.test>' })).toEqual({
      transport: 'smtps://u:p@mail.test:465',
      from: 'A <a@x.test>',
    });
    expect(mailConfigFromEnv({ SMTP_HOST: 'mail.test', SMTP_USER: 'u', SMTP_PASSWORD: 'p' })).toEqual({
      transport: { host: 'mail.test', port: 587, secure: false, auth: { user: 'u', pass: 'p' } },
      from: DEFAULT_MAIL_FROM,
    });
    expect(mailConfigFromEnv({ SMTP_HOST: 'mail.test', SMTP_PORT: '465' })?.transport).toEqual({
      host: 'mail.test',
      port: 465,
      secure: true,
    });
  });

  it('refuses a broken setting instead of silently not sending', () => {
    expect(() => mailConfigFromEnv({ SMTP_URL: 'http://mail.test' })).toThrow(/smtp:\/\//);
    expect(() => mailConfigFromEnv({ SMTP_HOST: 'mail.test', SMTP_PORT: 'abc' })).toThrow(/SMTP_PORT/);
  });
});

describe('notices for module updates and stale notices', () => {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const ctx = {
    trackTitle: (id: string) => `Track ${id}`,
    formatDate: day,
    formatDueDate: day,
    learnUrl: 'https://x.test/learn',
  };
  const base = {
    userId: 'u1',
    trackId: 'rep-a',
    assignmentId: 'a1',
    mandatory: true,
    dueAt: Date.UTC(2026, 0, 1),
    completedAt: null,
    certificateId: 'c1',
    expiresAt: Date.UTC(2026, 11, 1),
  };
  const update = { moduleId: 'greet', from: 'v1', to: 'v2', since: Date.UTC(2026, 4, 1) };
  it('tells a learner of an update due, keyed by certificate and change', () => {
    const [n] = planNotices(
      [
        {
          ...base,
          status: 'update-required',
          updates: [update],
          updateDueAt: Date.UTC(2026, 4, 31),
          expiredBecause: null,
        },
      ],
      Date.UTC(2026, 4, 10),
      ctx,
    );
    expect(n).toMatchObject({
      kind: 'update',
      dedupeKey: 'update:c1:greet@v2',
      subject: 'Update needed by 2026-05-31: Track rep-a',
    });
  });
  it('says why a certificate lapsed when an update was missed', () => {
    const [n] = planNotices(
      [
        {
          ...base,
          status: 'expired',
          updates: [update],
          updateDueAt: Date.UTC(2026, 4, 31),
          expiredBecause: 'update-missed',
        },
      ],
      Date.UTC(2026, 5, 2),
      ctx,
    );
    expect(n).toMatchObject({ kind: 'expired', dedupeKey: 'expired:c1', subject: 'Certificate expired: Track rep-a' });
    expect(n!.body).toContain('lapsed on 2026-05-31');
  });
  it('keeps a notice on /learn only while it is still true', () => {
    expect(noticeStillApplies('expiring', 'expired')).toBe(false);
    expect(noticeStillApplies('expired', 'expired')).toBe(true);
    expect(noticeStillApplies('update', 'expired')).toBe(false);
    expect(noticeStillApplies('update', 'update-required')).toBe(true);
    expect(noticeStillApplies('overdue', 'certified')).toBe(false);
    expect(noticeStillApplies('due', 'on-track')).toBe(true);
  });
});
