/**
 * The query of GET /api/xapi/statements, pure. Statements are read in the order they were stored (stored time,
 * then the storing sequence); a page's `more` link carries the position after its last statement as an opaque
 * cursor (base64url JSON, checked on the way in). `since` keeps statements stored strictly after that instant, as
 * an LRS's `since` does.
 */
import { z } from 'zod';

export interface Position {
  /** stored_at of the last statement sent (ms). */
  s: number;
  /** Its seq. */
  q: number;
}

const positionSchema = z.strictObject({ s: z.number().int().min(0), q: z.number().int().min(0) });

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
}

/** The position in a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): Position | undefined {
  try {
    return positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export type StatementQuery =
  | { ok: true; limit: number; from: Position | undefined; since: number | undefined; team: string | undefined }
  | { ok: false; error: string };

/**
 * `limit` (0 or absent as in xAPI: 0 means the server's maximum, 500; absent, 100), `cursor` (from `more`), `since`
 * (ISO 8601 with a time zone), `team`.
 */
export function parseStatementQuery(params: URLSearchParams): StatementQuery {
  const limitText = params.get('limit');
  const asked = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(asked) || asked < 0) {
    return { ok: false, error: `limit must be a whole number, 0 for the server's maximum (${MAX_PAGE_SIZE}).` };
  }
  const limit = asked === 0 ? MAX_PAGE_SIZE : Math.min(asked, MAX_PAGE_SIZE);
  const cursor = params.get('cursor');
  const from = cursor ? decodeCursor(cursor) : undefined;
  if (cursor && !from)
    return { ok: false, error: 'cursor is not valid: use the `more` link of the previous page as it is.' };
  const sinceText = params.get('since');
  let since: number | undefined;
  if (sinceText) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(sinceText);
    if (!parsed.success)
      return { ok: false, error: 'since must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T00:00:00Z.' };
    since = Date.parse(sinceText);
  }
  const team = params.get('team') || undefined;
  return { ok: true, limit, from, since, team };
}
