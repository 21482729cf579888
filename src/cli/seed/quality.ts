/**
 * Three months of quality evaluations for the demo, scored on the real scorecards by each team's manager and run
 * through the real quality-floor rule, telling the same story as the training history (history-scripts.ts):
 *
 * - Jonas (rep3, mid-way, failed the setting-expectations quiz yesterday): two months ago he cut customers off
 *   (below the floor on "listen without interrupting": Active listening assigned, and passed since); last month and
 *   this one he leaves customers without a clear next step (Setting expectations assigned, not done).
 * - Sofia (rep2, two months in, not started her training): below the floor last month on setting expectations and on
 *   paraphrasing; this month's evaluation waits for her acknowledgement.
 * - Kwame and Grace (certified) meet nearly everything; Lena (ten days in) has her first two contacts scored.
 * - Ravi (three days in) has none yet.
 * Evaluations of past months are acknowledged; this month's are not.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../../db/client';
import { membershipTable, qualityEvaluationTable, qualityScoreTable, userTable } from '../../../db/schema';
import { loadContent } from '../../features/content/load';
import type { Channel, QualityScorecard, Standard, Track } from '../../features/content/schema';
import { evaluationScore, monthOf, type ItemValue } from '../../features/quality/quality';
import { applyFloorRule } from '../../features/quality/quality.server';
import { buildQualityRules, modulesInTrackOrder } from '../../features/quality/rules';
import { newId } from '../../lib/server/ids';

const DAY = 86_400_000;

/** Per rep: months ago → contacts, and for each weak standard on how many of them it was missed. */
interface MonthScript {
  contacts: number;
  missed?: Record<string, number>;
}
const scripts: Record<string, { channels: Channel[]; months: Record<number, MonthScript> }> = {
  'rep3@demo.test': {
    channels: ['phone', 'phone', 'email'],
    months: {
      2: { contacts: 4, missed: { 'listen-without-interrupting': 3 } },
      1: { contacts: 4, missed: { 'set-clear-expectations': 3 } },
      0: { contacts: 2, missed: { 'set-clear-expectations': 1 } },
    },
  },
  'rep2@demo.test': {
    channels: ['phone', 'chat'],
    months: {
      1: { contacts: 4, missed: { 'set-clear-expectations': 2, 'take-notes-and-paraphrase': 3 } },
      0: { contacts: 1, missed: { 'take-notes-and-paraphrase': 1 } },
    },
  },
  'rep5@demo.test': {
    channels: ['chat', 'phone'],
    months: { 2: { contacts: 4 }, 1: { contacts: 4 }, 0: { contacts: 2 } },
  },
  'rep6@demo.test': {
    channels: ['phone', 'chat'],
    months: { 2: { contacts: 4 }, 1: { contacts: 4 }, 0: { contacts: 3 } },
  },
  'rep4@demo.test': { channels: ['chat'], months: { 0: { contacts: 2, missed: { 'use-the-customer-name': 1 } } } },
};

const acknowledgements = ['Fair. I will work on it.', 'Thanks, the comments help.', ''];

function monthStart(t: number, monthsAgo: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsAgo, 1);
}

