/**
 * The reminder outbox: notices are written once per occasion however often the job runs, emailed once through a
 * fake SMTP transport (nodemailer's JSON transport: no network), and a failed send is retried next run.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { getDb } from '../../db/client';
import { assignmentTable, certificateTable, noticeTable } from '../../db/schema';
import {
  dismissNotice,
  listNotices,
  produceNotices,
  sendPendingNotices,
  type MailSender,
} from '../../src/features/notifications/reminders.server';
import { now } from '../../src/lib/server/clock';
import { newId } from '../../src/lib/server/ids';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

const DAY = 24 * 60 * 60 * 1000;
const learnUrl = 'https://academy.example/learn';
const mailOptions = { from: 'Academy <no-reply@academy.example>', siteUrl: 'https://academy.example' };

beforeEach(async () => {
  await freshDemoDb();
});

/** A sender that records what nodemailer would have put on the wire. */
function fakeSmtp() {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const sent: { to: string; subject: string; text: string }[] = [];
  const sender: MailSender = {
    async sendMail(message) {
      const info = (await transport.sendMail(message)) as { message: string };
      const parsed = JSON.parse(info.message) as { to: { address: string }[]; subject: string; text: string };
      sent.push({ to: parsed.to[0]!.address, subject: parsed.subject, text: parsed.text });
      return info;
    },
  };
  return { sender, sent };
}

async function noticesOf(email: string) {
  const u = await userByEmail(email);
  return getDb().select().from(noticeTable).where(eq(noticeTable.userId, u.id));
}

describe('producing notices', () => {
  it('writes overdue and due-soon notices once, however often it runs', async () => {
    const t = now();
    // rep3 was hired 14 months ago: onboarding is long overdue. rep1 was hired 3 days ago: due in 27 days (not yet).
    const first = await produceNotices(t, { learnUrl });
    expect(first).toBeGreaterThan(0);
    expect(await produceNotices(t, { learnUrl })).toBe(0);
    expect(await produceNotices(t + DAY, { learnUrl })).toBe(0);

    const rep3 = await noticesOf('rep3@demo.test');
    expect(rep3.map((n) => n.kind)).toEqual(['overdue']);
    expect(rep3[0]!.subject).toBe('Overdue: Customer service onboarding');
    expect(rep3[0]!.body).toContain(learnUrl);
    expect(await noticesOf('rep1@demo.test')).toEqual([]);

    // Three weeks on, rep1's onboarding is due within a week: one "due soon" notice.
    expect(await produceNotices(t + 21 * DAY, { learnUrl })).toBeGreaterThanOrEqual(1);
    expect((await noticesOf('rep1@demo.test')).map((n) => n.kind)).toEqual(['due']);
  });

  it('writes an expiring notice for a certificate within 30 days of expiry, once per certificate', async () => {
    const rep = await userByEmail('rep6@demo.test');
    const t = now();
    await getDb()
      .insert(certificateTable)
      .values({
        id: newId(),
        code: newId(),
        userId: rep.id,
        trackId: 'rep-onboarding',
        issuedAt: t - 340 * DAY,
        expiresAt: t + 10 * DAY,
        moduleVersions: {},
      });
    await produceNotices(t, { learnUrl });
    await produceNotices(t, { learnUrl });
    const notices = await noticesOf('rep6@demo.test');
    expect(notices.map((n) => n.kind)).toEqual(['expiring']);
    expect(notices[0]!.subject).toBe('Certificate expiring: Customer service onboarding');
  });
});

describe('sending notices', () => {
  it('emails each pending notice once and marks it sent', async () => {
    const t = now();
    await produceNotices(t, { learnUrl });
    const pending = await getDb().select().from(noticeTable);
    const smtp = fakeSmtp();
    const report = await sendPendingNotices(smtp.sender, mailOptions, t);
    expect(report).toEqual({ sent: pending.length, failed: 0 });
    const rep3 = smtp.sent.find((m) => m.to === 'rep3@demo.test');
    expect(rep3?.subject).toBe('Overdue: Customer service onboarding');
    expect(rep3?.text).toContain(learnUrl);
    expect((await getDb().select().from(noticeTable)).every((n) => n.sentAt === t)).toBe(true);

    const again = fakeSmtp();
    expect(await sendPendingNotices(again.sender, mailOptions, t)).toEqual({ sent: 0, failed: 0 });
    expect(again.sent).toEqual([]);
  });

  it('gives a failed send back, so the next run retries it', async () => {
    const t = now();
    await produceNotices(t, { learnUrl });
    const count = (await getDb().select().from(noticeTable)).length;
    const broken: MailSender = {
      sendMail: async () => {
        throw new Error('connection refused');
      },
    };
    expect(await sendPendingNotices(broken, mailOptions, t)).toEqual({
      sent: 0,
      failed: count,
      error: 'connection refused',
    });
    expect((await getDb().select().from(noticeTable)).every((n) => n.sentAt === null)).toBe(true);
    const smtp = fakeSmtp();
    expect((await sendPendingNotices(smtp.sender, mailOptions, t)).sent).toBe(count);
  });

  it('does not email dismissed notices or week-old ones', async () => {
    const t = now();
    await produceNotices(t - 8 * DAY, { learnUrl });
    const smtp = fakeSmtp();
    expect(await sendPendingNotices(smtp.sender, mailOptions, t)).toEqual({ sent: 0, failed: 0 });

    const rep3 = await userByEmail('rep3@demo.test');
    await getDb().delete(noticeTable);
    await produceNotices(t, { learnUrl });
    const [mine] = await listNotices(rep3.id, { open: true });
    expect(await dismissNotice(rep3.id, mine!.id, t)).toBe(true);
    await sendPendingNotices(smtp.sender, mailOptions, t);
    expect(smtp.sent.some((m) => m.to === rep3.email)).toBe(false);
  });
});

describe('dismissing', () => {
  it('only works on one’s own notice, once', async () => {
    await produceNotices(now(), { learnUrl });
    const rep3 = await userByEmail('rep3@demo.test');
    const rep6 = await userByEmail('rep6@demo.test');
    const [notice] = await listNotices(rep3.id);
    expect(notice!.trackId).toBe('rep-onboarding');
    expect(await dismissNotice(rep6.id, notice!.id)).toBe(false);
    expect(await dismissNotice(rep3.id, notice!.id)).toBe(true);
    expect(await dismissNotice(rep3.id, notice!.id)).toBe(false);
    expect(await listNotices(rep3.id, { open: true })).toEqual([]);
    expect(await listNotices(rep3.id)).toHaveLength(1);
  });
});

describe('assignment link', () => {
  it('points each assignment notice at the assignment it is about', async () => {
    await produceNotices(now(), { learnUrl });
    const rep3 = await userByEmail('rep3@demo.test');
    const [notice] = await noticesOf('rep3@demo.test');
    const [assignment] = await getDb().select().from(assignmentTable).where(eq(assignmentTable.userId, rep3.id));
    expect(notice!.assignmentId).toBe(assignment!.id);
  });
});
