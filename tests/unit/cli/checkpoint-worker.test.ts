import { once } from 'node:events';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createClient } from '@libsql/client';
import { expect, it } from 'vitest';

it('moves committed WAL pages into the database file from its own thread', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fa-ckpt-')), 'x.db');
  const db = createClient({ url: `file:${file}` });
  await db.execute('PRAGMA journal_mode = WAL');
  // Nothing but the worker may checkpoint: SQLite's automatic checkpoint is off on this connection.
  await db.execute('PRAGMA wal_autocheckpoint = 0');
  await db.execute('CREATE TABLE t (v TEXT)');
  await db.execute({
    sql: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t SELECT ? FROM n',
    args: ['x'.repeat(4000)],
  });
  const before = statSync(file).size;
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(200 * 4000);

  const worker = new Worker(new URL('../../../src/cli/checkpoint-worker.mjs', import.meta.url), {
    workerData: { url: `file:${file}`, everyMs: 20, busyTimeoutMs: 1000 },
  });
  const exited = once(worker, 'exit');
  try {
    await expect.poll(() => statSync(file).size, { timeout: 5000 }).toBeGreaterThan(before + 200 * 4000);
    expect((await db.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(200);
    // Asked to stop, it closes its connection and ends by itself.
    worker.postMessage('stop');
    expect(await exited).toEqual([0]);
  } finally {
    await worker.terminate();
    db.close();
  }
});
