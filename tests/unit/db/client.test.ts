import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDb, getClient, getDb } from '../../../db/client';
import { freshDb } from '../../helpers/db';

describe('embedded database settings', () => {
  it('runs in WAL mode with a busy timeout and foreign keys on, also inside transactions', async () => {
    await freshDb();
    const pragma = async (name: string) => Object.values((await getClient().execute(`PRAGMA ${name}`)).rows[0]!)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(10_000);
    expect(await pragma('foreign_keys')).toBe(1);
    const inTx = await getDb().transaction(async (tx) => {
      const fk = await tx.all<{ foreign_keys: number }>(sql`PRAGMA foreign_keys`);
      const timeout = await tx.all<{ timeout: number }>(sql`PRAGMA busy_timeout`);
      return [fk[0]?.foreign_keys, timeout[0]?.timeout];
    });
    expect(inTx).toEqual([1, 10_000]);
  });

  it('rejects rows that break a foreign key', async () => {
    await freshDb();
    await expect(
      getClient().execute(
        "INSERT INTO team (id, organization_id, name, created_at) VALUES ('t', 'no-such-org', 'x', 1)",
      ),
    ).rejects.toThrow(/FOREIGN KEY/);
  });
});

describe('one client per process', () => {
  it('is shared by every copy of db/client (the source one serve.ts loads and the built server’s), so closeDb closes the one in use', async () => {
    await freshDb();
    // A query string makes the module runner load a second, separate instance of the module.
    const second = '../../../db/client?second-copy';
    const copy = (await import(/* @vite-ignore */ second)) as typeof import('../../../db/client');
    expect(copy.closeDb).not.toBe(closeDb);
    const client = getClient();
    expect(copy.getClient()).toBe(client);
    expect(copy.getDb()).toBe(getDb());
    copy.closeDb();
    expect(client.closed).toBe(true);
    expect(getClient()).not.toBe(client);
  });
});
