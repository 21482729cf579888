/**
 * The reminder outbox (`notice`). `produceNotices` writes what each person's standings call for (planNotices in
 * assignments.ts); the unique `dedupe_key` makes a second run the same day add nothing. `sendPendingNotices` emails
 * the unsent ones: each is CLAIMED first (sent_at set where it was null) and only then sent, so two runs at once
 * cannot both send it; a failed send gives the claim back for the next run. Without SMTP nothing is sent and the
 * notices wait on the learner's home page until dismissed.
 */
import { and, asc, desc, eq, gte, inArray, isNull } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { assignmentTable, noticeTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { formatDate, formatDueDate } from '../../lib/format';
import { newId } from '../../lib/server/ids';
import { writeTransaction } from '../../lib/server/write-lock';
import { computeStandings } from '../progress/status';
import { diskUpdateFacts, pendingUpdatesFrom, recordVersionsSeen } from '../certification/updates.server';
import { DAY, planNotices } from '../assignments/assignments';
import { assignmentFacts, certificateFacts } from '../assignments/assignments.server';
import { loadTracks } from '../assignments/track-source';
import { buildReminderEmail, digestDue, wantsEmail, type MailMessage } from './notifications';
import { markDigestSent, preferencesOf, unsubscribeTokenFor } from './preferences.server';

/** Notices older than this are not emailed any more (a week-old "due soon" is noise); they stay on the page. */
export const SEND_WITHIN_MS = 7 * DAY;
/** A weekly digest reaches back to the last one, up to this far (a missed week's notices still go out once). */
const DIGEST_LOOKBACK_MS = 14 * DAY;
const BATCH = 500;

export type Notice = typeof noticeTable.$inferSelect;

/** What nodemailer's transporter offers, narrowed to what we use (tests pass other transports). */
export interface MailSender {
  sendMail(message: MailMessage): Promise<unknown>;
}

/**
 * Writes the notices due at `at` for every active person with assignments, by the status rule the dashboards use
 * (certificates with pending or missed module updates included); returns how many are new.
 */
export async function produceNotices(at: number, options: { learnUrl: string }): Promise<number> {
  const db = getDb();
  // The content as the files say (this runs from the CLI, outside the Astro server).
  const facts = await diskUpdateFacts();
  await recordVersionsSeen(facts, at);
  const titles = new Map((await loadTracks()).map((t) => [t.id, t.title]));
  // Each person reads their reminders in their own zone (chosen on /account), else the organisation's.
  const zones = new Map<string, string>();
  const ctx = {
    trackTitle: (id: string) => titles.get(id) ?? id,
    formatDate: (t: number, userId: string) => formatDate(t, zones.get(userId) ?? facts.timeZone),
    formatDueDate,
    learnUrl: options.learnUrl,
  };
  const people = await db
    .selectDistinct({ id: assignmentTable.userId, timeZone: userTable.timeZone })
    .from(assignmentTable)
    .innerJoin(userTable, eq(userTable.id, assignmentTable.userId))
    .where(eq(userTable.active, true))
    .orderBy(asc(assignmentTable.userId));
  let created = 0;
  for (let i = 0; i < people.length; i += BATCH) {
    const batch = people.slice(i, i + BATCH);
    for (const p of batch) if (p.timeZone) zones.set(p.id, p.timeZone);
    const ids = batch.map((p) => p.id);
    const [assignments, certificates, updates] = await Promise.all([
      assignmentFacts(ids),
      certificateFacts(ids),
      pendingUpdatesFrom(ids, at, facts),
    ]);
    const drafts = planNotices(computeStandings(assignments, certificates, at, updates), at, ctx);
    if (drafts.length === 0) continue;
    const inserted = await writeTransaction((tx) =>
      tx
        .insert(noticeTable)
        .values(drafts.map((d) => ({ id: newId(), ...d, createdAt: at })))
        .onConflictDoNothing()
        .returning({ id: noticeTable.id }),
    );
    created += inserted.length;
  }
  return created;
}

export interface SendReport {
  sent: number;
  failed: number;
  /** The last failure's message, for the operator (a wrong password or host fails every send the same way). */
  error?: string;
}

export interface SendOptions {
  /** The sender, e.g. "Frontline Academy <no-reply@academy.example>". */
  from: string;
  /** Public origin for the links in the email (preferences, one-click unsubscribe). */
  siteUrl: string;
}

/**
 * Emails every unsent, undismissed notice to its (active) person, once, as they chose on /account: kinds they turned
 * off are not emailed (they stay on the page); digest readers get one email a week with everything new since the
 * last one, everyone else one email per notice from the last week. A notice is claimed (sent_at set where it was
 * null) before it is sent, so two runs at once cannot both send it; a failed send gives the claims back.
 */
export async function sendPendingNotices(sender: MailSender, options: SendOptions, at = now()): Promise<SendReport> {
  const db = getDb();
  const pending = await db
    .select({
      id: noticeTable.id,
      kind: noticeTable.kind,
      subject: noticeTable.subject,
      body: noticeTable.body,
      createdAt: noticeTable.createdAt,
      userId: userTable.id,
      email: userTable.email,
      name: userTable.name,
    })
    .from(noticeTable)
    .innerJoin(userTable, eq(userTable.id, noticeTable.userId))
    .where(
      and(
        isNull(noticeTable.sentAt),
        isNull(noticeTable.dismissedAt),
        gte(noticeTable.createdAt, at - DIGEST_LOOKBACK_MS),
        eq(userTable.active, true),
      ),
    )
    .orderBy(asc(noticeTable.createdAt), asc(noticeTable.id));
  const prefs = await preferencesOf([...new Set(pending.map((n) => n.userId))]);
  const site = options.siteUrl.replace(/\/+$/, '');
  const report: SendReport = { sent: 0, failed: 0 };

  const claim = async (ids: string[]) => {
    const rows = await db
      .update(noticeTable)
      .set({ sentAt: at })
      .where(and(inArray(noticeTable.id, ids), isNull(noticeTable.sentAt)))
      .returning({ id: noticeTable.id });
    return new Set(rows.map((r) => r.id));
  };
  const send = async (
    person: { userId: string; email: string; name: string },
    items: typeof pending,
    digest: boolean,
  ) => {
    const claimed = await claim(items.map((n) => n.id));
    const mine = items.filter((n) => claimed.has(n.id));
    if (mine.length === 0) return false;
    const message = buildReminderEmail({
      from: options.from,
      to: { name: person.name, email: person.email },
      items: mine,
      digest,
      unsubscribeUrl: `${site}/unsubscribe/${await unsubscribeTokenFor(person.userId)}`,
      preferencesUrl: `${site}/account#notifications`,
    });
    try {
      await sender.sendMail(message);
      report.sent += mine.length;
      return true;
    } catch (e) {
      await db
        .update(noticeTable)
        .set({ sentAt: null })
        .where(inArray(noticeTable.id, [...claimed]));
      report.failed += mine.length;
      report.error = e instanceof Error ? e.message : String(e);
      return false;
    }
  };

  for (const [userId, prefsOfPerson] of prefs) {
    const mine = pending.filter((n) => n.userId === userId && wantsEmail(prefsOfPerson, n.kind));
    if (mine.length === 0) continue;
    const person = mine[0]!;
    if (!prefsOfPerson.digest) {
      for (const n of mine.filter((n) => n.createdAt >= at - SEND_WITHIN_MS)) await send(person, [n], false);
    } else if (digestDue(prefsOfPerson.digestSentAt, at)) {
      const since = prefsOfPerson.digestSentAt ?? at - SEND_WITHIN_MS;
      if (
        await send(
          person,
          mine.filter((n) => n.createdAt >= since),
          true,
        )
      )
        await markDigestSent(userId, at);
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------- reading

/** A person's notices, newest first: every one (the notices page), or only those not dismissed. */
export async function listNotices(
  userId: string,
  options: { open?: boolean; limit?: number } = {},
): Promise<(Notice & { trackId: string | null })[]> {
  const where = options.open
    ? and(eq(noticeTable.userId, userId), isNull(noticeTable.dismissedAt))
    : eq(noticeTable.userId, userId);
  const rows = await getDb()
    .select({ notice: noticeTable, trackId: assignmentTable.trackId })
    .from(noticeTable)
    .leftJoin(assignmentTable, eq(assignmentTable.id, noticeTable.assignmentId))
    .where(where)
    .orderBy(desc(noticeTable.createdAt), desc(noticeTable.id))
    .limit(options.limit ?? 100);
  return rows.map((r) => ({ ...r.notice, trackId: r.trackId }));
}

/** The person dismisses one of their own notices; false when there is no such open notice of theirs. */
export async function dismissNotice(userId: string, noticeId: string, at = now()): Promise<boolean> {
  const done = await writeTransaction((tx) =>
    tx
      .update(noticeTable)
      .set({ dismissedAt: at })
      .where(and(eq(noticeTable.id, noticeId), eq(noticeTable.userId, userId), isNull(noticeTable.dismissedAt))),
  );
  return done.rowsAffected === 1;
}
