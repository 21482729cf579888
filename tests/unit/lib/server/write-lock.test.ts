import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getClient } from '../../../../db/client';
import { MAX_GROUP, writeTransaction } from '~/lib/server/write-lock';
import type { Tx } from '../../../../db/client';
import { freshDb } from '../../../helpers/db';

/** Rows of the scratch table as another connection sees them: only what has been committed. */
async function committed(): Promise<string[]> {
  return (await getClient().execute('SELECT id FROM note ORDER BY id')).rows.map((r) => String(r.id));
}

const insert = (tx: Tx, id: string, parent: string | null = null) =>
  tx.run(sql`INSERT INTO note (id, parent) VALUES (${id}, ${parent})`);

beforeEach(async () => {
  await freshDb();
  await getClient().execute('CREATE TABLE note (id TEXT PRIMARY KEY, parent TEXT REFERENCES note(id))');
});

describe('writeTransaction (group commit)', () => {
  it('runs jobs queued together in one transaction, in order, each seeing the ones before it', async () => {
    const seen: { inTx: number; committed: string[] }[] = [];
    const job = (id: string) =>
      writeTransaction(async (tx) => {
        await insert(tx, id);
        seen.push({ inTx: (await tx.all(sql`SELECT id FROM note`)).length, committed: await committed() });
        return id;
      });
    expect(await Promise.all([job('a'), job('b'), job('c')])).toEqual(['a', 'b', 'c']);
    // Each job sees its predecessors' rows through the transaction, while nothing is committed yet.
    expect(seen).toEqual([
      { inTx: 1, committed: [] },
      { inTx: 2, committed: [] },
      { inTx: 3, committed: [] },
    ]);
    expect(await committed()).toEqual(['a', 'b', 'c']);
  });

  it('settles a job only after the commit that holds its writes', async () => {
    const afterResolve = await writeTransaction((tx) => insert(tx, 'a')).then(() => committed());
    expect(afterResolve).toEqual(['a']);
  });

  it('rolls back a job that throws, alone: the others in its group commit', async () => {
    const results = await Promise.allSettled([
      writeTransaction((tx) => insert(tx, 'a')),
      writeTransaction(async (tx) => {
        await insert(tx, 'b');
        throw new Error('refused');
      }),
      writeTransaction((tx) => insert(tx, 'a')), // duplicate key: SQLite refuses the statement
      writeTransaction((tx) => insert(tx, 'c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(String(((results[2] as PromiseRejectedResult).reason as Error).cause)).toMatch(/UNIQUE/);
    expect(await committed()).toEqual(['a', 'c']);
  });

  it('rejects every job of a group whose commit fails, and keeps none of its writes', async () => {
    const results = await Promise.allSettled([
      writeTransaction((tx) => insert(tx, 'a')),
      writeTransaction(async (tx) => {
        // A deferred foreign key is checked at COMMIT, so the group's commit itself fails.
        await tx.run(sql`PRAGMA defer_foreign_keys = ON`);
        await insert(tx, 'b', 'missing');
      }),
      writeTransaction((tx) => insert(tx, 'c')),
      writeTransaction(async () => {
        throw new Error('refused');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    // A job refused on its own keeps its own error.
    expect((results[3] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(await committed()).toEqual([]);
    // The queue goes on afterwards.
    await writeTransaction((tx) => insert(tx, 'd'));
    expect(await committed()).toEqual(['d']);
  });

  it(`commits at most ${MAX_GROUP} jobs at once; the rest form the next group`, async () => {
    const committedBefore: number[] = [];
    await Promise.all(
      Array.from({ length: MAX_GROUP + 1 }, (_, i) =>
        writeTransaction(async (tx) => {
          committedBefore.push((await committed()).length);
          await insert(tx, String(i).padStart(3, '0'));
        }),
      ),
    );
    expect(committedBefore.slice(0, MAX_GROUP).every((n) => n === 0)).toBe(true);
    expect(committedBefore[MAX_GROUP]).toBe(MAX_GROUP);
    expect(await committed()).toHaveLength(MAX_GROUP + 1);
  });

  it('queues a job that arrives while a group is running for the next group', async () => {
    // The late job is queued from outside the running one (from inside, writeTransaction refuses: see below).
    let running!: () => void;
    const groupRunning = new Promise<void>((resolve) => (running = resolve));
    const first = writeTransaction(async (tx) => {
      await insert(tx, 'a');
      running();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await groupRunning;
    const late = writeTransaction(async (tx2) => {
      expect(await committed()).toEqual(['a']);
      await insert(tx2, 'b');
    });
    await first;
    await late;
    expect(await committed()).toEqual(['a', 'b']);
  });
});

describe('writeTransaction called from inside a job', () => {
  it('is refused at once with an error that says why, and the job can go on with its own tx', async () => {
    let nested: unknown;
    const outer = await writeTransaction(async (tx) => {
      await insert(tx, 'a');
      nested = await writeTransaction((inner) => insert(inner, 'b')).catch((e: unknown) => e);
      await insert(tx, 'c');
      return 'outer done';
    });
    expect(outer).toBe('outer done');
    expect(nested).toBeInstanceOf(Error);
    expect((nested as Error).message).toMatch(/inside a write transaction/);
    expect(await committed()).toEqual(['a', 'c']);
  });

  it('is allowed from work a job started and left running after it ended', async () => {
    let later: Promise<unknown> | undefined;
    await writeTransaction(async (tx) => {
      await insert(tx, 'a');
      later = new Promise((resolve) => setTimeout(resolve, 10)).then(() => writeTransaction((t) => insert(t, 'b')));
    });
    await later;
    expect(await committed()).toEqual(['a', 'b']);
  });
});
