/**
 * Group commit against a real libSQL server with competing writers. sqld ends a write transaction that has held
 * the lock for 5 s while another connection waits for it (TRANSACTION_TIMEOUT); before the server strategy, a
 * group of slow jobs ran past that and every job in it was rejected.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { addressKey, reserveAttempt } from '../../src/lib/server/rate-limit';
import { GROUP_BUDGET_MS, groupLimits, writeTransaction } from '../../src/lib/server/write-lock';
import { startSqld, type RunningSqld } from '../helpers/sqld';

let sqld: RunningSqld;
let other: Client;

beforeAll(async () => {
  sqld = await startSqld();
  closeDb();
  process.env.DATABASE_URL = sqld.url;
  await migrateDb();
  await getClient().execute('CREATE TABLE note (id TEXT PRIMARY KEY, attempt INTEGER)');
  await getClient().execute('CREATE TABLE touch (n INTEGER)');
  // Another app process on the same server.
  other = createClient({ url: sqld.url });
});

afterAll(async () => {
  other?.close();
  closeDb();
  await sqld?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes one statement at a time, as session touches and sign-in throttles do, until stopped. */
function competingWriters(): { stop: () => Promise<number> } {
  let running = true;
  let writes = 0;
  const loop = async (write: (i: number) => Promise<unknown>) => {
    for (let i = 0; running; i++) {
      await write(i);
      writes++;
      await sleep(20);
    }
  };
  const done = Promise.all([
    loop((i) => other.execute({ sql: 'INSERT INTO touch VALUES (?)', args: [i] })),
    // A sign-in attempt's throttle write, with a limit this loop never reaches.
    loop(() => reserveAttempt([addressKey('203.0.113.7', 1_000_000)])),
  ]);
  return {
    stop: async () => {
      running = false;
      await done;
      return writes;
    },
  };
}

describe('group commit over a libSQL server', () => {
  it('chooses small, time-bounded groups for a server URL and large ones for the embedded file', () => {
    expect(groupLimits(sqld.url)).toEqual({ maxJobs: 8, budgetMs: GROUP_BUDGET_MS });
    expect(groupLimits('file:data/x.db').budgetMs).toBe(Infinity);
  });

  it('commits every job of a slow burst while other writers compete, with no TRANSACTION_TIMEOUT', async () => {
    const writers = competingWriters();
    // 30 jobs of 200 ms each: 6 s in one transaction, past the server's limit for a lock someone waits for.
    const jobs = Array.from({ length: 30 }, (_, i) =>
      writeTransaction(async (tx) => {
        await tx.run(sql`INSERT INTO note (id, attempt) VALUES (${`n${i}`}, 1)`);
        await sleep(200);
        return i;
      }),
    );
    const results = await Promise.allSettled(jobs);
    await writers.stop();
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await other.execute('SELECT count(*) AS n FROM note')).rows[0]!.n).toBe(30);
    // The other connection got the lock between groups (how often depends on the machine's load, so no number).
    expect((await other.execute('SELECT count(*) AS n FROM touch')).rows[0]!.n).toBeGreaterThan(0);
  });

  it('runs a job again when the server rolled its transaction back, and commits it once', async () => {
    let attempt = 0;
    const job = writeTransaction(async (tx) => {
      attempt++;
      await tx.run(sql`INSERT INTO note (id, attempt) VALUES ('retried', ${attempt})`);
      // The first run holds the lock past 5 s while another connection waits: sqld rolls it back.
      if (attempt === 1) await sleep(5_300);
      return attempt;
    });
    await sleep(100);
    await other.execute('INSERT INTO touch VALUES (-1)');
    expect(await job).toBe(2);
    expect((await other.execute("SELECT attempt FROM note WHERE id = 'retried'")).rows.map((r) => r.attempt)).toEqual([
      2,
    ]);
  });

  it('sends each job in one round trip: its SAVEPOINT goes with its first statement, its RELEASE with the next SAVEPOINT', async () => {
    // A counting proxy in front of the server: every HTTP request the app's client makes is one round trip.
    let requests = 0;
    const proxy = createServer((req, res) => {
      requests++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(sqld.url + req.url, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        }).then(async (r) => {
          res
            .writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
            .end(Buffer.from(await r.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    closeDb();
    process.env.DATABASE_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      await writeTransaction(async (tx) => tx.run(sql`INSERT INTO note (id, attempt) VALUES ('warm', 0)`));
      requests = 0;
      // Eight jobs queued together form one group (the server's maximum), each sending one statement at once, as
      // a quiz submit sends its writes (`execute()`: a query builder that is only awaited goes out a turn later,
      // after the SAVEPOINT has left on its own).
      const jobs = Array.from({ length: 8 }, (_, i) =>
        writeTransaction((tx) => tx.run(sql`INSERT INTO note (id, attempt) VALUES (${`rt${i}`}, 0)`).execute()),
      );
      await Promise.all(jobs);
      // BEGIN with the first SAVEPOINT, then the previous job's RELEASE + SAVEPOINT + statement per job (the first
      // job's statement waits for BEGIN: @libsql/client speaks Hrana 2 to this sqld), the last RELEASE, COMMIT:
      // 11 requests. Awaiting each SAVEPOINT and RELEASE on its own made it 25 (18 with only the
      // SAVEPOINT sent ahead).
      expect(requests).toBeLessThanOrEqual(8 + 3);
      expect((await other.execute("SELECT count(*) AS n FROM note WHERE id LIKE 'rt%'")).rows[0]!.n).toBe(8);
    } finally {
      closeDb();
      process.env.DATABASE_URL = sqld.url;
      proxy.close();
    }
  });
});
