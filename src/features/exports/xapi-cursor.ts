/**
 * Paging through xAPI statements. Statements come from immutable source records — a graded quiz attempt (its
 * passed/failed statement, then one `answered` per question), a certification event, a role-play run's end, a
 * role-play reply, a submitted calibration exercise — ordered by (time, source kind, id, seq). A position is a record key plus how many of that
 * record's statements were already sent, so a page can end in the middle of an attempt and the next page resumes
 * exactly there. The cursor the client sees is that position as base64url JSON: opaque, and checked on the way in.
 */
import { z } from 'zod';

/** Source kinds, in their tie-break order (new kinds go last, so cursors already handed out keep their meaning). */
export const recordKinds = ['attempt', 'certification', 'run', 'step', 'exercise'] as const;
export type RecordKind = (typeof recordKinds)[number];

export interface RecordKey {
  /** The record's time (ms): submission, event, run end, reply, exercise submission. */
  t: number;
  k: RecordKind;
  id: string;
  /** Orders several records under one id (a run's replies by step); 0 otherwise. */
  seq: number;
}

export interface Position extends RecordKey {
  /** Statements of this record already sent. */
  n: number;
}

const positionSchema = z.strictObject({
  t: z.number().int().min(0),
  k: z.enum(recordKinds),
  id: z.string().min(1).max(100),
  seq: z.number().int().min(0),
  n: z.number().int().min(0),
});

export function compareKeys(a: RecordKey, b: RecordKey): number {
  if (a.t !== b.t) return a.t - b.t;
  if (a.k !== b.k) return recordKinds.indexOf(a.k) - recordKinds.indexOf(b.k);
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.seq - b.seq;
}

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

export interface SourceRecord<S> {
  key: RecordKey;
  statements: S[];
}

/** How many records to fetch per source for a page of `limit` statements: one more, for the record the page resumes in. */
export const recordsPerSource = (limit: number) => limit + 1;

/**
 * One page from records of several sources, each fetched from `from` onwards (inclusive) in key order, at most
 * `recordsPerSource(limit)` records per source. Why one more than `limit`: a source that comes back full then holds
 * at least `limit` fresh records (only the one the page resumes in may be spent), so the page fills up before the
 * merge could pass that source's last record — no record of another source can jump ahead of one not fetched yet.
 * Skips the statements of the starting record already sent; `next` is undefined once no source came back full
 * and everything was sent.
 */
export function assemblePage<S>(
  sources: readonly SourceRecord<S>[][],
  from: Position | undefined,
  limit: number,
): { statements: S[]; next: Position | undefined } {
  const more = sources.some((s) => s.length >= recordsPerSource(limit));
  const merged = sources
    .flat()
    .filter((r) => !from || compareKeys(r.key, from) >= 0)
    .sort((a, b) => compareKeys(a.key, b.key));
  const statements: S[] = [];
  let last: Position | undefined = from;
  for (const record of merged) {
    const skip = from && compareKeys(record.key, from) === 0 ? from.n : 0;
    for (let i = skip; i < record.statements.length; i += 1) {
      if (statements.length === limit) return { statements, next: last };
      statements.push(record.statements[i]!);
      last = { ...record.key, n: i + 1 };
    }
  }
  return { statements, next: more ? last : undefined };
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export type StatementQuery =
  | { ok: true; limit: number; from: Position | undefined; since: number | undefined; team: string | undefined }
  | { ok: false; error: string };

/** The query string of GET /api/xapi/statements: `limit`, `cursor` (from `more`), `since` (ISO 8601), `team`. */
export function parseStatementQuery(params: URLSearchParams): StatementQuery {
  const limitText = params.get('limit');
  const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    return { ok: false, error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.` };
  }
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
