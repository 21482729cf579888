import { describe, expect, it } from 'vitest';
import {
  createInviteSchema,
  describeDevice,
  inviteState,
  invitableRoles,
  jobForRole,
  safeNextPath,
  signInSchema,
  updateUserSchema,
} from '~/features/accounts/accounts';
import { fieldErrors } from '~/lib/server/forms';

describe('safeNextPath', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNextPath('/account')).toBe('/account');
    expect(safeNextPath('/team/people?sort=name#top')).toBe('/team/people?sort=name#top');
  });

  it.each([
    ['absent', null],
    ['empty', ''],
    ['absolute URL', 'https://evil.example/'],
    ['protocol-relative', '//evil.example/path'],
    ['backslash trick', '/\\evil.example'],
    ['dot segments that normalise to another host', '/..//evil.example'],
    ['dot segments before a backslash', '/./\\evil.example'],
    ['encoded dot segments', '/%2e%2e//evil.example/x'],
    ['javascript: URL', 'javascript:alert(1)'],
    ['relative path', 'account'],
    ['control characters', '/acc\nount'],
    ['tab-smuggled slashes', '/\t/evil.example'],
    ['the sign-in page itself', '/login?next=/x'],
    ['sign-out', '/logout'],
  ])('refuses %s', (_, next) => {
    expect(safeNextPath(next)).toBeNull();
  });
});

describe('inviteState', () => {
  it('is valid before expiry, expired at it, used once used', () => {
    expect(inviteState({ usedAt: null, expiresAt: 100 }, 99)).toBe('valid');
    expect(inviteState({ usedAt: null, expiresAt: 100 }, 100)).toBe('expired');
    expect(inviteState({ usedAt: 50, expiresAt: 100 }, 60)).toBe('used');
  });
});

describe('roles', () => {
  it('admins may invite every role, managers only learners, others nobody', () => {
    expect(invitableRoles('admin')).toEqual(['admin', 'manager', 'trainer', 'learner']);
    expect(invitableRoles('manager')).toEqual(['learner']);
    expect(invitableRoles('trainer')).toEqual([]);
    expect(invitableRoles('learner')).toEqual([]);
  });

  it('managers learn the manager track, learners the rep track', () => {
    expect(jobForRole('manager')).toBe('manager');
    expect(jobForRole('learner')).toBe('rep');
    expect(jobForRole('trainer')).toBeNull();
  });
});

describe('form schemas', () => {
  it('normalizes the sign-in email and reports missing fields by name', () => {
    expect(signInSchema.parse({ email: '  Ada@Example.COM ', password: 'x' }).email).toBe('ada@example.com');
    const r = signInSchema.safeParse({});
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toEqual({ email: 'Enter an email address.', password: 'Enter your password.' });
    const bad = signInSchema.safeParse({ email: 'not-an-email', password: 'x' });
    expect(fieldErrors(bad.error!).email).toMatch(/name@example.com/);
  });

  it('needs a team for learner and manager invites, not for trainers', () => {
    const learner = createInviteSchema.safeParse({ email: 'a@b.test', role: 'learner', teamId: '' });
    expect(fieldErrors(learner.error!)).toEqual({ teamId: 'Choose a team.' });
    expect(createInviteSchema.safeParse({ email: 'a@b.test', role: 'trainer' }).success).toBe(true);
    expect(createInviteSchema.safeParse({ email: 'a@b.test', role: 'owner', teamId: 't' }).success).toBe(false);
    expect(
      fieldErrors(
        createInviteSchema.safeParse({ email: 'a@b.test', role: 'learner', teamId: 't', hireDate: '2025-02-30' })
          .error!,
      ),
    ).toEqual({
      hireDate: 'Enter a date (YYYY-MM-DD).',
    });
    expect(
      createInviteSchema.parse({ email: 'a@b.test', role: 'learner', teamId: 't', hireDate: '' }).hireDate,
    ).toBeNull();
  });

  it('needs a managed team for managers', () => {
    const r = updateUserSchema.safeParse({ role: 'manager', manages: [] });
    expect(fieldErrors(r.error!)).toEqual({ manages: 'Choose at least one team to manage.' });
  });
});

describe('describeDevice', () => {
  it('names common browsers and systems', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      ),
    ).toBe('Chrome on Windows');
    expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox on Linux',
    );
    expect(
      describeDevice(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari on iOS');
    expect(describeDevice(null)).toBe('Unknown device');
  });
});
