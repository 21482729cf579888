/**
 * The admin overview: one line per team of the organization, a page at a time (by team name). For a page of teams
 * it reads their members, and those members' assignment and certificate rows, through the membership and per-user
 * indexes — so the cost is one page's worth of people however large the organization is.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { membershipTable, teamTable, userTable } from '../../../db/schema';
import { teamMembers, type TeamRef } from '../../lib/server/team-scope';
import { assignmentFacts, certificateFacts } from '../assignments/assignments.server';
import { pendingUpdates } from '../certification/certification.server';
import { computeStandings, summarizeTeam, type TeamSummary } from '../progress/status';

export const OVERVIEW_PAGE_SIZE = 25;

export interface OverviewLine {
  team: TeamRef;
  managers: string[];
  people: number;
  summary: TeamSummary;
}

export interface OverviewPage {
  lines: OverviewLine[];
  page: number;
  pages: number;
  teams: number;
}

export async function organizationOverview(
  organizationId: string,
  page: number,
  at: number,
  pageSize = OVERVIEW_PAGE_SIZE,
): Promise<OverviewPage> {
  const db = getDb();
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(teamTable)
    .where(eq(teamTable.organizationId, organizationId));
  const pages = Math.max(1, Math.ceil(n / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const teams = await db
    .select({ id: teamTable.id, name: teamTable.name })
    .from(teamTable)
    .where(eq(teamTable.organizationId, organizationId))
    .orderBy(asc(teamTable.name), asc(teamTable.id))
    .limit(pageSize)
    .offset((current - 1) * pageSize);
  const teamIds = teams.map((t) => t.id);
  const [members, managers] = await Promise.all([
    teamMembers(teamIds),
    teamIds.length === 0
      ? []
      : db
          .select({ teamId: membershipTable.teamId, name: userTable.name })
          .from(membershipTable)
          .innerJoin(userTable, eq(userTable.id, membershipTable.userId))
          .where(
            and(
              inArray(membershipTable.teamId, teamIds),
              eq(membershipTable.kind, 'manager'),
              eq(userTable.active, true),
            ),
          )
          .orderBy(asc(userTable.name)),
  ]);
  const ids = members.map((m) => m.id);
  const [assignments, certificates, updates] = await Promise.all([
    assignmentFacts(ids),
    certificateFacts(ids),
    pendingUpdates(ids, at),
  ]);
  const teamOf = new Map(members.map((m) => [m.id, m.teamId]));
  const standings = computeStandings(assignments, certificates, at, updates);
  const lines = teams.map((team) => ({
    team,
    managers: managers.filter((m) => m.teamId === team.id).map((m) => m.name),
    people: members.filter((m) => m.teamId === team.id).length,
    summary: summarizeTeam(standings.filter((s) => teamOf.get(s.userId) === team.id)),
  }));
  return { lines, page: current, pages, teams: n };
}
