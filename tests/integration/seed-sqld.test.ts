/**
 * The demo seed and the large generator against a real libSQL server, where a long write transaction that someone
 * waits for is ended after 5 s: both must keep their transactions short (and the demo all or nothing).
 */
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeBoundedWriter } from '../../src/cli/seed/bulk-insert';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { seedDemoIfEmpty } from '../../src/cli/seed/demo';
import { seedLarge } from '../../src/cli/seed/large';
import { startSqld, type RunningSqld } from '../helpers/sqld';

let sqld: RunningSqld;
let other: Client;
const count = async (table: string) => Number((await other.execute(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n);

beforeAll(async () => {
  sqld = await startSqld();
  closeDb();
  process.env.DATABASE_URL = sqld.url;
  await migrateDb();
  other = createClient({ url: sqld.url });
});

afterAll(async () => {
  other?.close();
  closeDb();
  await sqld?.stop();
});

describe('seeding a libSQL server', () => {
  it('seeds the demo once when two processes start together, with its history, as one batch', async () => {
    const [a, b] = await Promise.all([seedDemoIfEmpty(), seedDemoIfEmpty()]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    expect((a ?? b)!.logins.map((l) => l.email)).toContain('admin@demo.test');
    expect(await count('user')).toBe(10);
    expect(await count('quiz_attempt')).toBeGreaterThan(10);
    expect(await seedDemoIfEmpty()).toBeNull();
    expect((await other.execute('PRAGMA foreign_key_check')).rows).toEqual([]);
  }, 60_000);

  it('generates a large organization in short transactions while another writer waits for the lock', async () => {
    await getClient().execute('CREATE TABLE IF NOT EXISTS touch (n INTEGER)');
    let running = true;
    let touches = 0;
    const writer = (async () => {
      for (; running; touches++) {
        await other.execute({ sql: 'INSERT INTO touch VALUES (?)', args: [touches] });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const result = await seedLarge({
      learners: 60,
      attemptsPerLearner: 12,
      password: 'a-long-test-password',
      reset: true,
    }).finally(() => (running = false));
    await writer;
    expect(await count('quiz_attempt')).toBe(result.rows.quiz_attempt);
    expect(await count('user')).toBe(result.rows.user);
    expect(touches).toBeGreaterThan(0);
    expect((await other.execute('PRAGMA foreign_key_check')).rows).toEqual([]);
  }, 120_000);
});

describe('TimeBoundedWriter', () => {
  it('commits once its budget is spent and begins anew, and rolls back what is left on close', async () => {
    const log: string[] = [];
    const fake = {
      transaction: async () => ({
        execute: async (s: { sql: string }) => void log.push(s.sql),
        commit: async () => void log.push('COMMIT'),
        close: () => void log.push('CLOSE'),
      }),
    };
    const w = new TimeBoundedWriter(fake, 0);
    await w.execute({ sql: 'a', args: [] });
    await w.execute({ sql: 'b', args: [] });
    expect(log).toEqual(['a', 'COMMIT', 'CLOSE', 'b', 'COMMIT', 'CLOSE']);
    const whole = new TimeBoundedWriter(fake, Infinity);
    log.length = 0;
    await whole.execute({ sql: 'c', args: [] });
    await whole.execute({ sql: 'd', args: [] });
    whole.close();
    expect(log).toEqual(['c', 'd', 'CLOSE']);
  });
});
