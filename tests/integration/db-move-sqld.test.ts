/** `npm run db:move`: the embedded file to a real libSQL server and back, without losing or changing a row. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, databaseUrl } from '../../db/client';
import { fingerprint } from '../../db/copy';
import { moveDatabase } from '../../db/move';
import { seedDemoIfEmpty } from '../../src/cli/seed/demo';
import { freshDb } from '../helpers/db';
import { NODE, ROOT } from '../helpers/server';
import { startSqld, type RunningSqld } from '../helpers/sqld';

let sqld: RunningSqld;
let dir: string;
let source: string;

function move(from: string, to: string): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const proc = spawn(NODE, ['--import', 'tsx', join(ROOT, 'db/move.ts'), '--from', from, '--to', to], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', (code) => ok({ code, output }));
  });
}

const JOURNAL = ['__drizzle_migrations'];
async function fingerprintOf(url: string) {
  const client = createClient({ url });
  try {
    return await fingerprint(client, JOURNAL);
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  sqld = await startSqld();
  await freshDb();
  source = databaseUrl();
  await seedDemoIfEmpty({ history: true });
  closeDb();
  dir = mkdtempSync(join(tmpdir(), 'fa-move-'));
}, 60_000);

afterAll(async () => {
  await sqld?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run db:move', () => {
  it('moves the embedded database to sqld and back with every row of every table equal', async () => {
    const before = await fingerprintOf(source);
    expect(before.user!.rows).toBeGreaterThanOrEqual(10);
    expect(before.quiz_attempt!.rows).toBeGreaterThan(10);

    const up = await move(source, sqld.url);
    expect(up.output).toMatch(/every table's rows match the source/);
    expect(up.code).toBe(0);
    expect(await fingerprintOf(sqld.url)).toEqual(before);

    const back = `file:${join(dir, 'back.db')}`;
    // Back in-process (the command's own code), to keep the test short.
    await moveDatabase(sqld.url, back);
    expect(await fingerprintOf(back)).toEqual(before);
  }, 60_000);

  it('refuses a target that already holds rows, and leaves it as it was', async () => {
    const target = await fingerprintOf(sqld.url);
    await expect(moveDatabase(source, sqld.url)).rejects.toThrow(/is not empty \(\w+ has rows\)/);
    expect(await fingerprintOf(sqld.url)).toEqual(target);
  }, 30_000);
});
