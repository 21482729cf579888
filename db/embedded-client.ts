/**
 * The libSQL client for the embedded database file: @libsql/client's `Client` interface, on the same `libsql`
 * engine @libsql/client itself uses for `file:` URLs, without its per-statement costs: @libsql/client prepares every
 * statement anew, probes each for rows by catching a thrown exception, reads the column list twice and builds every
 * row with an `Object.defineProperty` per column (the figures: docs/benchmarks.md, "Measurements behind the code").
 *
 * What differs from @libsql/client, on purpose:
 * - Each connection keeps its prepared statements (up to STATEMENT_CACHE, oldest dropped first), with whether the
 *   statement returns rows and its column names. A statement that changes the schema, `executeMultiple` and
 *   `migrate` empty every connection's cache, again once the transaction that ran them has ended; a `*` column
 *   list is read afresh on every run, so a table changed by another process cannot misname columns either (named
 *   columns are fixed by the SQL text). A kept statement run with fewer positional arguments than before gets
 *   NULL for the rest, as a fresh one would, not the previous values SQLite keeps bound.
 * - Rows are instances of a small class: column names are their own enumerable properties (as in @libsql/client),
 *   and indexes and `length` come from the prototype instead of hidden own properties. Object.keys, JSON, spreads
 *   and `Array.prototype.slice.call(row)` (drizzle's read) see the same as before.
 * - Statements outside a transaction share one connection (every call is synchronous underneath, so they cannot
 *   overlap); each open transaction has its own, taken from the idle ones.
 * - While one of its write transactions is open, a write outside it (or a second write transaction) waits for it
 *   without blocking, up to the busy timeout. @libsql/client hands it to SQLite's busy handler, which sleeps on
 *   this thread, so the open transaction could not finish until the wait ended in SQLITE_BUSY.
 * - A statement that writes and returns rows (`DELETE … RETURNING`) counts as a write: SQLite calls it a "reader"
 *   (it has columns), and taken for a read it skipped the wait above and slept in the busy handler.
 * - A connection on which a statement failed with SQLITE_BUSY or SQLITE_LOCKED (another process held the lock) is
 *   closed and replaced. SQLite leaves such a statement un-reset, still "in progress" on its connection (libsql-js
 *   #228; libsql has no reset or finalize): a kept statement kept that state, so later batches failed with "SQL
 *   statements in progress" and reads could stay on the old snapshot.
 * - No in-memory databases, embedded replicas or URL options: nothing here uses them, and each would need its own
 *   connection rules. `openEmbeddedClient` says so instead of opening something else.
 *
 * Integers come back as numbers and throw a RangeError beyond 2^53, values go in as @libsql/client converts them,
 * and errors are the same LibsqlError (code, extendedCode, rawCode, cause). tests/unit/db/embedded-client.test.ts
 * runs the same statements through both clients and compares what they return.
 */
import Database from 'libsql';
import { LibsqlBatchError, LibsqlError } from '@libsql/client';
import type {
  Client,
  InArgs,
  InStatement,
  InValue,
  ResultSet,
  Row,
  Transaction,
  TransactionMode,
  Value,
} from '@libsql/client';

type Conn = InstanceType<typeof Database>;
type Statement = ReturnType<Conn['prepare']>;
type SqlValue = null | string | number | bigint | Buffer | Uint8Array;

/** How long a write waits for this process's open write transaction when no busy timeout is given. */
const DEFAULT_WAIT_MS = 5000;

/** Distinct SQL texts are few (the query builder's); the cap only bounds what a stream of ad-hoc SQL can hold. */
export const STATEMENT_CACHE = 500;

const SCHEMA_CHANGE = /^\s*(create|drop|alter)\b/i;
/** Only INSERT/UPDATE/DELETE take RETURNING; a column that happens to be named so only makes a read wait. */
const RETURNING = /\breturning\b/i;
/** A `*` that is a column list (`SELECT *`, `t.*`), not `count(*)` or a product. */
const STAR_COLUMNS = /(^|[\s,.])\*\s*(,|from\b|$)/i;

interface Prepared {
  stmt: Statement;
  /** Returns rows (SQLite's "reader": also a write with RETURNING). */
  reader: boolean;
  /** Only reads: a reader without RETURNING. */
  readOnly: boolean;
  changesSchema: boolean;
  /** Selects `*` or `t.*`: its column names are read again on every run. */
  star: boolean;
  /** The most positional arguments any run has bound. */
  bound: number;
  columns: string[];
  columnTypes: string[];
  rowClass: RowClass;
}

