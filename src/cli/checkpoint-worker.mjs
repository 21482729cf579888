/**
 * The embedded database's WAL checkpoints, on a thread of their own (started by serve.ts for a `file:` database).
 *
 * Why: SQLite checkpoints automatically inside the COMMIT that takes the WAL past 1,000 pages, and libSQL is
 * synchronous, so that COMMIT — and every request behind it — waited while the checkpoint copied pages into the
 * database file and fsynced it. A PASSIVE checkpoint from here runs beside the writers (it never blocks them and
 * copies only what no reader still needs), so the WAL stays short and the automatic one finds almost nothing left
 * to do. If this thread stops, SQLite's own automatic checkpoint still bounds the WAL.
 *
 * Plain JavaScript: a worker does not inherit the TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@libsql/client';

const client = createClient({ url: workerData.url, timeout: workerData.busyTimeoutMs });
const timer = setInterval(() => {
  client.execute('PRAGMA wal_checkpoint(PASSIVE)').catch((e) => parentPort?.postMessage({ error: String(e) }));
}, workerData.everyMs);
parentPort?.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    client.close();
    parentPort?.close();
  }
});
