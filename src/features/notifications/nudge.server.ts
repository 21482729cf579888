/**
 * Managers' reminders from /team and a person's page: to one member, or to every member with an overdue track.
 * Each is a notice (shown on the person's /learn) written in one transaction with its audit entry; the unique
 * dedupe key (nudgeKey) makes a second nudge the same day, or a racing double click, insert nothing. Written
 * notices are then emailed at once when SMTP is set and the person wants this kind: claimed first (sent_at set
 * where null), given back if the send fails, as the daily run does.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { noticeTable, userTable } from '../../../db/schema';
import { formatDate } from '../../lib/format';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { teamMembers, visibleTeam, type Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import { loadTeamPeople } from '../reports/team.server';
import { serverMailer } from './mailer.server';
import { buildReminderEmail, wantsEmail } from './notifications';
import { draftNudge, overduePeople } from './nudge';
import { preferencesOf, unsubscribeTokenFor } from './preferences.server';

export class NudgeError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export interface NudgeResult {
  /** People who got a new reminder. */
  sent: number;
  /** People already reminded today (nothing new written). */
  already: number;
  /** Of the new ones, how many went out by email. */
  emailed: number;
}

/** `who` is a member's id, or `overdue` for every member with an overdue track. */
export async function sendNudges(actor: Viewer & { name: string }, input: { team: string; who: string }, site: string): Promise<NudgeResult> {
  const team = await visibleTeam(actor, input.team);
  if (!team) throw new NudgeError('FORBIDDEN', 'You can only remind people in your own teams.');
  const at = now();
  const members = await teamMembers([team.id]);
  const { people } = await loadTeamPeople(members, at);
  const targets = input.who === 'overdue' ? overduePeople(people) : people.filter((p) => p.id === input.who);
  if (targets.length === 0) {
    throw new NudgeError('BAD_REQUEST', input.who === 'overdue' ? 'Nobody in this team is overdue.' : 'That person is not a member of this team.');
  }
  const drafts = targets.map((p) =>
    draftNudge({ userId: p.id, managerName: actor.name, lines: p.lines, formatDate, learnUrl: `${site}/learn`, at }),
  );
  const written = await writeTransaction(async (tx) => {
    const rows = await tx
      .insert(noticeTable)
      .values(drafts.map((d) => ({ id: newId(), ...d, assignmentId: null, createdAt: at })))
      .onConflictDoNothing()
      .returning({ id: noticeTable.id, userId: noticeTable.userId });
    if (rows.length > 0) {
      await writeAudit(tx, {
        organizationId: actor.organizationId,
        actorId: actor.id,
        action: 'nudge.sent',
        target: team.id,
        detail: { who: input.who, people: rows.map((r) => r.userId) },
      });
    }
    return rows;
  });
  const emailed = await emailNudges(written.map((r) => r.id), site, at);
  return { sent: written.length, already: targets.length - written.length, emailed };
}

async function emailNudges(ids: string[], site: string, at: number): Promise<number> {
  const mailer = serverMailer();
  if (!mailer || ids.length === 0) return 0;
  const db = getDb();
  const rows = await db
    .select({ notice: noticeTable, email: userTable.email, name: userTable.name })
    .from(noticeTable)
    .innerJoin(userTable, eq(userTable.id, noticeTable.userId))
    .where(inArray(noticeTable.id, ids));
  const prefs = await preferencesOf(rows.map((r) => r.notice.userId));
  let emailed = 0;
  for (const { notice, email, name } of rows) {
    if (!wantsEmail(prefs.get(notice.userId)!, 'nudge')) continue;
    const claimed = await db
      .update(noticeTable)
      .set({ sentAt: at })
      .where(and(eq(noticeTable.id, notice.id), isNull(noticeTable.sentAt)))
      .returning({ id: noticeTable.id });
    if (claimed.length === 0) continue;
    const message = buildReminderEmail({
      from: mailer.from,
      to: { name, email },
      items: [notice],
      digest: false,
      unsubscribeUrl: `${site}/unsubscribe/${await unsubscribeTokenFor(notice.userId)}`,
      preferencesUrl: `${site}/account#notifications`,
    });
    try {
      await mailer.sendMail(message);
      emailed++;
    } catch (e) {
      // The notice stays on the person's page; the daily run tries the email again.
      await db.update(noticeTable).set({ sentAt: null }).where(eq(noticeTable.id, notice.id));
      console.error(`nudge email to ${email} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return emailed;
}
