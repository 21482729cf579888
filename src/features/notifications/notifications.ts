/**
 * Notification rules, pure: a person's email preferences (which notice kinds, each notice or a weekly digest), the
 * signed per-person token of the one-click unsubscribe link, and the reminder email itself (text, a simple HTML
 * part, and the headers mail systems read: Auto-Submitted, List-Unsubscribe and List-Unsubscribe-Post).
 */
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import { z } from 'zod';
import { noticeKinds, type NoticeKind } from '../../../db/schema';

export const DIGEST_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

export interface EmailPreferences {
  /** Kinds not emailed (they still show on the person's home page). */
  emailOff: NoticeKind[];
  /** One email a week with everything new, instead of one per notice. */
  digest: boolean;
}

export const defaultPreferences: EmailPreferences = { emailOff: [], digest: false };

export const noticeKindChoices: Record<NoticeKind, string> = {
  due: 'A training is due within a week',
  overdue: 'A training is overdue',
  expiring: 'A certificate expires within 30 days',
  expired: 'A certificate has expired',
  update: 'A lesson you are certified on changed and its quiz must be passed again',
  nudge: 'Your manager sends you a reminder',
};

/** The preferences form on /account: a checkbox per kind wanted, and how often. */
export const preferencesFormSchema = z.object({
  email: z.array(z.enum(noticeKinds)).max(noticeKinds.length),
  frequency: z.enum(['each', 'weekly'], { message: 'Choose how often to get email.' }),
});

export function preferencesFromForm(form: z.infer<typeof preferencesFormSchema>): EmailPreferences {
  return { emailOff: noticeKinds.filter((k) => !form.email.includes(k)), digest: form.frequency === 'weekly' };
}

/** Whether a notice of this kind is emailed at all. */
export const wantsEmail = (prefs: EmailPreferences, kind: NoticeKind) => !prefs.emailOff.includes(kind);

/** Whether a digest person's weekly email is due at `at` (never sent, or a week since the last). */
export function digestDue(lastSentAt: number | null, at: number): boolean {
  return lastSentAt === null || at - lastSentAt >= DIGEST_INTERVAL_MS;
}

// ---------------------------------------------------------------------------------------------- unsubscribe tokens

const encoder = new TextEncoder();
const mac = (secret: Uint8Array, userId: string) => hmac(SHA256, secret, encoder.encode(`unsubscribe:${userId}`));

/** `<user id>.<HMAC>`: names the person and proves the site made the link; it does not expire (old emails too). */
export function signUnsubscribeToken(secret: Uint8Array, userId: string): string {
  return `${userId}.${encodeBase64urlNoPadding(mac(secret, userId))}`;
}

/** The user id a token was made for, or undefined when it is not one of ours. */
export function verifyUnsubscribeToken(secret: Uint8Array, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot < 1 || token.length > 200) return undefined;
  const userId = token.slice(0, dot);
  let given: Uint8Array;
  try {
    given = decodeBase64urlIgnorePadding(token.slice(dot + 1));
  } catch {
    return undefined;
  }
  return constantTimeEqual(given, mac(secret, userId)) ? userId : undefined;
}

// ---------------------------------------------------------------------------------------------- the email

/**
 * Header text a mail client must show as typed. Encoded-word syntax (`=?utf-8?B?…?=`) in a name or subject would be
 * decoded by the reader's client into other text, so such text is itself sent as one encoded word, which decodes
 * back to exactly what was typed.
 */
export function literalHeaderText(text: string): string {
  return text.includes('=?') ? encodeWord(text, 'B') : text;
}

export interface ReminderItem {
  subject: string;
  body: string;
}

export interface ReminderEmailInput {
  from: string;
  to: { name: string; email: string };
  /** One notice, or (a digest) several. */
  items: readonly ReminderItem[];
  digest: boolean;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** What nodemailer's sendMail takes, narrowed to what we set. */
export interface MailMessage {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Reminders only: account emails (an invite, a reset link) are not a list one unsubscribes from. */
  list?: { unsubscribe: string };
}

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A paragraph of plain text as HTML: escaped, line breaks kept, web addresses made links. */
function paragraphHtml(text: string): string {
  const linked = escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  return `<p>${linked.replaceAll('\n', '<br>')}</p>`;
}

export function buildReminderEmail(input: ReminderEmailInput): MailMessage {
  const { items } = input;
  const subject =
    input.digest && items.length > 1 ? `Your week at Frontline Academy: ${items.length} reminders` : items[0]!.subject;
  const footer = `You get this email because you have training at Frontline Academy. Choose which reminders you get, or a weekly summary instead: ${input.preferencesUrl}\nStop these emails: ${input.unsubscribeUrl}`;
  const sections = input.digest && items.length > 1 ? items.map((i) => `${i.subject}\n\n${i.body}`) : [items[0]!.body];
  const text = `${sections.join('\n\n----\n\n')}\n\n${footer}\n`;
  const bodyHtml = sections
    .map((section) =>
      section
        .split(/\n{2,}/)
        .map(paragraphHtml)
        .join('\n'),
    )
    .join('\n<hr>\n');
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em;">',
    `<h1 style="font-size: 1.25em;">${escapeHtml(subject)}</h1>`,
    bodyHtml,
    `<p style="color: #4a4a4a; font-size: 0.875em;">You get this email because you have training at Frontline Academy. <a href="${escapeHtml(input.preferencesUrl)}">Choose which reminders you get</a>, or <a href="${escapeHtml(input.unsubscribeUrl)}">stop these emails</a>.</p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return {
    from: input.from,
    to: { name: literalHeaderText(input.to.name), address: input.to.email },
    subject: literalHeaderText(subject),
    text,
    html,
    // RFC 3834: a machine wrote it, so auto-responders stay quiet. RFC 8058: the unsubscribe link works with one POST.
    headers: { 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    list: { unsubscribe: input.unsubscribeUrl },
  };
}

export interface AccountEmailInput {
  from: string;
  to: { name: string; email: string };
  subject: string;
  /** Paragraphs separated by blank lines; web addresses become links in the HTML part. */
  body: string;
}

/** A one-off email about the person's account (an invite, a password-reset link): text and a simple HTML part. */
export function buildAccountEmail(input: AccountEmailInput): MailMessage {
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.subject)}</title></head>`,
    '<body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; max-width: 40em;">',
    `<h1 style="font-size: 1.25em;">${escapeHtml(input.subject)}</h1>`,
    input.body
      .split(/\n{2,}/)
      .map(paragraphHtml)
      .join('\n'),
    '</body>',
    '</html>',
  ].join('\n');
  return {
    from: input.from,
    to: { name: literalHeaderText(input.to.name), address: input.to.email },
    subject: literalHeaderText(input.subject),
    text: `${input.body}\n`,
    html,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