interface Connection {
  db: Conn;
  statements: Map<string, Prepared>;
  /** The client's schema generation when this cache was last valid. */
  generation: number;
  /** Ran a schema change in its current transaction (or its last statement). */
  changedSchema: boolean;
  /** A statement failed with SQLITE_BUSY/LOCKED and is still in progress here: the connection must be replaced. */
  stuck: boolean;
}

export interface EmbeddedOptions {
  /** Busy timeout in ms, as @libsql/client's `timeout`. */
  timeout?: number;
}

/** Whether a DATABASE_URL names an embedded database file (`file:`) rather than a libSQL server. */
export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith('file:');
}

/** The file path of a `file:` URL, as @libsql/client reads it (`file:rel/path`, `file:/abs`, `file:///abs`). */
export function embeddedPath(url: string): string {
  if (!isEmbeddedUrl(url)) throw new LibsqlError(`Not a file: URL: ${url}`, 'URL_INVALID');
  let rest = url.slice('file:'.length);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = rest.slice(2, slash === -1 ? undefined : slash).toLowerCase();
    if (host !== '' && host !== 'localhost') {
      throw new LibsqlError(
        `Invalid host in file URL: ${JSON.stringify(host)}; an absolute path is file:/path or file:///path.`,
        'URL_INVALID',
      );
    }
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  if (/[?#]/.test(rest))
    throw new LibsqlError(
      'The embedded database URL takes no query or fragment; use DATABASE_URL for a server.',
      'URL_INVALID',
    );
  const path = decodeURIComponent(rest);
  if (path === '' || path === ':memory:') {
    throw new LibsqlError(
      'The embedded database must be a file: an in-memory one would be a separate, empty database on every connection.',
      'URL_INVALID',
    );
  }
  return path;
}

export function openEmbeddedClient(url: string, options: EmbeddedOptions = {}): Client {
  return new EmbeddedClient(embeddedPath(url), options);
}

class EmbeddedClient implements Client {
  closed = false;
  protocol = 'file';
  readonly #path: string;
  readonly #options: EmbeddedOptions;
  #shared: Connection | undefined;
  #idle: Connection[] = [];
  #inTransaction = new Set<Connection>();
  /** Connections whose transaction took the write lock (BEGIN IMMEDIATE), and who waits for them to end. */
  #writers = new Set<Connection>();
  #writersDone: Array<() => void> = [];
  #generation = 0;

  constructor(path: string, options: EmbeddedOptions) {
    this.#path = path;
    this.#options = options;
    // Fail fast, like @libsql/client, if the file cannot be opened at all.
    try {
      this.#onShared((conn) => this.#run(conn, 'SELECT 1'));
    } catch (e) {
      this.close();
      throw e;
    }
  }

  execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args } : stmtOrSql;
    if (this.#writers.size > 0 && !this.#reads(stmt)) return this.#noWriter().then(() => this.execute(stmt));
    try {
      return Promise.resolve(this.#onShared((conn) => this.#run(conn, stmt)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async batch(stmts: Array<InStatement | [string, InArgs?]>, mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
    await this.#noWriter();
    return this.#onShared((conn) =>
      this.#batch(
        conn,
        stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] } : s)),
        mode,
      ),
    );
  }

  /** Synchronous from start to end, so nothing else runs on the shared connection while foreign keys are off. */
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    await this.#noWriter();
    return this.#onShared((conn) => {
      this.#run(conn, 'PRAGMA foreign_keys=off');
      try {
        return this.#batch(conn, stmts, 'deferred');
      } finally {
        this.#generation++;
        rollbackIfOpen(conn);
        this.#run(conn, 'PRAGMA foreign_keys=on');
      }
    });
  }

  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    if (mode === 'write') await this.#noWriter();
    const conn = this.#borrow();
    try {
      this.#run(conn, beginStatement(mode));
    } catch (e) {
      this.#giveBack(conn);
      throw e;
    }
    if (mode === 'write') this.#writers.add(conn);
    return new EmbeddedTransaction(
      conn,
      (s) => this.#run(conn, s),
      (sql) => this.#exec(conn, sql),
      () => this.#giveBack(conn),
    );
  }

  async executeMultiple(sql: string): Promise<void> {
    await this.#noWriter();
    this.#onShared((conn) => this.#exec(conn, sql));
  }

  async sync(): Promise<never> {
    throw new LibsqlError('The embedded database is not a replica: there is nothing to sync.', 'SYNC_NOT_SUPPORTED');
  }

  reconnect(): void {
    this.close();
    this.closed = false;
  }

  close(): void {
    this.closed = true;
    for (const conn of [this.#shared, ...this.#idle, ...this.#inTransaction]) if (conn) closeConnection(conn);
    this.#shared = undefined;
    this.#idle = [];
    this.#inTransaction.clear();
    this.#writerEnded(...this.#writers);
  }

  /**
   * Waits (without blocking) until no transaction of this client holds the write lock. Another connection's write
   * would otherwise wait in SQLite's busy handler, which sleeps on this thread: the holder could not run its next
   * statement or commit until the busy timeout ended the wait in SQLITE_BUSY. Past the same timeout, this says
   * SQLITE_BUSY too.
   */
  async #noWriter(): Promise<void> {
    const started = Date.now();
    const limit = this.#options.timeout ?? DEFAULT_WAIT_MS;
    while (this.#writers.size > 0) {
      const left = limit - (Date.now() - started);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new LibsqlError('database is locked (a write transaction of this process is still open)', 'SQLITE_BUSY'),
            ),
          Math.max(0, left),
        );
        this.#writersDone.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #writerEnded(...conns: Connection[]): void {
    for (const conn of conns) this.#writers.delete(conn);
    if (this.#writers.size > 0) return;
    for (const wake of this.#writersDone.splice(0)) wake();
  }

  /** Whether a statement only reads. One that does not prepare counts as a write: it waits, then reports its error. */
  #reads(stmt: InStatement): boolean {
    try {
      return this.#onShared((conn) => this.#prepared(conn, typeof stmt === 'string' ? stmt : stmt.sql).readOnly);
    } catch {
      return false;
    }
  }

  #open(): Connection {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
    const db = new Database(this.#path, { timeout: this.#options.timeout });
    return { db, statements: new Map(), generation: this.#generation, changedSchema: false, stuck: false };
  }

  /**
   * Runs work on the shared connection and leaves it outside any transaction: a BEGIN sent through execute() or
   * a failed batch is rolled back (as @libsql/client rolls back what a borrowed connection left open). If that
   * rollback fails, the connection is closed and replaced, so no later statement runs inside what is left.
   */
  #onShared<T>(work: (conn: Connection) => T): T {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
    const conn = (this.#shared ??= this.#open());
    try {
      return work(conn);
    } finally {
      if (!rollbackIfOpen(conn) || conn.stuck) {
        closeConnection(conn);
        if (this.#shared === conn) this.#shared = undefined;
      }
      this.#afterSchemaChange(conn);
    }
  }

  #borrow(): Connection {
    const conn = this.#idle.pop() ?? this.#open();
    this.#inTransaction.add(conn);
    return conn;
  }

  #giveBack(conn: Connection): void {
    this.#inTransaction.delete(conn);
    this.#writerEnded(conn);
    // A connection never goes back mid-transaction, or the next borrower would inherit it.
    const clean = conn.db.open && rollbackIfOpen(conn) && !conn.stuck;
    this.#afterSchemaChange(conn);
    if (!clean || this.closed) {
      closeConnection(conn);
      return;
    }
    this.#idle.push(conn);
  }

  /**
   * Once a connection that changed the schema is outside its transaction (committed or rolled back), every
   * connection's kept statements are dropped again: one may have read the old schema while it was still current.
   */
  #afterSchemaChange(conn: Connection): void {
    if (!conn.changedSchema || (conn.db.open && conn.db.inTransaction)) return;
    conn.changedSchema = false;
    this.#generation++;
  }

  #batch(conn: Connection, stmts: InStatement[], mode: TransactionMode): ResultSet[] {
    this.#run(conn, beginStatement(mode));
    const results = stmts.map((stmt, i) => {
      try {
        if (!conn.db.inTransaction)
          throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
        return this.#run(conn, stmt);
      } catch (e) {
        throw asBatchError(e, i);
      }
    });
    this.#run(conn, 'COMMIT');
    return results;
  }

  #exec(conn: Connection, sql: string): void {
    if (!conn.db.open)
      throw new LibsqlError('The connection was closed while this operation was in flight', 'CLIENT_CLOSED');
    conn.changedSchema = true;
    this.#generation++;
    try {
      conn.db.exec(sql);
    } catch (e) {
      throw toLibsqlError(e);
    }
  }

  #run(conn: Connection, stmt: InStatement): ResultSet {
    if (!conn.db.open)
      throw new LibsqlError('The connection was closed while this operation was in flight', 'CLIENT_CLOSED');
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    const args = typeof stmt === 'string' ? [] : toSqlArgs(stmt.args);
    try {
      const prepared = this.#prepared(conn, sql);
      if (Array.isArray(args)) {
        // SQLite keeps a statement's bindings between runs: a kept statement run with fewer arguments than before
        // would reuse the previous caller's values where a fresh one has NULL.
        if (args.length > prepared.bound) prepared.bound = args.length;
        while (args.length < prepared.bound) args.push(null);
      }
      if (!prepared.reader) {
        if (prepared.changesSchema) {
          conn.changedSchema = true;
          this.#generation++;
        }
        const info = prepared.stmt.run(args);
        return new EmbeddedResultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
      }
      const raw = prepared.stmt.all(args) as SqlValue[][];
      // A `*` list follows the table, which another process may have changed. Read after the run: SQLite
      // re-prepares a statement whose schema changed when it next runs.
      if (prepared.star) refreshColumns(prepared);
      const rows = raw.map((values) => prepared.rowClass.of(values));
      return new EmbeddedResultSet(prepared.columns.slice(), prepared.columnTypes.slice(), rows, 0, undefined);
    } catch (e) {
      const error = toLibsqlError(e);
      if (error instanceof LibsqlError && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED'))
        conn.stuck = true;
      throw error;
    }
  }

  #prepared(conn: Connection, sql: string): Prepared {
    if (conn.generation !== this.#generation) {
      conn.statements.clear();
      conn.generation = this.#generation;
    }
    const cached = conn.statements.get(sql);
    if (cached) return cached;
    const stmt = conn.db.prepare(sql);
    stmt.safeIntegers(true);
    const reader = stmt.reader;
    if (reader) stmt.raw(true);
    const prepared: Prepared = {
      stmt,
      reader,
      readOnly: reader && !RETURNING.test(sql),
      changesSchema: SCHEMA_CHANGE.test(sql),
      star: STAR_COLUMNS.test(sql),
      bound: 0,
      columns: [],
      columnTypes: [],
      rowClass: rowClassFor([]),
    };
    if (reader) refreshColumns(prepared);
    if (conn.statements.size >= STATEMENT_CACHE) conn.statements.delete(conn.statements.keys().next().value!);
    conn.statements.set(sql, prepared);
    return prepared;
  }
}

