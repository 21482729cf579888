/**
 * Write transactions of this process, queued and committed in groups.
 *
 * Why a queue: the embedded libSQL driver is synchronous underneath. A second `BEGIN IMMEDIATE` while another
 * connection of the SAME process holds the write lock would busy-wait on the event loop — so the holder could
 * never run its next statement and commit. The embedded client (db/embedded-client.ts) makes any such write wait
 * without blocking; this queue is what puts the app's write transactions in order and into groups. Other
 * processes still queue on SQLite's own lock (busy timeout).
 *
 * Why groups (group commit): COMMIT's fsync was the largest single cost of a quiz submit. Every job waiting when
 * the queue runs (up to MAX_GROUP) shares one `BEGIN IMMEDIATE … COMMIT`; each job runs inside its own SAVEPOINT,
 * so a job that throws is rolled back alone and the others go on, exactly as if each had its own transaction.
 * Jobs run one after another in queue order, so a later job sees an earlier one's writes. No job's promise settles
 * before the COMMIT that holds its writes has returned: an acknowledged write is as durable as before. If the
 * group's transaction itself fails (COMMIT, or a rollback to a savepoint), every job in it is rejected and none of
 * its writes stay.
 *
 * Never call writeTransaction from inside a callback it is running (it is not re-entrant: the inner job would wait
 * for the group that is waiting for it). Do slow work (password hashing, file reads) before it: a job that waits
 * on I/O holds the write lock, and every job queued behind it, until it is done.
 */
import { sql } from 'drizzle-orm';
import { getDb, type Tx } from '../../../db/client';

/** Bounds how long one group holds the write lock, which other processes on the same database wait for. */
export const MAX_GROUP = 64;

interface Job {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const waiting: Job[] = [];
let scheduled = false;

export function writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
    schedule();
  });
}

/**
 * setImmediate, not a microtask: the group forms after this turn's I/O callbacks, so requests that arrived
 * together reach the queue before it runs.
 */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => void runGroup());
}

async function runGroup(): Promise<void> {
  const group = waiting.splice(0, MAX_GROUP);
  const outcomes: Outcome[] = [];
  try {
    await getDb().transaction(async (tx) => {
      for (const job of group) outcomes.push(await runJob(tx, job));
    });
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  } catch (error) {
    // Nothing of the group was committed. A job that had already been refused keeps its own error (a 409 stays a
    // 409); the others get the group's.
    group.forEach((job, i) => {
      const outcome = outcomes[i];
      job.reject(outcome && !outcome.ok ? outcome.error : error);
    });
  } finally {
    scheduled = false;
    if (waiting.length > 0) schedule();
  }
}

async function runJob(tx: Tx, job: Job): Promise<Outcome> {
  await tx.run(sql`SAVEPOINT job`);
  try {
    const value = await job.work(tx);
    await tx.run(sql`RELEASE job`);
    return { ok: true, value };
  } catch (error) {
    try {
      await tx.run(sql`ROLLBACK TO job`);
      await tx.run(sql`RELEASE job`);
    } catch {
      // The job's failure ended the whole transaction (a full disk, an I/O error): the group fails with its cause.
      throw error;
    }
    return { ok: false, error };
  }
}
