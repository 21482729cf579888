/**
 * xAPI statements for GET /api/xapi/statements and `npm run export:xapi`: pages of the frozen statements
 * (`xapi_statement`, see freeze.server.ts) in the order they were stored, scoped to an organization and, for a
 * manager or a team-scoped LRS credential, to the members of some teams.
 */
import { and, asc, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import { getDb } from '../../../../db/client';
import { xapiStatementTable } from '../../../../db/schema';
import { memberIdsOf, visibleTeam, visibleTeams, type Viewer } from '../../../lib/server/team-scope';
import type { Position } from './cursor';
import type { Statement } from './schema';

/** Whose statements: an organization, narrowed to some people (a team's members) when `userIds` is set. */
export interface XapiScope {
  organizationId: string;
  userIds?: readonly string[];
}

export interface PageRequest {
  from?: Position | undefined;
  /** Only statements stored after this instant (ms), exclusive. */
  since?: number | undefined;
  limit: number;
}

export interface StatementPage {
  /** Each with `stored`, the time it was stored (an LRS's own field; not part of what is pushed). */
  statements: (Statement & { stored: string })[];
  next: Position | undefined;
}

/** One page of statements after `req.from`, at most `req.limit`. */
export async function statementPage(scope: XapiScope, req: PageRequest): Promise<StatementPage> {
  if (scope.userIds && scope.userIds.length === 0) return { statements: [], next: undefined };
  const t = xapiStatementTable;
  const after: SQL | undefined = req.from
    ? or(gt(t.storedAt, req.from.s), and(eq(t.storedAt, req.from.s), gt(t.seq, req.from.q)))
    : undefined;
  const rows = await getDb()
    .select({ seq: t.seq, statement: t.statement, storedAt: t.storedAt })
    .from(t)
    .where(
      and(
        eq(t.organizationId, scope.organizationId),
        scope.userIds ? inArray(t.userId, [...scope.userIds]) : undefined,
        req.since === undefined ? undefined : gt(t.storedAt, req.since),
        after,
      ),
    )
    .orderBy(asc(t.storedAt), asc(t.seq))
    .limit(req.limit + 1);
  const page = rows.slice(0, req.limit);
  const last = page.at(-1);
  return {
    statements: page.map((r) => ({ ...(r.statement as Statement), stored: new Date(r.storedAt).toISOString() })),
    next: rows.length > req.limit && last ? { s: last.storedAt, q: last.seq } : undefined,
  };
}

/**
 * Whose statements a viewer may export: an admin, their organization (or one of its teams); a manager, the members
 * of the teams they manage (or one of them). Undefined: not allowed (another team, or not staff).
 */
export async function xapiScopeFor(viewer: Viewer, teamId?: string): Promise<XapiScope | undefined> {
  if (teamId) {
    const team = await visibleTeam(viewer, teamId);
    return team && { organizationId: viewer.organizationId, userIds: await memberIdsOf([team.id]) };
  }
  if (viewer.role === 'admin') return { organizationId: viewer.organizationId };
  if (viewer.role !== 'manager') return undefined;
  const teams = await visibleTeams(viewer);
  return { organizationId: viewer.organizationId, userIds: await memberIdsOf(teams.map((t) => t.id)) };
}