class EmbeddedTransaction implements Transaction {
  #open = true;
  readonly #conn: Connection;
  readonly #run: (stmt: InStatement) => ResultSet;
  readonly #exec: (sql: string) => void;
  readonly #release: () => void;

  constructor(
    conn: Connection,
    run: (stmt: InStatement) => ResultSet,
    exec: (sql: string) => void,
    release: () => void,
  ) {
    this.#conn = conn;
    this.#run = run;
    this.#exec = exec;
    this.#release = release;
  }

  get closed(): boolean {
    return !this.#open || !this.#conn.db.open || !this.#conn.db.inTransaction;
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    this.#checkOpen();
    return this.#run(stmt);
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return stmts.map((stmt, i) => {
      try {
        this.#checkOpen();
        return this.#run(stmt);
      } catch (e) {
        throw asBatchError(e, i);
      }
    });
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    this.#exec(sql);
  }

  async commit(): Promise<void> {
    try {
      this.#checkOpen();
      this.#run('COMMIT');
    } finally {
      this.#settle();
    }
  }

  async rollback(): Promise<void> {
    this.#settle();
  }

  close(): void {
    this.#settle();
  }

  /** Gives the connection back; the pool rolls back whatever is still open. Safe to call more than once. */
  #settle(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#release();
  }

  #checkOpen(): void {
    if (this.closed) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
  }
}

