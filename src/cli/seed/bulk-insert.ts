/**
 * Bulk writing for generated data (src/cli/seed/large.ts, the bench): rows collected in memory per table, written as
 * multi-row `INSERT … VALUES (…),(…)` statements of a fixed chunk size — one SQL text per table for every full
 * chunk — inside the caller's write transaction.
 */
import type { InValue } from '@libsql/client';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomBytes } from '../../lib/server/ids';

/** SQLite's default limit is 32,766 bound parameters per statement. */
const MAX_PARAMS = 32_000;

/**
 * The same shape as newId() (26 base32 characters, 128 bits) but all random, from the same pooled random bytes.
 * For generated history, where rows are bulk-loaded and time order buys nothing.
 */
export function fastId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(16));
}

export interface Executor {
  execute(stmt: { sql: string; args: InValue[] }): Promise<unknown>;
}

/** Pending rows of one table. */
export class Rows {
  private values: InValue[] = [];
  /** Rows waiting to be written. */
  count = 0;
  /** Rows written so far. */
  written = 0;
  private readonly perStatement: number;
  private readonly fullSql: string;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {
    this.perStatement = Math.min(1000, Math.floor(MAX_PARAMS / columns.length));
    this.fullSql = this.sql(this.perStatement);
  }

  private sql(n: number): string {
    const tuple = `(${this.columns.map(() => '?').join(',')})`;
    const cols = this.columns.map((c) => `"${c}"`).join(',');
    return `INSERT INTO "${this.table}" (${cols}) VALUES ${Array(n).fill(tuple).join(',')}`;
  }

  add(...row: InValue[]): void {
    if (row.length !== this.columns.length)
      throw new Error(`${this.table}: ${row.length} values for ${this.columns.length} columns`);
    for (const v of row) this.values.push(v);
    this.count++;
  }

  async flush(tx: Executor): Promise<void> {
    const width = this.columns.length;
    for (let start = 0; start < this.count; start += this.perStatement) {
      const n = Math.min(this.perStatement, this.count - start);
      const args = this.values.slice(start * width, (start + n) * width);
      await tx.execute({ sql: n === this.perStatement ? this.fullSql : this.sql(n), args });
      // libSQL frees a statement (about 1 MB for a full chunk) from a finalizer that only runs when the event loop
      // turns; awaiting settled promises alone never lets it, and memory grows by gigabytes over a large seed.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.written += this.count;
    this.values = [];
    this.count = 0;
  }
}

interface Writer {
  transaction(mode: 'write'): Promise<Executor & { commit(): Promise<void>; close(): void }>;
}

/**
 * An Executor that commits and begins anew once a write transaction has run for `budgetMs`: on a libSQL server a
 * batch of generated rows is many round trips, and sqld ends a transaction that holds the lock for 5 s while
 * someone waits. With `Infinity` (the embedded file) it is one transaction from first statement to commit().
 */
export class TimeBoundedWriter implements Executor {
  private tx: Awaited<ReturnType<Writer['transaction']>> | undefined;
  private started = 0;

  constructor(
    private readonly client: Writer,
    private readonly budgetMs: number,
  ) {}

  async execute(stmt: { sql: string; args: InValue[] }): Promise<void> {
    if (!this.tx) {
      this.tx = await this.client.transaction('write');
      this.started = performance.now();
    }
    await this.tx.execute(stmt);
    if (performance.now() - this.started >= this.budgetMs) await this.commit();
  }

  async commit(): Promise<void> {
    const tx = this.tx;
    this.tx = undefined;
    if (!tx) return;
    try {
      await tx.commit();
    } finally {
      tx.close();
    }
  }

  /** Rolls back whatever is not committed. */
  close(): void {
    this.tx?.close();
    this.tx = undefined;
  }
}
