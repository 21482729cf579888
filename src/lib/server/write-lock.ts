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
 * Over a libSQL server (DATABASE_URL not `file:`) the groups are smaller and bounded by time: sqld ends a write
 * transaction that has held the lock for 5 s while another connection waits (TRANSACTION_TIMEOUT), and session
 * touches, throttle writes and other app processes are exactly such waiters. There, no job starts in a group that
 * has run for GROUP_BUDGET_MS, and a group that fails with what the server calls retryable (TRANSACTION_TIMEOUT,
 * SQLITE_BUSY: the transaction was rolled back, nothing of it is committed) is run again, job by job, up to
 * MAX_ATTEMPTS times. A failure that leaves the outcome unknown (the connection dropped during COMMIT) is never
 * retried: the jobs are rejected, so "acknowledged" still means "committed".
 *
 * It is not re-entrant: a job that called writeTransaction would wait for the group that is waiting for it. In
 * development and tests such a call is refused at once with an error saying so (each job's work runs in an async
 * context that marks it); production builds skip the check and its cost. Do slow work (password hashing, file reads) before it: a job that waits
 * on I/O holds the write lock, and every job queued behind it, until it is done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { databaseUrl, getDb, isEmbeddedUrl, type Tx } from '../../../db/client';

/** Bounds how long one group holds the write lock, which other processes on the same database wait for. */
export const MAX_GROUP = 64;

export interface GroupLimits {
  maxJobs: number;
  /** No job starts in a group that has been running this long (ms). */
  budgetMs: number;
}

/** The write strategy for a database URL: large groups on the embedded file, small time-bounded ones on a server. */
export function groupLimits(url: string): GroupLimits {
  return isEmbeddedUrl(url) ? { maxJobs: MAX_GROUP, budgetMs: Infinity } : { maxJobs: 8, budgetMs: GROUP_BUDGET_MS };
}

/** Well inside sqld's 5-second limit even when the last job started just before it and makes several round trips. */
export const GROUP_BUDGET_MS = 500;
/** Runs of one job before its retryable failure is returned to the caller. */
export const MAX_ATTEMPTS = 4;
/** Codes meaning the transaction was rolled back: running it again is safe. */
const RETRYABLE = new Set(['TRANSACTION_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

/** Whether an error (or one of its causes: drizzle wraps the driver's) says the transaction can be run again. */
export function isRetryable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const { code, extendedCode } = e as { code?: unknown; extendedCode?: unknown };
    if (RETRYABLE.has(String(code)) || RETRYABLE.has(String(extendedCode))) return true;
  }
  return false;
}

interface Job {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  attempts: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const waiting: Job[] = [];
let scheduled = false;

/**
 * The job whose work is running, in its async context: what lets a nested writeTransaction fail loudly instead of
 * hanging the queue. `running` turns false when the job ends, so work it started and left running may still write.
 * Not in production builds (`import.meta.env` is absent under tsx, which runs the bench: checked there too).
 */
const insideJob = import.meta.env?.PROD ? undefined : new AsyncLocalStorage<{ running: boolean }>();

export function writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  if (insideJob?.getStore()?.running) {
    return Promise.reject(
      new Error(
        'writeTransaction() called inside a write transaction: it would wait for itself. Use the `tx` you were given.',
      ),
    );
  }
  return new Promise<T>((resolve, reject) => {
    waiting.push({ work, resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
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
  const { maxJobs, budgetMs } = groupLimits(databaseUrl());
  // The jobs waiting now; those the time budget leaves out go back to the front of the queue.
  const taken = waiting.splice(0, maxJobs);
  let group: Job[] = [];
  const outcomes: Outcome[] = [];
  try {
    await getDb().transaction(async (tx) => {
      const started = Date.now();
      const more = () => group.length < taken.length && (group.length === 0 || Date.now() - started < budgetMs);
      await runJobs(tx, taken, group, outcomes, more);
    });
    waiting.unshift(...taken.slice(group.length));
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  } catch (error) {
    // Nothing of the group was committed (if BEGIN itself failed, the group is every job taken). When the server
    // says so plainly, its jobs go back to the front of the queue to run again; otherwise a job that had already
    // been refused keeps its own error (a 409 stays a 409) and the others get the group's.
    if (group.length === 0) group = taken;
    else waiting.unshift(...taken.slice(group.length));
    const again = isRetryable(error) ? group.filter((job) => ++job.attempts < MAX_ATTEMPTS) : [];
    waiting.unshift(...again);
    group.forEach((job, i) => {
      if (again.includes(job)) return;
      const outcome = outcomes[i];
      job.reject(outcome && !outcome.ok ? outcome.error : error);
    });
  } finally {
    scheduled = false;
    if (waiting.length > 0) schedule();
  }
}

async function runMarked(job: Job, tx: Tx): Promise<unknown> {
  if (!insideJob) return job.work(tx);
  const context = { running: true };
  try {
    return await insideJob.run(context, () => job.work(tx));
  } finally {
    context.running = false;
  }
}

/**
 * Runs the group's jobs one after another, each in its own savepoint, while `more()` says so; each job run is
 * pushed to `group` and its outcome to `outcomes`.
 *
 * Over a libSQL server every statement awaited is a round trip with the write lock held, and the client sends
 * together whatever is sent in one turn of the event loop. So nothing is awaited between a job's end and the next
 * job's start: the RELEASE of one, the SAVEPOINT of the next and whatever that job sends at once (a quiz submit
 * sends all its writes) go out in one request. Releases are awaited all together before the group's COMMIT. The
 * statements of one connection run in the order they were sent, so this changes when results are awaited, never
 * what runs inside which savepoint; if a SAVEPOINT or RELEASE failed, the whole group fails and is rolled back.
 */
async function runJobs(tx: Tx, taken: Job[], group: Job[], outcomes: Outcome[], more: () => boolean): Promise<void> {
  // `execute()` sends now: a query builder runs only once awaited, a turn too late to go out together.
  const send = (statement: SQL) => {
    const sent = tx.run(statement).execute();
    // Each is awaited below; a rejection seen there is not an unhandled one here.
    sent.catch(() => undefined);
    return sent;
  };
  if (!more()) return;
  const releases: Promise<unknown>[] = [];
  let savepoint = send(sql`SAVEPOINT job`);
  while (true) {
    const job = taken[group.length]!;
    group.push(job);
    try {
      const value = await runMarked(job, tx);
      await savepoint;
      outcomes.push({ ok: true, value });
      releases.push(send(sql`RELEASE job`));
    } catch (error) {
      try {
        await savepoint;
        await tx.run(sql`ROLLBACK TO job`);
        await tx.run(sql`RELEASE job`);
      } catch {
        // The job's failure ended the whole transaction (a full disk, an I/O error): the group fails with its cause.
        throw error;
      }
      outcomes.push({ ok: false, error });
    }
    if (!more()) break;
    savepoint = send(sql`SAVEPOINT job`);
  }
  await Promise.all(releases);
}
