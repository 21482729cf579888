/**
 * `npm run reminders` against a real SMTP server process (smtp-server), each arriving message read by a real MIME
 * parser (mailparser): the envelope and the To header carry the person's own address whatever their name holds
 * (a trailing backslash, encoded-word text), each email has a text and an HTML part, Auto-Submitted, and a one-click
 * List-Unsubscribe whose link works; people's choices on /account are honoured (kinds turned off, a weekly digest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { getDb } from '../../db/client';
import { noticeTable, userTable } from '../../db/schema';
import {
  getPreferences,
  savePreferences,
  unsubscribeWithToken,
} from '../../src/features/notifications/preferences.server';
import { freshDemoDb, userByEmail } from '../helpers/accounts';
import { runCli, startSmtpSink, type SmtpSink } from '../helpers/processes';

const SITE = 'https://academy.example';
let smtp: SmtpSink;
let env: Record<string, string>;

beforeAll(async () => {
  await freshDemoDb();
  smtp = await startSmtpSink();
  env = {
    DATABASE_URL: process.env.DATABASE_URL!,
    SMTP_URL: smtp.url(),
    SITE_URL: SITE,
    MAIL_FROM: 'Frontline Academy <no-reply@academy.example>',
  };
});
afterAll(() => smtp?.stop());

const toOf = (mail: ParsedMail) => (mail.to as AddressObject).value;
/** A header as it arrived (mailparser folds List-* headers into one object; RFC 8058 is about the raw lines). */
const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines.filter((h) => h.key === name).map((h) => h.line.slice(h.line.indexOf(':') + 1).trim());
const unsubscribeUrl = (mail: ParsedMail) => /^<([^>]+)>$/.exec(rawHeader(mail, 'list-unsubscribe')[0] ?? '')?.[1];
const rename = (email: string, name: string) =>
  getDb().update(userTable).set({ name }).where(eq(userTable.email, email));

