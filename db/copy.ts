/**
 * Copies every row of one libSQL database into another with the same schema: `npm run db:move` (embedded file to
 * a libSQL server and back) and the demo seed on a server (built in a local file, then sent over).
 *
 * Tables go parents first (by their foreign keys), each read in rowid order a page at a time and written as
 * multi-row INSERTs. Each `client.batch` is one request and one short transaction on the server — no round trip
 * per statement inside it — so no transaction comes near sqld's 5-second limit however large the database is.
 * `fingerprint` hashes every row of every table in rowid order: equal fingerprints mean no row was lost or changed.
 */
import { createHash } from 'node:crypto';
import type { Client, InValue, Row } from '@libsql/client';

/** Rows per batch (one request, one transaction on the server). */
const ROWS_PER_BATCH = 2000;
/** Bound parameters per INSERT, well under SQLite's 32,766. */
const MAX_PARAMS = 30_000;

export interface CopyOptions {
  /** Tables not copied (e.g. drizzle's migration journal when the target is already migrated). */
  skip?: string[];
  /** One batch for everything: all or nothing, for small databases such as the demo. */
  atomic?: boolean;
  /** Statements run first in the atomic batch (e.g. emptying the target). */
  before?: string[];
  log?: (line: string) => void;
}

/**
 * Tables that triggers on the target write while the others are copied (item_tally, kept from quiz attempts and
 * answers): emptied once the rest is in, then copied from the source, so they hold exactly the source's rows.
 */
const DERIVED = ['item_tally'];

/** A table that refers to itself may hold a child before its parent within one batch: checked at its commit. */
const DEFER_FKS = 'PRAGMA defer_foreign_keys = ON';

/** Ordinary tables, parents before children. */
export async function tablesInOrder(client: Client): Promise<string[]> {
  const { rows } = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  );
  const names = rows.map((r) => String(r.name));
  const parents = new Map<string, Set<string>>();
  for (const name of names) {
    const fks = await client.execute(`PRAGMA foreign_key_list("${name}")`);
    parents.set(name, new Set(fks.rows.map((r) => String(r.table)).filter((t) => t !== name && names.includes(t))));
  }
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent, path);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

async function columnsOf(client: Client, table: string): Promise<string[]> {
  return (await client.execute(`PRAGMA table_info("${table}")`)).rows.map((r) => String(r.name));
}

const valuesOf = (row: Row, width: number): InValue[] => Array.from({ length: width }, (_, i) => row[i] as InValue);

/** Pages of a table's rows in rowid order (the values only, in `columns` order). */
async function* pages(client: Client, table: string, columns: string[]): AsyncGenerator<InValue[][]> {
  const list = columns.map((c) => `"${c}"`).join(',');
  let after: number | bigint = -(2n ** 63n);
  for (;;) {
    const { rows } = await client.execute({
      sql: `SELECT rowid, ${list} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${ROWS_PER_BATCH}`,
      args: [after],
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]![0] as number;
    yield rows.map((r) => valuesOf(r, columns.length + 1).slice(1));
    if (rows.length < ROWS_PER_BATCH) return;
  }
}

function inserts(table: string, columns: string[], rows: InValue[][]): Array<{ sql: string; args: InValue[] }> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const list = columns.map((c) => `"${c}"`).join(',');
  const out = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    out.push({
      sql: `INSERT INTO "${table}" (${list}) VALUES ${Array(chunk.length).fill(tuple).join(',')}`,
      args: chunk.flat(),
    });
  }
  return out;
}

/** Copies every row; the target's tables must exist and be empty. Returns rows copied per table. */
export async function copyRows(from: Client, to: Client, options: CopyOptions = {}): Promise<Record<string, number>> {
  const skip = new Set(options.skip ?? []);
  const copied: Record<string, number> = {};
  const pending: Array<{ sql: string; args: InValue[] }> = [];
  const tables = (await tablesInOrder(from)).filter((t) => !skip.has(t));
  const ordered = [...tables.filter((t) => !DERIVED.includes(t)), ...tables.filter((t) => DERIVED.includes(t))];
  for (const table of ordered) {
    const columns = await columnsOf(from, table);
    copied[table] = 0;
    if (DERIVED.includes(table)) {
      const empty = `DELETE FROM "${table}"`;
      if (options.atomic) pending.push({ sql: empty, args: [] });
      else await to.execute(empty);
    }
    for await (const rows of pages(from, table, columns)) {
      const stmts = inserts(table, columns, rows);
      copied[table] += rows.length;
      if (options.atomic) pending.push(...stmts);
      else await to.batch([DEFER_FKS, ...stmts], 'write');
    }
    options.log?.(`  ${table.padEnd(24)} ${copied[table]!.toLocaleString('en')}`);
  }
  if (options.atomic) await to.batch([DEFER_FKS, ...(options.before ?? []), ...pending], 'write');
  return copied;
}

/** Row count and a SHA-256 of every row (rowid order) per table. */
export async function fingerprint(
  client: Client,
  skip: string[] = [],
): Promise<Record<string, { rows: number; sha256: string }>> {
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const table of await tablesInOrder(client)) {
    if (skip.includes(table)) continue;
    const columns = await columnsOf(client, table);
    const hash = createHash('sha256');
    let rows = 0;
    for await (const page of pages(client, table, columns)) {
      for (const values of page)
        hash.update(
          JSON.stringify(values, (_, v) =>
            v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : typeof v === 'bigint' ? String(v) : v,
          ) + '\n',
        );
      rows += page.length;
    }
    out[table] = { rows, sha256: hash.digest('hex') };
  }
  return out;
}
