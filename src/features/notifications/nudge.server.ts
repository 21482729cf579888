/**
 * Managers' reminders from /team and a person's page: to one member, to every member of a team with an overdue
 * track, or to everyone overdue in all the viewer's teams at once.
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
import { teamMembers, visibleTeam, visibleTeams, type Viewer } from '../../lib/server/team-scope';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import type { TeamPerson } from '../reports/team';
import { loadTeamPeople } from '../reports/team.server';
import { serverMailer } from './mailer.server';
import { buildReminderEmail, wantsEmail } from './notifications';
import { draftNudge, overduePeople } from './nudge';
import { preferencesOf, unsubscribeTokenFor } from './preferences.server';
import { Refusal } from '../../lib/refusal';

export class NudgeError extends Refusal<never, 'BAD_REQUEST' | 'FORBIDDEN' | 'CONFLICT'> {}

export interface NudgeResult {
  /** People who got a new reminder. */
  sent: number;
  /** People already reminded today (nothing new written). */
  already: number;
  /** Of the new ones, how many went out by email. */
  emailed: number;
}

/** `who` is a member's id, or `overdue` for every member with an overdue track. */
export async function sendNudges(
  actor: Viewer & { name: string },
  input: { team: string; who: string },
  site: string,
): Promise<NudgeResult> {
  const team = await visibleTeam(actor, input.team);
  if (!team) throw new NudgeError('FORBIDDEN', 'You can only remind people in your own teams.');
  const at = now();
  const { people } = await loadTeamPeople(await teamMembers([team.id]), at);
  const targets = input.who === 'overdue' ? overduePeople(people) : people.filter((p) => p.id === input.who);
  if (targets.length === 0) {
    throw new NudgeError(
      'BAD_REQUEST',
      input.who === 'overdue' ? 'Nobody in this team is overdue.' : 'That person is not a member of this team.',
    );
  }
  return remind(actor, targets, { target: team.id, detail: { who: input.who } }, site, at);
}

/** Everyone overdue in every team the viewer may see (a manager's teams; an admin's organization), once each. */
export async function overdueAcrossTeams(actor: Viewer, at: number): Promise<{ people: TeamPerson[]; teams: number }> {
  const teams = await visibleTeams(actor);
  const members = await teamMembers(teams.map((t) => t.id));
  // Someone in two of the teams is one person to remind.
  const unique = [...new Map(members.map((m) => [m.id, m])).values()];
  const { people } = await loadTeamPeople(unique, at);
  const overdue = overduePeople(people);
  return {
    people: overdue,
    teams: new Set(members.filter((m) => overdue.some((p) => p.id === m.id)).map((m) => m.teamId)).size,
  };
}

/**
 * "Remind everyone overdue in all your teams": one action for a manager of several teams or an admin. `confirmed` is
 * the count the person agreed to; when the list has changed since, nothing is sent (CONFLICT) and they look again.
 */
export async function sendNudgesAcrossTeams(
  actor: Viewer & { name: string },
  confirmed: number,
  site: string,
): Promise<NudgeResult> {
  const at = now();
  const { people } = await overdueAcrossTeams(actor, at);
  if (people.length === 0) throw new NudgeError('BAD_REQUEST', 'Nobody in your teams is overdue.');
  if (people.length !== confirmed) {
    throw new NudgeError(
      'CONFLICT',
      `The list changed: ${people.length} ${people.length === 1 ? 'person is' : 'people are'} overdue now, not ${confirmed}. Nothing was sent; check the list and confirm again.`,
    );
  }
  return remind(actor, people, { target: actor.organizationId, detail: { who: 'overdue', teams: 'all' } }, site, at);
}

/**
 * Writes one nudge per target, in one transaction with its audit entry. The per-person, per-day unique key makes
 * whatever another click (or another manager) already wrote today insert nothing: parallel sends remind once.
 */
async function remind(
  actor: Viewer & { name: string },
  targets: readonly TeamPerson[],
  audit: { target: string; detail: Record<string, unknown> },
  site: string,
  at: number,
): Promise<NudgeResult> {
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
        target: audit.target,
        detail: { ...audit.detail, people: rows.map((r) => r.userId) },
      });
    }
    return rows;
  });
  const emailed = await emailNudges(
    written.map((r) => r.id),
    site,
    at,
  );
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
