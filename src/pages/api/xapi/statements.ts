/**
 * GET /api/xapi/statements — xAPI 1.0.3 statements (a StatementResult: `statements` and a `more` link) for every
 * graded quiz attempt and answer, role-play reply and ending, submitted calibration exercise, and certification event. Admins get their
 * organization, managers the members of their teams; `team=<id>` narrows to one team the viewer may see (another
 * team is a 403). Paged: `limit` (1–500, default 100) and the opaque `cursor` in `more`; `since` (ISO 8601) keeps
 * only records from then on.
 */
import type { APIRoute } from 'astro';
import { contentLookup, statementPage, xapiScopeFor } from '../../../features/exports/xapi.server';
import { encodeCursor, parseStatementQuery } from '../../../features/exports/xapi-cursor';
import { listExercises, listQuizzes, listRoleplays, listTracks } from '../../../lib/server/catalog';
import { siteBaseUrl } from '../../../lib/server/site';

const XAPI_VERSION = '1.0.3';
const problem = (message: string, status: number) =>
  Response.json({ error: message }, { status, headers: { 'X-Experience-API-Version': XAPI_VERSION } });

export const GET: APIRoute = async ({ locals, url }) => {
  const viewer = locals.user;
  if (!viewer) return problem('Sign in first.', 401);
  if (viewer.role !== 'admin' && viewer.role !== 'manager')
    return problem('Only admins and managers export statements.', 403);
  const query = parseStatementQuery(url.searchParams);
  if (!query.ok) return problem(query.error, 400);
  const scope = await xapiScopeFor(viewer, query.team);
  if (!scope) return problem('You may not export this team.', 403);

  const [quizzes, roleplays, tracks, exercises] = await Promise.all([listQuizzes(), listRoleplays(), listTracks(), listExercises()]);
  const site = { baseUrl: siteBaseUrl(url) };
  const page = await statementPage(site, contentLookup({ quizzes, roleplays, tracks, exercises }), scope, query);
  let more = '';
  if (page.next) {
    const params = new URLSearchParams({ limit: String(query.limit), cursor: encodeCursor(page.next) });
    if (query.since !== undefined) params.set('since', new Date(query.since).toISOString());
    if (query.team) params.set('team', query.team);
    more = `/api/xapi/statements?${params}`;
  }
  return Response.json(
    { statements: page.statements, more },
    { headers: { 'X-Experience-API-Version': XAPI_VERSION, 'Cache-Control': 'no-store' } },
  );
};
