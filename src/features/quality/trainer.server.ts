/**
 * The trainer's "training versus the floor" figures for an organisation: the tagged training answers (standard_result:
 * graded quiz answers and role-play choices, practice never counts) and the scored contacts (submitted floor and
 * agreed evaluations) of the reps scored since `fromMonth` (members of `teamId` only, when given), compared per
 * standard by training-vs-floor.ts. Training answers are counted per rep and standard in SQL: reading them one by one
 * was about a million rows at 1,000 learners.
 */
import { and, count, eq, gte, inArray, sql } from 'drizzle-orm';
import { getDb, type Db } from '../../../db/client';
import { membershipTable, qualityEvaluationTable, qualityScoreTable, standardResultTable } from '../../../db/schema';
import { floorScoredItems } from './team.server';
import { trainingVersusFloor, type StandardComparison } from './training-vs-floor';

export async function organizationTrainingVsFloor(
  organizationId: string,
  fromMonth: string,
  standardIds: readonly string[],
  floorPercent: number,
  teamId?: string,
  db: Db = getDb(),
): Promise<StandardComparison[]> {
  if (standardIds.length === 0) return [];
  const floor = await floorScoredItems(
    and(
      eq(qualityEvaluationTable.organizationId, organizationId),
      gte(qualityEvaluationTable.month, fromMonth),
      inArray(qualityScoreTable.standardId, [...standardIds]),
      teamId
        ? inArray(
            qualityEvaluationTable.repId,
            db
              .select({ id: membershipTable.userId })
              .from(membershipTable)
              .where(and(eq(membershipTable.teamId, teamId), eq(membershipTable.kind, 'member'))),
          )
        : undefined,
    ),
    db,
  );
  const reps = [...new Set(floor.map((f) => f.repId))];
  const training = reps.length
    ? await db
        .select({
          userId: standardResultTable.userId,
          standardId: standardResultTable.standardId,
          ok: sql<number>`sum(${standardResultTable.ok})`.mapWith(Number),
          n: count(),
        })
        .from(standardResultTable)
        .where(
          and(inArray(standardResultTable.userId, reps), inArray(standardResultTable.standardId, [...standardIds])),
        )
        .groupBy(standardResultTable.userId, standardResultTable.standardId)
    : [];
  return trainingVersusFloor(training, floor, standardIds, floorPercent);
}