class EmbeddedResultSet implements ResultSet {
  constructor(
    public columns: string[],
    public columnTypes: string[],
    public rows: Row[],
    public rowsAffected: number,
    public lastInsertRowid: bigint | undefined,
  ) {}

  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) =>
        Array.prototype.map.call(row, (v: Value) => (v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v)),
      ),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
  }
}

/**
 * libsql has no way to finalize a statement: SQLite keeps a connection with live statements open (as a "zombie")
 * until they are garbage-collected. Dropping the kept ones lets that happen; every commit is already on disk.
 */
function closeConnection(conn: Connection): void {
  conn.statements.clear();
  if (conn.db.open) conn.db.close();
}

/** A batch names the statement that failed, as @libsql/client's LibsqlBatchError does. */
function asBatchError(e: unknown, index: number): unknown {
  if (!(e instanceof LibsqlError) || e instanceof LibsqlBatchError) return e;
  return new LibsqlBatchError(
    e.message,
    index,
    e.code,
    e.extendedCode,
    e.rawCode,
    e.cause instanceof Error ? e.cause : undefined,
  );
}

/** Returns false when the rollback itself failed (the connection is then unusable). */
function rollbackIfOpen(conn: Connection): boolean {
  if (!conn.db.open || !conn.db.inTransaction) return true;
  try {
    conn.db.exec('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

function refreshColumns(prepared: Prepared): void {
  const columns = prepared.stmt.columns();
  const names = columns.map((c) => c.name);
  prepared.columnTypes = columns.map((c) => c.type ?? '');
  if (names.length === prepared.columns.length && names.every((n, i) => n === prepared.columns[i])) return;
  prepared.columns = names;
  prepared.rowClass = rowClassFor(names);
}

function beginStatement(mode: TransactionMode): string {
  if (mode === 'write') return 'BEGIN IMMEDIATE';
  if (mode === 'read') return 'BEGIN TRANSACTION READONLY';
  if (mode === 'deferred') return 'BEGIN DEFERRED';
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}

/** A row's values live in a private field: invisible to Object.keys, JSON, spreads and deep-equality checks. */
class RowBase {
  readonly #values: Value[];
  constructor(values: Value[]) {
    this.#values = values;
  }
  static valueAt(row: RowBase, i: number): Value {
    return row.#values[i]!;
  }
}

interface RowClass {
  of(values: SqlValue[]): Row;
}

/** One row class per column list: its prototype answers indexes and `length`; names are set per row. */
function rowClassFor(columns: string[]): RowClass {
  const width = columns.length;
  const Shaped = class extends RowBase {};
  for (let i = 0; i < width; i++)
    Object.defineProperty(Shaped.prototype, i, {
      get: function (this: RowBase) {
        return RowBase.valueAt(this, i);
      },
    });
  Object.defineProperty(Shaped.prototype, 'length', { value: width });
  // Name clashes resolve as @libsql/client's defineProperty sequence does: a later column never replaces an earlier
  // one of the same name, `length` stays the width, and a name that is an index below the width shows that index's
  // value if the index comes later (and is hidden if it came first). `from` is the index a name shows (-1: none);
  // `define` marks names that assignment would get wrong (an index hits the prototype's getter-only index,
  // `__proto__` Object's setter).
  const plan = columns.map((name, i) => {
    if (name === 'length' || columns.indexOf(name) !== i) return { name, from: -1, define: false };
    const index = /^(0|[1-9]\d*)$/.test(name) ? Number(name) : width;
    if (index < width) return { name, from: index > i ? index : -1, define: true };
    return { name, from: i, define: name === '__proto__' };
  });
  return {
    of(raw) {
      const values = raw as Value[];
      for (let i = 0; i < width; i++) values[i] = fromSql(raw[i]!);
      const row = new Shaped(values) as unknown as Record<string, Value>;
      for (const { name, from, define } of plan) {
        if (from === -1) continue;
        if (define)
          Object.defineProperty(row, name, {
            value: values[from],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else row[name] = values[from]!;
      }
      return row as unknown as Row;
    },
  };
}

function fromSql(value: SqlValue): Value {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    }
    return Number(value);
  }
  if (value instanceof Uint8Array)
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  return value;
}

function toSqlArgs(args: InArgs | undefined | null): SqlValue[] | Record<string, SqlValue> {
  if (args === undefined || args === null) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, SqlValue> = {};
  for (const name in args) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(args[name]!);
  return named;
}

function toSql(value: InValue): SqlValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint' && (value < -(2n ** 63n) || value >= 2n ** 63n)) {
    throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** SQLite's primary result codes by number (0 is success and never an error: it reads as unknown, as in @libsql/client). */
const BASE_CODES = [
  undefined,
  'SQLITE_ERROR',
  'SQLITE_INTERNAL',
  'SQLITE_PERM',
  'SQLITE_ABORT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOMEM',
  'SQLITE_READONLY',
  'SQLITE_INTERRUPT',
  'SQLITE_IOERR',
  'SQLITE_CORRUPT',
  'SQLITE_NOTFOUND',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_EMPTY',
  'SQLITE_SCHEMA',
  'SQLITE_TOOBIG',
  'SQLITE_CONSTRAINT',
  'SQLITE_MISMATCH',
  'SQLITE_MISUSE',
  'SQLITE_NOLFS',
  'SQLITE_AUTH',
  'SQLITE_FORMAT',
  'SQLITE_RANGE',
  'SQLITE_NOTADB',
  'SQLITE_NOTICE',
  'SQLITE_WARNING',
];

function toLibsqlError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const raw = (e as { rawCode?: number }).rawCode;
  const base = raw === undefined ? 'SQLITE_UNKNOWN' : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
  return new LibsqlError(e.message, base, e.code, raw, e);
}