// Each test runs `npm run reminders` as its own process, which loads the content from disk: seconds on a busy
// 2-core machine, several times per test, so these tests get a budget of their own.
describe('reminder email through a real SMTP server', { timeout: 90_000 }, () => {
  it('reaches each person at their own address, with text, HTML and the headers mail systems read', async () => {
    await rename('rep3@demo.test', 'Jonas Weber\\');
    await rename('rep2@demo.test', '=?utf-8?B?SGFja2Vk?=');
    // rep5 wants no "overdue" email; rep1 reads a weekly digest.
    await savePreferences((await userByEmail('rep5@demo.test')).id, { emailOff: ['overdue'], digest: false });

    const run = await runCli('reminders.ts', [], env);
    expect(run.output).toMatch(/Emailed \d+ notice/);
    expect(run.code).toBe(0);
    const mails = await Promise.all(smtp.received.map(async (m) => ({ envelope: m, mail: await simpleParser(m.raw) })));
    const sentNotices = await getDb().select().from(noticeTable);
    expect(mails.length).toBeGreaterThan(0);

    for (const { envelope, mail } of mails) {
      // The envelope recipient is the one address in To, never something made from the name.
      expect(envelope.to).toEqual([toOf(mail)[0]!.address]);
      expect(envelope.from).toBe('no-reply@academy.example');
      expect(mail.text).toContain(`${SITE}/learn`);
      expect(mail.html).toContain(`<a href="${SITE}/learn">`);
      expect(mail.html).toMatch(/<html lang="en">/);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      // RFC 8058: exactly one List-Unsubscribe with one HTTPS URI, and the one-click marker.
      expect(rawHeader(mail, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
      expect(rawHeader(mail, 'list-unsubscribe')).toHaveLength(1);
      expect(unsubscribeUrl(mail)).toMatch(new RegExp(`^${SITE}/unsubscribe/[^/]+$`));
      expect(mail.text).toContain(unsubscribeUrl(mail));
    }

    const to = (address: string) => mails.filter(({ mail }) => toOf(mail)[0]!.address === address);
    const jonas = to('rep3@demo.test');
    expect(jonas).toHaveLength(1);
    expect(toOf(jonas[0]!.mail)[0]!.name).toBe('Jonas Weber\\');
    expect(jonas[0]!.mail.subject).toBe('Overdue: Customer service onboarding');
    const sofia = to('rep2@demo.test');
    expect(sofia).toHaveLength(1);
    // Shown as typed, not decoded into "Hacked".
    expect(toOf(sofia[0]!.mail)[0]!.name).toBe('=?utf-8?B?SGFja2Vk?=');

    // rep5's overdue notice stays unsent (and on the page); everyone else's is marked sent.
    const rep5 = await userByEmail('rep5@demo.test');
    expect(to('rep5@demo.test')).toHaveLength(0);
    expect(
      sentNotices.filter((n) => n.userId === rep5.id && n.kind === 'overdue').every((n) => n.sentAt === null),
    ).toBe(true);

    // The unsubscribe link of Jonas's email turns every kind off for him alone.
    const token = decodeURIComponent(unsubscribeUrl(jonas[0]!.mail)!.split('/').pop()!);
    expect(await unsubscribeWithToken(token)).toEqual({ name: 'Jonas Weber\\' });
    expect((await getPreferences((await userByEmail('rep3@demo.test')).id)).emailOff).toEqual([
      'due',
      'overdue',
      'expiring',
      'expired',
      'update',
      'nudge',
    ]);
    expect(await unsubscribeWithToken(`${token}x`)).toBeUndefined();

    // A second run sends nothing new.
    const before = smtp.received.length;
    expect((await runCli('reminders.ts', [], env)).code).toBe(0);
    expect(smtp.received.length).toBe(before);
  });

  it('refuses wrong SMTP credentials and keeps the notices for the next run', async () => {
    await getDb().update(noticeTable).set({ sentAt: null });
    const before = smtp.received.length;
    const run = await runCli('reminders.ts', [], { ...env, SMTP_URL: smtp.url('mailer', 'wrong') });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/failed and will be retried next run/);
    expect(smtp.received.length).toBe(before);
    expect((await getDb().select().from(noticeTable)).every((n) => n.sentAt === null)).toBe(true);
  });

  it('sends a weekly digest reader one email with every reminder, once a week', async () => {
    await getDb()
      .update(noticeTable)
      .set({ sentAt: new Date('2026-01-01').getTime() });
    const ravi = await userByEmail('rep1@demo.test');
    await savePreferences(ravi.id, { emailOff: [], digest: true });
    const at = Date.now();
    // Two reminders for Ravi this week.
    for (const [i, subject] of ['Due soon: Billing basics', 'Overdue: Refund rules'].entries()) {
      await getDb()
        .insert(noticeTable)
        .values({
          id: `digest-${i}`,
          userId: ravi.id,
          kind: i === 0 ? 'due' : 'overdue',
          dedupeKey: `digest-test-${i}`,
          subject,
          body: `${subject}.\n\nSee what is left to do: ${SITE}/learn`,
          createdAt: at - (i + 1) * 60_000,
        });
    }
    const before = smtp.received.length;
    expect((await runCli('reminders.ts', [], env)).code).toBe(0);
    const digests = smtp.received.slice(before);
    expect(digests).toHaveLength(1);
    const mail = await simpleParser(digests[0]!.raw);
    expect(mail.subject).toBe('Your week at Frontline Academy: 2 reminders');
    expect(mail.text).toContain('Due soon: Billing basics');
    expect(mail.text).toContain('Overdue: Refund rules');
    expect((await getPreferences(ravi.id)).digestSentAt).not.toBeNull();

    // A new reminder the next day waits for next week's digest.
    await getDb().insert(noticeTable).values({
      id: 'digest-2',
      userId: ravi.id,
      kind: 'due',
      dedupeKey: 'digest-test-2',
      subject: 'Due soon: Tone',
      body: 'Due soon.',
      createdAt: Date.now(),
    });
    expect((await runCli('reminders.ts', [], env)).code).toBe(0);
    expect(smtp.received.length).toBe(before + 1);
    const [waiting] = await getDb().select().from(noticeTable).where(eq(noticeTable.id, 'digest-2'));
    expect(waiting!.sentAt).toBeNull();
  });
});
