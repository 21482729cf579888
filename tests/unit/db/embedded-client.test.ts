/**
 * db/embedded-client.ts against @libsql/client: the same statements through both, on two copies of one schema,
 * must return the same results and the same errors. Then what only the embedded client does: keeping prepared
 * statements, and noticing schema changes (its own and another connection's).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClient,
  LibsqlBatchError,
  LibsqlError,
  type Client,
  type InStatement,
  type ResultSet,
} from '@libsql/client';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { embeddedPath, openEmbeddedClient, STATEMENT_CACHE } from '../../../db/embedded-client';

const SCHEMA = `
  CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, price REAL, data BLOB, flag INTEGER, at INTEGER);
  CREATE TABLE tag (item_id INTEGER NOT NULL REFERENCES item(id), label TEXT NOT NULL);
`;

let dir: string;
let ours: Client;
let theirs: Client;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fa-embedded-'));
  ours = openEmbeddedClient(`file:${join(dir, 'ours.db')}`, { timeout: 1000 });
  theirs = createClient({ url: `file:${join(dir, 'theirs.db')}`, timeout: 1000 });
  await ours.executeMultiple(SCHEMA);
  await theirs.executeMultiple(SCHEMA);
});

afterEach(() => {
  ours.close();
  theirs.close();
  vi.restoreAllMocks();
});

/** Everything a caller can observe of a result set. */
function observed(rs: ResultSet) {
  return {
    columns: rs.columns,
    columnTypes: rs.columnTypes,
    rowsAffected: rs.rowsAffected,
    lastInsertRowid: rs.lastInsertRowid,
    keys: rs.rows.map((r) => Object.keys(r)),
    spread: rs.rows.map((r) => ({ ...r })),
    byIndex: rs.rows.map((r) => Array.prototype.slice.call(r)),
    length: rs.rows.map((r) => r.length),
    json: JSON.stringify(rs.rows),
    toJSON: JSON.stringify(rs),
  };
}

async function outcome(client: Client, stmt: InStatement) {
  try {
    return { ok: observed(await client.execute(stmt)) };
  } catch (e) {
    const err = e as LibsqlError;
    return {
      error: {
        type: err.constructor.name,
        libsql: e instanceof LibsqlError,
        message: err.message,
        code: err.code,
        extendedCode: err.extendedCode,
        rawCode: err.rawCode,
      },
    };
  }
}

async function same(stmt: InStatement) {
  const [a, b] = [await outcome(ours, stmt), await outcome(theirs, stmt)];
  expect(a).toEqual(b);
  return a;
}

