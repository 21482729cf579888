import { describe, expect, it } from 'vitest';
import { draftNudge, nudgeKey, overduePeople } from '~/features/notifications/nudge';
import { buildAccountEmail } from '~/features/notifications/notifications';

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const fmt = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('nudges', () => {
  it('are keyed per person and UTC day, so a second one the same day is the same row', () => {
    expect(nudgeKey('u1', day('2026-05-04'))).toBe('nudge:u1:2026-05-04');
    expect(nudgeKey('u1', Date.parse('2026-05-04T23:59:59Z'))).toBe(nudgeKey('u1', Date.parse('2026-05-04T00:00:00Z')));
    expect(nudgeKey('u1', Date.parse('2026-05-05T00:00:00Z'))).not.toBe(
      nudgeKey('u1', Date.parse('2026-05-04T23:59:59Z')),
    );
  });

  it('name the manager and list what is left, overdue first, leaving out certified tracks', () => {
    const draft = draftNudge({
      userId: 'u1',
      managerName: 'Mia Chen',
      lines: [
        { trackTitle: 'Recommended extras', status: 'on-track', dueAt: day('2026-06-01') },
        { trackTitle: 'Done already', status: 'certified', dueAt: day('2026-01-01') },
        { trackTitle: 'Rep onboarding', status: 'overdue', dueAt: day('2026-04-01') },
      ],
      formatDate: fmt,
      learnUrl: 'https://academy.test/learn',
      at: day('2026-05-04'),
    });
    expect(draft).toMatchObject({
      userId: 'u1',
      kind: 'nudge',
      dedupeKey: 'nudge:u1:2026-05-04',
      subject: 'A reminder from Mia Chen',
    });
    expect(draft.body).toContain('- Rep onboarding: overdue since 2026-04-01\n- Recommended extras: due 2026-06-01');
    expect(draft.body).not.toContain('Done already');
    expect(draft.body).toContain('https://academy.test/learn');
  });

  it('"everyone overdue" means people with at least one overdue track', () => {
    const people = [
      { id: 'a', lines: [{ status: 'overdue' as const }] },
      { id: 'b', lines: [{ status: 'certified' as const }, { status: 'on-track' as const }] },
      { id: 'c', lines: [{ status: 'expired' as const }, { status: 'overdue' as const }] },
    ];
    expect(overduePeople(people).map((p) => p.id)).toEqual(['a', 'c']);
  });
});

describe('buildAccountEmail', () => {
  it('has a text and an HTML part with the link made a link, and no unsubscribe header (not a list)', () => {
    const mail = buildAccountEmail({
      from: 'Academy <no-reply@academy.test>',
      to: { name: 'Ana <3', email: 'ana@example.test' },
      subject: 'Choose a new password',
      body: 'Hello.\n\nChoose it here:\nhttps://academy.test/reset-password/abc',
    });
    expect(mail.text).toBe('Hello.\n\nChoose it here:\nhttps://academy.test/reset-password/abc\n');
    expect(mail.html).toContain('<a href="https://academy.test/reset-password/abc">');
    expect(mail.list).toBeUndefined();
    expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
  });
});
