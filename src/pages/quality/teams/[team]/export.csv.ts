/**
 * GET /quality/teams/<team>/export.csv?month=YYYY-MM: every scored item of the team's submitted evaluations of the
 * month, one record each, for those who evaluate the team (anyone else: 404, as on the team's pages).
 */
import type { APIRoute } from 'astro';
import { csvDownloadHeaders, recordsToCsv, type CsvColumn } from '~/features/reports/csv';
import { canEvaluateTeam } from '~/features/quality/quality.server';
import { monthOf } from '~/features/quality/quality';
import { teamMonthScores, type ScoreExportRow } from '~/features/quality/team.server';
import { now } from '~/lib/server/clock';

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

type Row = ScoreExportRow & { evaluatorName: string };
const columns: CsvColumn<Row>[] = [
  { header: 'Contact date', value: (r) => r.contactDate },
  { header: 'Reference', value: (r) => r.reference },
  { header: 'Channel', value: (r) => r.channel },
  { header: 'Rep', value: (r) => r.repName },
  { header: 'Scored by', value: (r) => r.evaluatorName },
  { header: 'Kind', value: (r) => (r.kind === 'agreed' ? 'agreed in calibration' : 'evaluation') },
  { header: 'Evaluation score %', value: (r) => r.score },
  { header: 'Acknowledged', value: (r) => (r.acknowledgedAt ? new Date(r.acknowledgedAt) : null) },
  { header: 'Item', value: (r) => r.itemKey },
  { header: 'Standard', value: (r) => r.standardId },
  { header: 'Value', value: (r) => r.value },
  { header: 'Comment', value: (r) => r.comment },
];

export const GET: APIRoute = async ({ locals, params, url }) => {
  const viewer = locals.user;
  if (!viewer) return text('Sign in first.', 401);
  const teamId = params.team ?? '';
  if (!(await canEvaluateTeam(viewer, teamId))) return text('No such team of yours.', 404);
  const asked = url.searchParams.get('month');
  if (asked !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(asked)) return text('Give the month as YYYY-MM.', 400);
  const month = asked ?? monthOf(now());
  return new Response(recordsToCsv(columns, await teamMonthScores(teamId, month)), {
    headers: csvDownloadHeaders(`quality ${month}.csv`),
  });
};
