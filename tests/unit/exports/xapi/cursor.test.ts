import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, decodeCursor, encodeCursor, parseStatementQuery } from '~/features/exports/xapi/cursor';

const parse = (q: string) => parseStatementQuery(new URLSearchParams(q));

describe('cursor', () => {
  it('round-trips a position and refuses anything else', () => {
    const p = { s: 1_780_000_000_000, q: 42 };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor('abc')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ s: 1, q: -1 })).toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ s: 1, q: 1, x: 2 })).toString('base64url'))).toBeUndefined();
  });
});

describe('parseStatementQuery', () => {
  it('reads limit as xAPI does: absent 100, 0 the server maximum, more than the maximum capped', () => {
    expect(parse('')).toMatchObject({ ok: true, limit: 100, from: undefined, since: undefined, team: undefined });
    expect(parse('limit=0')).toMatchObject({ ok: true, limit: MAX_PAGE_SIZE });
    expect(parse('limit=7')).toMatchObject({ ok: true, limit: 7 });
    expect(parse('limit=5000')).toMatchObject({ ok: true, limit: MAX_PAGE_SIZE });
    expect(parse('limit=-1')).toMatchObject({ ok: false });
    expect(parse('limit=2.5')).toMatchObject({ ok: false });
  });

  it('reads since as an instant with a time zone, and a cursor only of ours', () => {
    expect(parse('since=2026-01-31T00:00:00Z')).toMatchObject({ ok: true, since: Date.UTC(2026, 0, 31) });
    expect(parse('since=2026-01-31T01:00:00%2B01:00')).toMatchObject({ ok: true, since: Date.UTC(2026, 0, 31) });
    expect(parse('since=yesterday')).toMatchObject({ ok: false, error: expect.stringMatching(/since/) });
    expect(parse('since=2026-01-31T00:00:00')).toMatchObject({ ok: false });
    expect(parse('cursor=abc')).toMatchObject({ ok: false, error: expect.stringMatching(/cursor/) });
    expect(parse(`cursor=${encodeCursor({ s: 5, q: 6 })}&team=t1`)).toMatchObject({
      ok: true,
      from: { s: 5, q: 6 },
      team: 't1',
    });
  });
});
