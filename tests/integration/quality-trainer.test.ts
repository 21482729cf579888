/**
 * The trainer's training-versus-floor table, counted in SQL, against the per-row computation it replaced (every
 * tagged answer of every scored rep read into JS) on the demo data, for the whole organisation and for each team.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { and, eq, gte, inArray } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { membershipTable, qualityEvaluationTable, qualityScoreTable, standardResultTable } from '../../db/schema';
import { loadQualityRules, type QualityRules } from '../../src/features/quality/rules.server';
import { floorScoredItems } from '../../src/features/quality/team.server';
import { organizationTrainingVsFloor } from '../../src/features/quality/trainer.server';
import { trainingVersusFloor } from '../../src/features/quality/training-vs-floor';
import { seedDemoIfEmpty } from '../../src/cli/seed/demo';
import { userByEmail } from '../helpers/accounts';
import { freshDb } from '../helpers/db';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/quality-catalog'));

const FROM = '0000-00';
let rules: QualityRules;
let organizationId: string;
let standardIds: string[];

beforeAll(async () => {
  // The demo with its history: training answers tagged with standards and three months of evaluations.
  await freshDb();
  await seedDemoIfEmpty({ history: true });
  rules = await loadQualityRules();
  organizationId = (await userByEmail('admin@demo.test')).organizationId;
  standardIds = [...new Set(rules.scorecards.flatMap((c) => rules.itemsOf(c).map((i) => i.standardId)))];
});

/** The replaced computation: every tagged answer read and counted in JS, the team applied afterwards to the reps. */
async function perRow(members?: Set<string>) {
  const db = getDb();
  const floor = (
    await floorScoredItems(
      and(
        eq(qualityEvaluationTable.organizationId, organizationId),
        gte(qualityEvaluationTable.month, FROM),
        inArray(qualityScoreTable.standardId, standardIds),
      ),
    )
  ).filter((f) => !members || members.has(f.repId));
  const reps = [...new Set(floor.map((f) => f.repId))];
  const answers = reps.length
    ? await db
        .select({
          userId: standardResultTable.userId,
          standardId: standardResultTable.standardId,
          ok: standardResultTable.ok,
        })
        .from(standardResultTable)
        .where(and(inArray(standardResultTable.userId, reps), inArray(standardResultTable.standardId, standardIds)))
    : [];
  const counts = new Map<string, { userId: string; standardId: string; ok: number; n: number }>();
  for (const a of answers) {
    const key = JSON.stringify([a.userId, a.standardId]);
    const c = counts.get(key) ?? { userId: a.userId, standardId: a.standardId, ok: 0, n: 0 };
    c.n += 1;
    if (a.ok) c.ok += 1;
    counts.set(key, c);
  }
  return trainingVersusFloor([...counts.values()], floor, standardIds, rules.floorPercent);
}

describe('organizationTrainingVsFloor', () => {
  it('gives the same table as counting every answer in JS, on data with reps on both sides', async () => {
    const table = await organizationTrainingVsFloor(organizationId, FROM, standardIds, rules.floorPercent);
    // The demo has scored reps with tagged training answers, so the comparison is not vacuous.
    expect(table.some((r) => r.reps > 0 && r.trainingPercent !== undefined)).toBe(true);
    expect(table).toEqual(await perRow());
  });

  it("restricts the table to a team's members", async () => {
    const memberships = await getDb()
      .select({ teamId: membershipTable.teamId, userId: membershipTable.userId })
      .from(membershipTable)
      .where(eq(membershipTable.kind, 'member'));
    const teams = new Map<string, Set<string>>();
    for (const m of memberships) teams.set(m.teamId, (teams.get(m.teamId) ?? new Set()).add(m.userId));
    const whole = await organizationTrainingVsFloor(organizationId, FROM, standardIds, rules.floorPercent);
    let narrower = 0;
    for (const [teamId, members] of teams) {
      const table = await organizationTrainingVsFloor(organizationId, FROM, standardIds, rules.floorPercent, teamId);
      expect(table).toEqual(await perRow(members));
      if (table.some((r, i) => r.reps < whole[i]!.reps)) narrower += 1;
    }
    // At least one team leaves out some of the organisation's scored reps.
    expect(narrower).toBeGreaterThan(0);
  });
});