export async function insertDemoQuality(tx: Tx, at: number): Promise<void> {
  const content = await loadContent('content');
  const data = <T>(m: Map<string, { id: string; data: T | undefined }>) =>
    [...m.values()].flatMap((e) => (e.data ? [{ id: e.id, data: e.data }] : []));
  const standards = new Map(data<Standard>(content.standards).map((e) => [e.id, e.data]));
  const tracks = data<Track>(content.tracks).map((e) => e.data);
  const modules = data(content.modules).map((e) => ({ slug: e.id, title: e.data.title, standards: e.data.standards }));
  const rules = buildQualityRules({
    scorecards: data<QualityScorecard>(content.scorecards).map((e) => e.data),
    standards,
    organization: content.organization?.data,
    modules: modulesInTrackOrder(
      modules,
      tracks.flatMap((t) => t.modules),
    ),
  });

  for (const [email, script] of Object.entries(scripts)) {
    const [rep] = await tx
      .select({
        id: userTable.id,
        name: userTable.name,
        organizationId: userTable.organizationId,
        teamId: membershipTable.teamId,
      })
      .from(userTable)
      .innerJoin(membershipTable, and(eq(membershipTable.userId, userTable.id), eq(membershipTable.kind, 'member')))
      .where(eq(userTable.email, email));
    if (!rep) throw new Error(`demo quality: no ${email}`);
    const [manager] = await tx
      .select({ id: membershipTable.userId })
      .from(membershipTable)
      .where(and(eq(membershipTable.teamId, rep.teamId), eq(membershipTable.kind, 'manager')));
    if (!manager) throw new Error(`demo quality: no manager for ${email}`);

    for (const [ago, month] of Object.entries(script.months)
      .map(([k, v]) => [Number(k), v] as const)
      .sort((a, b) => b[0] - a[0])) {
      const start = monthStart(at, ago);
      // Past months: contacts spread over the month; this month: over the days gone by (none on the 1st).
      const span = ago === 0 ? Math.floor((at - start) / DAY) : 24;
      if (span < 1) continue;
      let lastSubmitted = 0;
      for (let i = 0; i < month.contacts; i++) {
        const contactAt = start + (1 + Math.floor((i * span) / month.contacts)) * DAY - DAY / 2;
        if (contactAt >= at) continue;
        const submittedAt = Math.min(contactAt + DAY, at - DAY / 24);
        lastSubmitted = Math.max(lastSubmitted, submittedAt);
        const channel = script.channels[i % script.channels.length]!;
        const card = rules.scorecards.find((c) => c.channel === channel)!;
        const items = rules.itemsOf(card);
        const values: Record<string, ItemValue> = {};
        for (const item of items) {
          const missed = (month.missed?.[item.standardId] ?? 0) > i;
          if (item.standardId === 'announce-transfers' && i % 2 === 1) values[item.key] = 'na';
          else if (item.scale === 'scale') values[item.key] = missed ? '2' : i % 2 ? '4' : '5';
          else values[item.key] = missed ? 'no' : 'yes';
        }
        const id = newId(contactAt);
        const acknowledged = ago > 0;
        await tx.insert(qualityEvaluationTable).values({
          id,
          organizationId: rep.organizationId,
          repId: rep.id,
          teamId: rep.teamId,
          evaluatorId: manager.id,
          kind: 'floor',
          scorecardId: card.id,
          channel,
          contactDate: new Date(contactAt).toISOString().slice(0, 10),
          month: monthOf(contactAt),
          reference: `${channel === 'email' ? 'TCK' : channel === 'chat' ? 'CHT' : 'CALL'}-${email.slice(3, 4)}${String(ago)}${String(i + 1).padStart(2, '0')}`,
          link: null,
          notes: null,
          status: 'submitted',
          score: evaluationScore(Object.values(values)) ?? null,
          createdAt: contactAt,
          updatedAt: submittedAt,
          submittedAt,
          acknowledgedAt: acknowledged ? submittedAt + DAY / 2 : null,
          ackComment: acknowledged ? acknowledgements[i % acknowledgements.length] || null : null,
        });
        await tx.insert(qualityScoreTable).values(
          items.map((item) => ({
            evaluationId: id,
            itemKey: item.key,
            standardId: item.standardId,
            value: values[item.key]!,
            comment:
              values[item.key] === 'no' || values[item.key] === '2'
                ? `Missed here: see the ${item.title.toLowerCase()} standard's measure.`
                : null,
          })),
        );
      }
      if (lastSubmitted > 0) await applyFloorRule(tx, rep, monthOf(start), rules, lastSubmitted, manager.id);
    }
  }
}
