/**
 * GET /team/export.csv?team=<id>: the team table as CSV (one record per person and assigned track), for the same
 * people who may see the team on /team. Another team's id is a 403, never an empty file.
 */
import type { APIRoute } from 'astro';
import { csvDownloadHeaders, recordsToCsv } from '../../features/reports/csv';
import { teamCsvColumns, teamCsvRows } from '../../features/reports/team';
import { loadTeamPeople } from '../../features/reports/team.server';
import { now } from '../../lib/server/clock';
import { isoDateIn } from '../../lib/format';
import { teamMembers, visibleTeam } from '../../lib/server/team-scope';
import { SIGN_IN_FIRST } from '../../lib/refusal';

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export const GET: APIRoute = async ({ locals, url }) => {
  const viewer = locals.user;
  if (!viewer) return text(SIGN_IN_FIRST, 401);
  const teamId = url.searchParams.get('team');
  if (!teamId) return text('Say which team: /team/export.csv?team=<team id>.', 400);
  const team = await visibleTeam(viewer, teamId);
  if (!team) return text('You may not export this team.', 403);
  const at = now();
  const { people } = await loadTeamPeople(await teamMembers([team.id]), at);
  // Named by the reader's calendar day: late evening in New York is already tomorrow in UTC.
  const date = isoDateIn(at);
  return new Response(recordsToCsv(teamCsvColumns, teamCsvRows(team.name, people)), {
    headers: csvDownloadHeaders(`${team.name} training ${date}.csv`),
  });
};
