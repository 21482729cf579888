/**
 * `npm run db:backup -- [--dir DIR] [--keep N] | [FILE]`: a consistent snapshot of the embedded database while the
 * site keeps serving. VACUUM INTO reads inside one transaction, so the copy is a point-in-time image even with
 * writers active.
 *
 * Without FILE the snapshot is DIR/frontline-<time>.db (DIR defaults to data/backups); `--keep N` then deletes
 * all but the newest N snapshots in DIR (backup-rotation.ts), after the new one is written, for a daily timer.
 * Restore: stop the server, replace data/frontline.db with the snapshot (delete any -wal/-shm files), start again.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { closeDb, databaseUrl, getClient, isEmbeddedUrl } from './client';
import { snapshotName, snapshotsToDelete } from './backup-rotation';

const USAGE = 'Usage: npm run db:backup -- [--dir DIR] [--keep N] | [FILE]';

function readArgs(args: string[]): { target: string; keep?: number } | string {
  let dir = 'data/backups';
  let keep: number | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--dir' || arg === '--keep') {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value. ${USAGE}`;
      if (arg === '--dir') dir = value;
      else if (/^[1-9]\d*$/.test(value)) keep = Number(value);
      else return `--keep takes a whole number of snapshots, 1 or more (got "${value}"). ${USAGE}`;
    } else if (arg.startsWith('-') || file !== undefined) return `Unknown argument ${arg}. ${USAGE}`;
    else file = arg;
  }
  if (file !== undefined && (keep !== undefined || args.includes('--dir'))) {
    return `A FILE is one snapshot of your own: --dir and --keep apply to dated snapshots only. ${USAGE}`;
  }
  return { target: resolve(file ?? join(dir, snapshotName(new Date()))), keep };
}

function main(): Promise<number> | number {
  if (!isEmbeddedUrl(databaseUrl())) {
    console.error('db:backup snapshots the embedded database; for a libSQL server or Turso use its own backups.');
    return 2;
  }
  const args = readArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(args);
    return 2;
  }
  return snapshot(args.target, args.keep);
}

async function snapshot(target: string, keep: number | undefined): Promise<number> {
  if (existsSync(target)) {
    console.error(`${target} already exists; choose another path.`);
    return 2;
  }
  mkdirSync(dirname(target), { recursive: true });
  await getClient().execute({ sql: 'VACUUM INTO ?', args: [target] });
  console.log(`Snapshot written to ${target}`);
  if (keep !== undefined) {
    const old = snapshotsToDelete(readdirSync(dirname(target)), keep);
    for (const name of old) rmSync(join(dirname(target), name));
    console.log(`Kept the newest ${keep} snapshot(s); deleted ${old.length}.`);
  }
  return 0;
}

process.exitCode = await main();
closeDb();
