import { describe, expect, it } from 'vitest';
import {
  assemblePage,
  compareKeys,
  decodeCursor,
  encodeCursor,
  parseStatementQuery,
  recordsPerSource,
  type Position,
  type RecordKey,
  type SourceRecord,
} from '../../../src/features/exports/xapi-cursor';

const key = (t: number, k: RecordKey['k'], id: string, seq = 0): RecordKey => ({ t, k, id, seq });
const rec = (k: RecordKey, count: number): SourceRecord<string> => ({
  key: k,
  statements: Array.from({ length: count }, (_, i) => `${k.id}#${k.seq}.${i}`),
});

/** A fake source: all its records, fetched from a position the way the SQL does (inclusive, in order, limited). */
function fetch(records: SourceRecord<string>[], from: Position | undefined, limit: number) {
  return records
    .filter((r) => !from || compareKeys(r.key, from) >= 0)
    .sort((a, b) => compareKeys(a.key, b.key))
    .slice(0, recordsPerSource(limit));
}

function drain(sources: SourceRecord<string>[][], limit: number) {
  const out: string[] = [];
  let from: Position | undefined;
  for (let pages = 1; pages < 500; pages += 1) {
    const page = assemblePage(
      sources.map((s) => fetch(s, from, limit)),
      from,
      limit,
    );
    expect(page.statements.length).toBeLessThanOrEqual(limit);
    if (page.next) expect(page.statements.length).toBe(limit);
    out.push(...page.statements);
    if (!page.next) return out;
    from = decodeCursor(encodeCursor(page.next));
  }
  throw new Error('did not finish');
}

describe('cursor', () => {
  it('round-trips and rejects anything that is not one of ours', () => {
    const p: Position = { t: 5, k: 'step', id: 'run1', seq: 3, n: 0 };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ ...p, k: 'other' })).toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from(JSON.stringify({ ...p, extra: 1 })).toString('base64url'))).toBeUndefined();
  });

  it('orders by time, then kind, then id, then seq', () => {
    const keys = [
      key(2, 'attempt', 'a'),
      key(1, 'step', 'r', 2),
      key(1, 'step', 'r', 1),
      key(1, 'attempt', 'b'),
      key(1, 'certification', 'a'),
    ];
    expect([...keys].sort(compareKeys)).toEqual([
      key(1, 'attempt', 'b'),
      key(1, 'certification', 'a'),
      key(1, 'step', 'r', 1),
      key(1, 'step', 'r', 2),
      key(2, 'attempt', 'a'),
    ]);
  });
});

describe('assemblePage', () => {
  const attempts = [
    rec(key(1, 'attempt', 'a1'), 5),
    rec(key(2, 'attempt', 'a2'), 3),
    rec(key(3, 'attempt', 'a3'), 1),
    rec(key(4, 'attempt', 'a4'), 4),
  ];
  const events = [rec(key(2, 'certification', 'e1'), 1), rec(key(9, 'certification', 'e2'), 1)];
  const steps = [rec(key(2, 'step', 'r1', 0), 1), rec(key(2, 'step', 'r1', 1), 1), rec(key(3, 'step', 'r1', 2), 1)];
  const sources = [attempts, events, steps];
  const everything = sources
    .flat()
    .sort((a, b) => compareKeys(a.key, b.key))
    .flatMap((r) => r.statements);

  it('sends every statement once and in order, for any page size, with pages ending inside records', () => {
    for (const limit of [1, 2, 3, 4, 5, 7, 100]) expect(drain(sources, limit), `limit ${limit}`).toEqual(everything);
  });

  it('never lets a sparse source jump ahead of records a full source has not fetched yet', () => {
    const many = Array.from({ length: 12 }, (_, i) => rec(key(10 + i, 'attempt', `m${i}`), 1));
    const late = [rec(key(50, 'certification', 'late'), 1)];
    const page = assemblePage([fetch(many, undefined, 3), fetch(late, undefined, 3)], undefined, 3);
    expect(page.statements).toEqual(['m0#0.0', 'm1#0.0', 'm2#0.0']);
    expect(drain([many, late], 3).at(-1)).toBe('late#0.0');
  });

  it('has no next page once everything was sent', () => {
    expect(assemblePage([[rec(key(1, 'attempt', 'x'), 2)], []], undefined, 10)).toEqual({
      statements: ['x#0.0', 'x#0.1'],
      next: undefined,
    });
    expect(assemblePage([[], []], undefined, 10)).toEqual({ statements: [], next: undefined });
  });
});

describe('parseStatementQuery', () => {
  const parse = (q: string) => parseStatementQuery(new URLSearchParams(q));

  it('defaults to 100 statements from the start', () => {
    expect(parse('')).toEqual({ ok: true, limit: 100, from: undefined, since: undefined, team: undefined });
  });

  it('reads limit, cursor, since and team', () => {
    const cursor = encodeCursor({ t: 1, k: 'attempt', id: 'a', seq: 0, n: 2 });
    expect(parse(`limit=5&cursor=${cursor}&since=2026-01-31T00:00:00Z&team=t1`)).toEqual({
      ok: true,
      limit: 5,
      from: { t: 1, k: 'attempt', id: 'a', seq: 0, n: 2 },
      since: Date.UTC(2026, 0, 31),
      team: 't1',
    });
  });

  it('refuses bad values with a message', () => {
    expect(parse('limit=0')).toMatchObject({ ok: false, error: expect.stringMatching(/limit/) });
    expect(parse('limit=501')).toMatchObject({ ok: false });
    expect(parse('limit=2.5')).toMatchObject({ ok: false });
    expect(parse('cursor=abc')).toMatchObject({ ok: false, error: expect.stringMatching(/cursor/) });
    expect(parse('since=yesterday')).toMatchObject({ ok: false, error: expect.stringMatching(/since/) });
    expect(parse('since=2026-01-31T00:00:00')).toMatchObject({ ok: false });
  });
});
