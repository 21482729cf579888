/**
 * Write transactions queued one at a time within this process.
 *
 * Why: the embedded libSQL driver is synchronous underneath. A second `BEGIN IMMEDIATE` while another connection of
 * the SAME process holds the write lock busy-waits on the event loop — so the holder can never run its next
 * statement and commit, and both stall until the busy timeout ends in SQLITE_BUSY. Queuing in JavaScript instead
 * lets the holder finish; other processes still queue on SQLite's own lock (busy timeout). Never call this from
 * inside a callback it is running (it is not re-entrant).
 */
import { getDb, type Tx } from '../../../db/client';

let tail: Promise<unknown> = Promise.resolve();

export function writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const run = tail.then(() => getDb().transaction(work));
  tail = run.catch(() => undefined);
  return run;
}
