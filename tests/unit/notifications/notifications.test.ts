import { describe, expect, it } from 'vitest';
import {
  DIGEST_INTERVAL_MS,
  buildReminderEmail,
  digestDue,
  literalHeaderText,
  preferencesFormSchema,
  preferencesFromForm,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
  wantsEmail,
} from '~/features/notifications/notifications';

const secret = new Uint8Array(32).fill(7);

describe('unsubscribe tokens', () => {
  it('name the person they were made for and nobody else', () => {
    const token = signUnsubscribeToken(secret, 'user-1');
    expect(verifyUnsubscribeToken(secret, token)).toBe('user-1');
    expect(verifyUnsubscribeToken(secret, token.replace('user-1', 'user-2'))).toBeUndefined();
    expect(verifyUnsubscribeToken(new Uint8Array(32).fill(8), token)).toBeUndefined();
    expect(verifyUnsubscribeToken(secret, 'user-1')).toBeUndefined();
    expect(verifyUnsubscribeToken(secret, `${token}A`)).toBeUndefined();
    expect(verifyUnsubscribeToken(secret, 'user-1.!!!')).toBeUndefined();
  });
});

describe('preferences', () => {
  it('turn the form into kinds off and a frequency', () => {
    const form = preferencesFormSchema.parse({ email: ['due', 'expired', 'nudge'], frequency: 'weekly' });
    const prefs = preferencesFromForm(form);
    expect(prefs).toEqual({ emailOff: ['overdue', 'expiring', 'update'], digest: true });
    expect(wantsEmail(prefs, 'due')).toBe(true);
    expect(wantsEmail(prefs, 'overdue')).toBe(false);
    expect(preferencesFormSchema.safeParse({ email: ['sometimes'], frequency: 'each' }).success).toBe(false);
    expect(preferencesFormSchema.safeParse({ email: [], frequency: 'daily' }).success).toBe(false);
  });

  it('send a digest a week after the last one', () => {
    expect(digestDue(null, 1000)).toBe(true);
    expect(digestDue(0, DIGEST_INTERVAL_MS - 1)).toBe(false);
    expect(digestDue(0, DIGEST_INTERVAL_MS)).toBe(true);
  });
});

describe('the reminder email', () => {
  const input = {
    from: 'Academy <no-reply@academy.example>',
    to: { name: 'Ann <b>', email: 'ann@example.com' },
    items: [
      { subject: 'Overdue: Tone & manner', body: 'Your training is overdue.\n\nSee: https://academy.example/learn' },
    ],
    digest: false,
    unsubscribeUrl: 'https://academy.example/unsubscribe/abc.def',
    preferencesUrl: 'https://academy.example/account#notifications',
  };

  it('passes the address apart from the name, with escaped HTML and the headers mail systems read', () => {
    const mail = buildReminderEmail(input);
    expect(mail.to).toEqual({ name: 'Ann <b>', address: 'ann@example.com' });
    expect(mail.subject).toBe('Overdue: Tone & manner');
    expect(mail.html).toContain('<title>Overdue: Tone &amp; manner</title>');
    expect(mail.html).toContain('<a href="https://academy.example/learn">https://academy.example/learn</a>');
    expect(mail.text).toContain('Stop these emails: https://academy.example/unsubscribe/abc.def');
    expect(mail.headers).toEqual({
      'Auto-Submitted': 'auto-generated',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(mail.list).toEqual({ unsubscribe: 'https://academy.example/unsubscribe/abc.def' });
  });

  it('gathers a digest into one email', () => {
    const mail = buildReminderEmail({
      ...input,
      digest: true,
      items: [input.items[0]!, { subject: 'Due soon: Refunds', body: 'Due soon.' }],
    });
    expect(mail.subject).toBe('Your week at Frontline Academy: 2 reminders');
    expect(mail.text).toContain('Overdue: Tone & manner');
    expect(mail.text).toContain('Due soon: Refunds');
  });

  it('sends encoded-word look-alikes as one encoded word, so clients show them as typed', () => {
    expect(literalHeaderText('Ann Smith')).toBe('Ann Smith');
    const encoded = literalHeaderText('=?utf-8?B?SGFja2Vk?=');
    expect(encoded).toMatch(/^=\?UTF-8\?B\?.+\?=$/);
    expect(Buffer.from(encoded.slice(10, -2), 'base64').toString()).toBe('=?utf-8?B?SGFja2Vk?=');
  });
});
