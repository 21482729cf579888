/**
 * One libSQL client per process. Default: an embedded file under data/ (created on first use) in WAL mode with a
 * busy timeout, so readers never block the writer and concurrent writers queue instead of failing with
 * SQLITE_BUSY. DATABASE_URL (+ DATABASE_AUTH_TOKEN) points it at a libSQL server or Turso instead.
 *
 * The embedded file goes through db/embedded-client.ts (@libsql/client's interface on the same engine, with
 * prepared statements kept per connection); a server URL through @libsql/client.
 *
 * The client keeps a small pool of connections: `timeout` is applied to each of them by libSQL, foreign keys are
 * on by libSQL's default on every connection, and WAL is a property of the file (set once, kept). `db.transaction`
 * opens `BEGIN IMMEDIATE` (libSQL's "write" mode), so a multi-row write takes the write lock up front.
 * tests/unit/db/client.test.ts checks all three.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, type Client, type TransactionMode } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { embeddedPath, isEmbeddedUrl, openEmbeddedClient } from './embedded-client';
import * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema>;
/** A transaction handle; functions that must run inside one take this. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const DEFAULT_DATABASE_URL = 'file:data/frontline.db';
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Every copy of this module in a process shares one client: `npm start` loads it from source (serve.ts migrates and
 * seeds) and the built server bundles a second copy, and shutdown must close the connections the app really uses.
 */
const shared = ((globalThis as { [key: symbol]: { client?: Client; db?: Db } })[Symbol.for('frontline-academy/db')] ??=
  {});

export { isEmbeddedUrl };

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

function openClient(url: string): Client {
  if (isEmbeddedUrl(url)) {
    mkdirSync(dirname(resolve(embeddedPath(url))), { recursive: true });
    return openEmbeddedClient(url, { timeout: BUSY_TIMEOUT_MS });
  }
  return quietRollbacks(createClient({ url, authToken: process.env.DATABASE_AUTH_TOKEN }));
}

/**
 * A rollback only ever runs after a failure and cannot make anything committed. On a server its own failure is
 * most often "no transaction is active" (sqld already rolled back, e.g. TRANSACTION_TIMEOUT), and drizzle would
 * throw that instead of the error that says what happened and whether running again is safe.
 */
function quietRollbacks(client: Client): Client {
  const open = client.transaction.bind(client);
  client.transaction = async (mode?: TransactionMode) => {
    const tx = await open(mode);
    const rollback = tx.rollback.bind(tx);
    tx.rollback = () => rollback().catch(() => undefined);
    return tx;
  };
  return client;
}

export function getClient(): Client {
  shared.client ??= openClient(databaseUrl());
  return shared.client;
}

export function getDb(): Db {
  shared.db ??= drizzle(getClient(), { schema });
  return shared.db;
}

/** Applies committed migrations; safe to call on every start. */
export async function migrateDb(): Promise<void> {
  const c = getClient();
  if (isEmbeddedUrl(databaseUrl())) await c.execute('PRAGMA journal_mode = WAL');
  await migrate(getDb(), { migrationsFolder: resolve(process.cwd(), 'db/migrations') });
}

export function closeDb(): void {
  shared.client?.close();
  shared.client = undefined;
  shared.db = undefined;
}
