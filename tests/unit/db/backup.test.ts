import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotName, snapshotsToDelete } from '../../../db/backup-rotation';
import { NODE, ROOT } from '../../helpers/server';

describe('snapshotsToDelete', () => {
  const day = (d: number) => snapshotName(new Date(Date.UTC(2026, 0, d, 3, 0, 0)));

  it('keeps the newest N dated snapshots, whatever order the folder lists them in', () => {
    const names = [day(3), day(1), day(4), day(2)];
    expect(snapshotsToDelete(names, 2)).toEqual([day(1), day(2)]);
    expect(snapshotsToDelete(names, 4)).toEqual([]);
    expect(snapshotsToDelete(names, 9)).toEqual([]);
  });

  it('never touches files it did not name', () => {
    expect(snapshotsToDelete(['frontline.db', 'notes.txt', 'frontline-before-upgrade.db', day(1), day(2)], 1)).toEqual([
      day(1),
    ]);
  });
});

describe('npm run db:backup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-backup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dbFile = join(dir, 'app.db');
  const backups = join(dir, 'backups');
  const db = new Database(dbFile);
  db.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
  db.close();

  const backup = (...args: string[]) =>
    spawnSync(NODE, ['--import', 'tsx', join(ROOT, 'db/backup.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
      encoding: 'utf8',
    });

  it("with --keep 2, leaves the newest two readable snapshots and the folder's other files", () => {
    mkdirSync(backups);
    writeFileSync(join(backups, 'frontline-before-upgrade.db'), 'kept by hand');
    const runs = [1, 2, 3].map(() => backup('--dir', backups, '--keep', '2'));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const written = runs.map((r) => /Snapshot written to (.+)/.exec(r.stdout)![1]!.split('/').at(-1)!);
    expect(new Set(written).size).toBe(3);
    expect(readdirSync(backups).sort()).toEqual(['frontline-before-upgrade.db', ...written.slice(1)].sort());
    const copy = new Database(join(backups, written[2]!), { readonly: true });
    expect((copy.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(3);
    copy.close();
  });

  it('refuses a bad --keep and --keep with a file of your own, writing nothing', () => {
    for (const args of [['--keep', '0'], ['--keep'], [join(dir, 'mine.db'), '--keep', '1']]) {
      const run = backup(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/Usage: npm run db:backup/);
    }
    expect(readdirSync(dir)).not.toContain('mine.db');
  });
});
