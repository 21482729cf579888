/**
 * How many app processes `npm start` runs: WEB_CONCURRENCY (default 1), each a node:cluster worker sharing the
 * port. Several processes need a libSQL server (DATABASE_URL not `file:`): on the embedded file they would queue on
 * one file lock that group commit (src/lib/server/write-lock.ts) can only order within a process, and the WAL
 * checkpoint thread belongs to one process — so there the count is 1, and the start-up says why.
 */
import { isEmbeddedUrl } from '../../db/embedded-client';

export const MAX_WORKERS = 64;

export interface WorkerPlan {
  count: number;
  /** Said at start-up when the requested count was not used. */
  note?: string;
}

export function planWorkers(value: string | undefined, databaseUrl: string): WorkerPlan {
  if (value === undefined || value.trim() === '') return { count: 1 };
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(
      `WEB_CONCURRENCY must be a whole number of app processes from 1 to ${MAX_WORKERS}, not "${value}".`,
    );
  }
  if (n > 1 && isEmbeddedUrl(databaseUrl)) {
    return {
      count: 1,
      note: `WEB_CONCURRENCY=${n} ignored: several app processes need a libSQL server (DATABASE_URL=libsql://…); the embedded file is served by one.`,
    };
  }
  return { count: n };
}