describe('the embedded client answers as @libsql/client does', () => {
  it('for writes and reads of every value type, with positional and named arguments', async () => {
    const writes: InStatement[] = [
      {
        sql: 'INSERT INTO item (name, price, data, flag, at) VALUES (?, ?, ?, ?, ?)',
        args: ['a', 1.5, new Uint8Array([1, 2, 3]), true, new Date(1_700_000_000_000)],
      },
      {
        sql: 'INSERT INTO item (name, price, data, flag, at) VALUES (:n, @p, $d, :f, :t)',
        args: { n: 'b', p: null, d: null, f: false, t: 9_007_199_254_740_991 },
      },
      { sql: 'INSERT INTO item (name) VALUES (?), (?)', args: ['c', 'd'] },
      { sql: "UPDATE item SET price = 2 WHERE name IN ('c', 'd')" },
      { sql: "DELETE FROM item WHERE name = 'nothing'" },
    ];
    for (const w of writes) expect((await same(w)).ok?.rowsAffected).toBeGreaterThanOrEqual(0);
    const read = await same('SELECT * FROM item ORDER BY id');
    expect(read.ok?.spread).toHaveLength(4);
    await same({ sql: 'SELECT name, price * 2 AS double, length(data) AS n FROM item WHERE id > ?', args: [1] });
    await same('SELECT count(*) FROM item');
    await same("INSERT INTO item (name) VALUES ('e') RETURNING id, name");
    await same('SELECT 1, 2 AS a, 3 AS a, 4 AS length, 5 AS "0"');
    await same('SELECT * FROM item WHERE 0');
  });

  it('for integers beyond 2^53, non-finite numbers and undefined', async () => {
    await same("INSERT INTO item (name, at) VALUES ('big', 9007199254740993)");
    expect((await same('SELECT at FROM item')).error?.message).toMatch(/cannot be safely represented/);
    expect((await same({ sql: 'SELECT ?', args: [Number.NaN] })).error?.type).toBe('RangeError');
    expect((await same({ sql: 'SELECT ?', args: [undefined as unknown as null] })).error?.type).toBe('TypeError');
  });

  it('for SQL errors and constraint failures, and the same statement works again afterwards', async () => {
    await same("INSERT INTO item (name) VALUES ('x')");
    const dup = await same("INSERT INTO item (name) VALUES ('x')");
    expect(dup.error).toMatchObject({
      libsql: true,
      code: 'SQLITE_CONSTRAINT',
      extendedCode: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect((await same("INSERT INTO tag (item_id, label) VALUES (99, 'y')")).error?.extendedCode).toBe(
      'SQLITE_CONSTRAINT_FOREIGNKEY',
    );
    expect((await same('SELECT nope FROM item')).error?.code).toBe('SQLITE_ERROR');
    expect((await same({ sql: 'INSERT INTO item (name) VALUES (?)', args: ['x2'] })).ok?.rowsAffected).toBe(1);
    expect((await same({ sql: 'INSERT INTO item (name) VALUES (?)', args: ['x2'] })).error?.code).toBe(
      'SQLITE_CONSTRAINT',
    );
    expect((await same({ sql: 'INSERT INTO item (name) VALUES (?)', args: ['x3'] })).ok?.rowsAffected).toBe(1);
  });

  it("for a kept statement run again with fewer positional arguments (NULL, not the last run's values)", async () => {
    await same("INSERT INTO item (name, price) VALUES ('alice', 1), ('bob', 2)");
    const q = 'SELECT name FROM item WHERE name = ?';
    expect((await same({ sql: q, args: ['alice'] })).ok?.byIndex).toEqual([['alice']]);
    expect((await same({ sql: q, args: [] })).ok?.byIndex).toEqual([]);
    expect((await same(q)).ok?.byIndex).toEqual([]);
    await same({ sql: 'UPDATE item SET price = ? WHERE name = ?', args: [5, 'bob'] });
    expect((await same({ sql: 'UPDATE item SET price = ? WHERE name = ?', args: [6] })).ok?.rowsAffected).toBe(0);
    await same('SELECT name, price FROM item ORDER BY name');
  });

  it('for odd column names: __proto__ (also NULL), duplicates, indexes, length', async () => {
    await same('SELECT 1 AS "__proto__", 2 AS b');
    await same('SELECT NULL AS "__proto__", 2 AS b');
    await same('SELECT 1 AS constructor, 2 AS toString, 3 AS hasOwnProperty');
  });

  it('for null arguments, empty statements and out-of-range bigints', async () => {
    // execute(sql, null): @libsql/client reads it as no arguments (given as { sql, args: null } it aborts the process).
    const [a, b] = [
      await ours.execute('SELECT ? AS a', null as never),
      await theirs.execute('SELECT ? AS a', null as never),
    ];
    expect(observed(a)).toEqual(observed(b));
    expect(observed(await ours.execute({ sql: 'SELECT ? AS a', args: null as never }))).toEqual(observed(b));
    await same(' ');
    expect((await same({ sql: 'SELECT ?', args: [2n ** 64n] })).error?.type).toBe('RangeError');
    await expect(ours.sync()).rejects.toMatchObject({ code: 'SYNC_NOT_SUPPORTED' });
  });

  it("with each result's column list its own (changing one changes no later result)", async () => {
    await same("INSERT INTO item (id, name) VALUES (2, 'z')");
    for (const client of [ours, theirs]) (await client.execute('SELECT id, name FROM item')).columns.reverse();
    expect((await same('SELECT id, name FROM item')).ok?.spread).toEqual([{ id: 2, name: 'z' }]);
  });

  it('for batches: all or nothing, with the failing statement named', async () => {
    const stmts: InStatement[] = ["INSERT INTO item (name) VALUES ('p')", "INSERT INTO item (name) VALUES ('p')"];
    for (const client of [ours, theirs]) {
      const err = await client.batch(stmts, 'write').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LibsqlBatchError);
      expect((err as LibsqlBatchError).statementIndex).toBe(1);
      expect(
        (await client.batch(["INSERT INTO item (name) VALUES ('q')", 'SELECT name FROM item'])).map(
          (r) => r.rows.length,
        ),
      ).toEqual([0, 1]);
    }
    await same('SELECT name FROM item');
  });

  it('for migrations, which run with foreign keys off and leave them on', async () => {
    const stmts: InStatement[] = ["INSERT INTO tag (item_id, label) VALUES (7, 'orphan')", 'DELETE FROM tag'];
    expect((await ours.migrate(stmts)).length).toBe(2);
    expect((await theirs.migrate(stmts)).length).toBe(2);
    expect((await same('PRAGMA foreign_keys')).ok?.byIndex).toEqual([[1]]);
  });
});

describe('the shared connection', () => {
  it('is replaced when a rollback fails, so a later write is refused instead of acknowledged and then lost', async () => {
    const exec = Database.prototype.exec;
    let fail = 1;
    vi.spyOn(Database.prototype, 'exec').mockImplementation(function (
      this: InstanceType<typeof Database>,
      sql: string,
    ) {
      if (sql === 'ROLLBACK' && fail-- > 0) throw new Error('injected rollback failure');
      return exec.call(this, sql);
    });
    await ours.execute('BEGIN IMMEDIATE');
    // The old connection keeps its lock until SQLite can free it (libsql cannot finalize statements), so the new
    // one waits out the busy timeout and says so. Before, the write ran inside the leftover transaction, resolved,
    // and was rolled back by the next statement's clean-up.
    await expect(ours.execute("INSERT INTO item (name) VALUES ('lost?')")).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
  });

  it('keeps foreign keys on for anything queued behind a migration', async () => {
    const migrated = ours.migrate(["INSERT INTO item (id, name) VALUES (1, 'm')"]);
    const orphan = ours.execute("INSERT INTO tag (item_id, label) VALUES (99, 'orphan')");
    expect(await migrated).toHaveLength(1);
    await expect(orphan).rejects.toMatchObject({ extendedCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
  });
});

describe('writes while this process holds the write lock', () => {
  const tick = () => new Promise((r) => setTimeout(r, 20));

  it('wait for the open write transaction without blocking the event loop, then run; reads do not wait', async () => {
    const tx = await ours.transaction('write');
    await tx.execute("INSERT INTO item (name) VALUES ('in-tx')");
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    const outside = ours.execute("INSERT INTO item (name) VALUES ('outside')");
    const secondTx = ours.transaction('write');
    expect((await ours.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(0);
    await tick();
    // Before, the outside write slept in SQLite's busy handler on this thread: no timer ran until it gave up.
    expect(ticked).toBe(true);
    await tx.commit();
    expect((await outside).rowsAffected).toBe(1);
    const second = await secondTx;
    await second.execute("INSERT INTO item (name) VALUES ('second')");
    await second.commit();
    expect((await ours.execute('SELECT name FROM item ORDER BY id')).rows.map((r) => r.name)).toEqual([
      'in-tx',
      'outside',
      'second',
    ]);
  });

  it('give up with SQLITE_BUSY after the busy timeout, and a closed client releases its waiters', async () => {
    const quick = openEmbeddedClient(`file:${join(dir, 'ours.db')}`, { timeout: 100 });
    const tx = await quick.transaction('write');
    await expect(quick.execute("INSERT INTO item (name) VALUES ('late')")).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
    await expect(quick.batch(["INSERT INTO item (name) VALUES ('late')"])).rejects.toMatchObject({
      code: 'SQLITE_BUSY',
    });
    const waiting = quick.execute("INSERT INTO item (name) VALUES ('never')");
    quick.close();
    await expect(waiting).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(tx.closed).toBe(true);
    expect((await ours.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(0);
  });
});

describe('defects of the embedded client, reproduced', () => {
  it('takes a write with RETURNING for a write: it waits for the open transaction instead of sleeping in the busy handler', async () => {
    await ours.execute("INSERT INTO item (name) VALUES ('a'), ('b')");
    const tx = await ours.transaction('write');
    await tx.execute("INSERT INTO item (name) VALUES ('in-tx')");
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    // As ending sessions does: DELETE … RETURNING. Taken for a read, it ran at once, slept on this thread for the
    // whole busy timeout and failed with SQLITE_BUSY; the transaction could not commit meanwhile.
    const deleted = ours.execute("DELETE FROM item WHERE name = 'a' RETURNING name");
    await new Promise((r) => setTimeout(r, 20));
    expect(ticked).toBe(true);
    await tx.commit();
    expect((await deleted).rows.map((r) => r.name)).toEqual(['a']);
    expect((await ours.execute('SELECT name FROM item ORDER BY id')).rows.map((r) => r.name)).toEqual(['b', 'in-tx']);
  });

  it('after SQLITE_BUSY caused by another process, sees what it committed and runs batches again (libsql-js#228)', async () => {
    const quick = openEmbeddedClient(`file:${join(dir, 'ours.db')}`, { timeout: 100 });
    // Another process's connection (another libSQL connection to the same file behaves the same to SQLite).
    const other = new Database(join(dir, 'ours.db'));
    try {
      await quick.execute("INSERT INTO item (name) VALUES ('1'), ('2'), ('3')");
      other.exec('BEGIN IMMEDIATE');
      await expect(quick.execute("INSERT INTO item (name) VALUES ('mine')")).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      });
      await expect(quick.execute("DELETE FROM item WHERE name = '1' RETURNING id")).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      });
      other.exec("INSERT INTO item (name) VALUES ('4'); COMMIT");
      // The failed statements were left un-reset: the connection kept them in progress (and its old snapshot).
      expect((await quick.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(4);
      await quick.batch(["INSERT INTO item (name) VALUES ('5')"], 'write');
      await quick.execute("INSERT INTO item (name) VALUES ('mine')");
      expect((await quick.execute('SELECT name FROM item ORDER BY id')).rows.map((r) => r.name)).toEqual([
        '1',
        '2',
        '3',
        '4',
        '5',
        'mine',
      ]);
    } finally {
      other.close();
      quick.close();
    }
  });
});

describe('embedded transactions', () => {
  it('keep their writes from other readers until COMMIT, and ROLLBACK drops them', async () => {
    const tx = await ours.transaction('write');
    await tx.execute("INSERT INTO item (name) VALUES ('in-tx')");
    expect((await tx.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(1);
    expect((await ours.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(0);
    await tx.commit();
    expect(tx.closed).toBe(true);
    expect((await ours.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(1);
    await expect(tx.execute('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });

    const dropped = await ours.transaction('write');
    await dropped.batch(["INSERT INTO item (name) VALUES ('gone')", 'UPDATE item SET price = 3']);
    await dropped.rollback();
    expect((await ours.execute('SELECT name, price FROM item')).rows.map((r) => ({ ...r }))).toEqual([
      { name: 'in-tx', price: null },
    ]);
  });

  it('give their connection back rolled back when closed, and a closed client refuses work until reconnected', async () => {
    const tx = await ours.transaction('write');
    await tx.execute("INSERT INTO item (name) VALUES ('left-open')");
    tx.close();
    const next = await ours.transaction('write');
    expect((await next.execute('SELECT count(*) AS n FROM item')).rows[0]!.n).toBe(0);
    await next.commit();

    // Left open, this would hold the write lock and the next transaction would wait out the busy timeout.
    await ours.execute('BEGIN IMMEDIATE');
    const after = await ours.transaction('write');
    expect(after.closed).toBe(false);
    after.close();

    ours.close();
    expect(ours.closed).toBe(true);
    await expect(ours.execute('SELECT 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(ours.transaction()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    ours.reconnect();
    expect((await ours.execute('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });
});

describe('kept statements', () => {
  it('are prepared once per connection and text', async () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    for (let i = 0; i < 5; i++) await ours.execute({ sql: 'INSERT INTO item (name) VALUES (?)', args: [`n${i}`] });
    for (let i = 0; i < 5; i++) await ours.execute({ sql: 'SELECT name FROM item WHERE name = ?', args: [`n${i}`] });
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([
      'INSERT INTO item (name) VALUES (?)',
      'SELECT name FROM item WHERE name = ?',
    ]);
  });

  it('stay correct past the cache size, when older ones are dropped', async () => {
    for (let i = 0; i < STATEMENT_CACHE + 20; i++) expect((await ours.execute(`SELECT ${i} AS v`)).rows[0]!.v).toBe(i);
    expect((await ours.execute('SELECT 0 AS v')).rows[0]!.v).toBe(0);
  });

  it('see a schema change made here, by executeMultiple, or by another connection', async () => {
    await ours.execute("INSERT INTO item (name) VALUES ('a')");
    expect(Object.keys((await ours.execute('SELECT * FROM tag')).rows[0] ?? {})).toEqual([]);
    await ours.execute("INSERT INTO tag (item_id, label) VALUES (1, 'x')");
    expect((await ours.execute('SELECT * FROM tag')).columns).toEqual(['item_id', 'label']);

    await ours.execute('ALTER TABLE tag ADD COLUMN colour TEXT');
    expect((await ours.execute('SELECT * FROM tag')).columns).toEqual(['item_id', 'label', 'colour']);

    await ours.executeMultiple('ALTER TABLE tag ADD COLUMN size INTEGER; UPDATE tag SET size = 3;');
    expect({ ...(await ours.execute('SELECT * FROM tag')).rows[0] }).toEqual({
      item_id: 1,
      label: 'x',
      colour: null,
      size: 3,
    });

    // Renamed inside a transaction while another connection reads the old schema: the names follow the commit.
    const tx = await ours.transaction('write');
    await tx.execute('ALTER TABLE tag RENAME COLUMN colour TO color');
    expect((await ours.execute('SELECT * FROM tag')).columns).toContain('colour');
    await tx.commit();
    expect((await ours.execute('SELECT * FROM tag')).columns).toEqual(['item_id', 'label', 'color', 'size']);

    const other = new Database(join(dir, 'ours.db'));
    other.exec("ALTER TABLE tag ADD COLUMN note TEXT DEFAULT 'hi'");
    other.close();
    expect({ ...(await ours.execute('SELECT * FROM tag')).rows[0] }).toEqual({
      item_id: 1,
      label: 'x',
      color: null,
      size: 3,
      note: 'hi',
    });

    // Same width, other names, changed by another connection.
    const third = new Database(join(dir, 'ours.db'));
    third.exec('DROP TABLE tag; CREATE TABLE tag (a, b, c, d, e); INSERT INTO tag VALUES (1, 2, 3, 4, 5)');
    third.close();
    expect({ ...(await ours.execute('SELECT * FROM tag')).rows[0] }).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 5 });
  });
});

describe('embeddedPath', () => {
  it('reads relative, absolute and localhost file URLs', () => {
    expect(embeddedPath('file:data/frontline.db')).toBe('data/frontline.db');
    expect(embeddedPath('file:/srv/a.db')).toBe('/srv/a.db');
    expect(embeddedPath('file:///srv/a%20b.db')).toBe('/srv/a b.db');
    expect(embeddedPath('file://localhost/srv/a.db')).toBe('/srv/a.db');
  });

  it('refuses what it would open wrongly, with a reason', () => {
    expect(() => embeddedPath('file://example.com/a.db')).toThrow(/Invalid host/);
    expect(() => embeddedPath('file:a.db?mode=ro')).toThrow(/no query/);
    expect(() => embeddedPath('file::memory:')).toThrow(/in-memory/);
    expect(() => embeddedPath('libsql://db.example.com')).toThrow(/Not a file/);
  });
});
