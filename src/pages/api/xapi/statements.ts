/**
 * GET /api/xapi/statements — the organization's xAPI 1.0.3 statements as an LRS serves them (a StatementResult:
 * `statements` and a `more` link), in the order they were stored, each as frozen when its event happened
 * (src/features/exports/xapi/freeze.server.ts). Who may read:
 *   - a signed-in admin (the organization) or manager (the members of their teams), by browser session;
 *   - an LRS or reporting tool with an admin-made credential (HTTP Basic: key and secret, /admin/lrs-credentials),
 *     scoped to the organization or to some teams.
 * `team=<id>` narrows to one team the reader may see (another team is a 403). `limit` 1–500, 0 for the maximum,
 * default 100; `since` (ISO 8601) keeps statements stored after that instant; the opaque `cursor` comes from `more`.
 * Every answer, errors included, is JSON with `X-Experience-API-Version`; a 401 says how to authenticate.
 */
import type { APIRoute } from 'astro';
import { authenticateCredential, credentialScope } from '~/features/exports/lrs-credentials.server';
import { parseBasicAuth } from '~/features/exports/lrs-credentials';
import { freezeMissingStatements, contentLookup } from '~/features/exports/xapi/freeze.server';
import { encodeCursor, parseStatementQuery } from '~/features/exports/xapi/cursor';
import { statementPage, xapiScopeFor, type XapiScope } from '~/features/exports/xapi/xapi.server';
import { getDb } from '../../../../db/client';
import { listExercises, listQuizzes, listRoleplays, listTracks } from '~/lib/server/catalog';
import { now } from '~/lib/server/clock';

const XAPI_VERSION = '1.0.3';
const xapiHeaders = () => ({
  'X-Experience-API-Version': XAPI_VERSION,
  'X-Experience-API-Consistent-Through': new Date(now()).toISOString(),
  'Cache-Control': 'no-store',
});
const problem = (message: string, status: number, extra: Record<string, string> = {}) =>
  Response.json({ error: message }, { status, headers: { ...xapiHeaders(), ...extra } });
const challenge = { 'WWW-Authenticate': 'Basic realm="Frontline Academy xAPI", charset="UTF-8"' };

/** Records written before statements were frozen at their event (and the seeded demo history): once per process. */
let caughtUp: Promise<number> | undefined;
function catchUp(): Promise<number> {
  caughtUp ??= (async () => {
    const [quizzes, roleplays, tracks, exercises] = await Promise.all([
      listQuizzes(),
      listRoleplays(),
      listTracks(),
      listExercises(),
    ]);
    return freezeMissingStatements(getDb(), contentLookup({ quizzes, roleplays, tracks, exercises }), now());
  })().catch((error: unknown) => {
    caughtUp = undefined;
    throw error;
  });
  return caughtUp;
}

export const GET: APIRoute = async ({ locals, request, url }) => {
  const query = parseStatementQuery(url.searchParams);
  const authorization = request.headers.get('authorization');
  let scope: XapiScope | undefined;
  if (authorization) {
    const basic = parseBasicAuth(authorization);
    const credential = basic && (await authenticateCredential(basic.user, basic.password));
    if (!credential) return problem('These credentials are not valid (or were revoked).', 401, challenge);
    if (!query.ok) return problem(query.error, 400);
    scope = await credentialScope(credential, query.team);
    if (!scope) return problem('These credentials may not read this team.', 403);
  } else {
    const viewer = locals.user;
    if (!viewer) return problem('Sign in, or use an LRS credential (HTTP Basic).', 401, challenge);
    if (viewer.role !== 'admin' && viewer.role !== 'manager')
      return problem('Only admins and managers export statements.', 403);
    if (!query.ok) return problem(query.error, 400);
    scope = await xapiScopeFor(viewer, query.team);
    if (!scope) return problem('You may not export this team.', 403);
  }

  await catchUp();
  const page = await statementPage(scope, query);
  let more = '';
  if (page.next) {
    const params = new URLSearchParams({ limit: String(query.limit), cursor: encodeCursor(page.next) });
    if (query.since !== undefined) params.set('since', new Date(query.since).toISOString());
    if (query.team) params.set('team', query.team);
    more = `/api/xapi/statements?${params}`;
  }
  return Response.json({ statements: page.statements, more }, { headers: xapiHeaders() });
};
