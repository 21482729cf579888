/**
 * `npm run db:backup [-- path]`: a consistent snapshot of the embedded database while the site keeps serving.
 * VACUUM INTO reads inside one transaction, so the copy is a point-in-time image even with writers active.
 * Restore: stop the server, replace data/frontline.db with the snapshot (delete any -wal/-shm files), start again.
 */
import { existsSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { closeDb, databaseUrl, getClient } from './client';

if (!databaseUrl().startsWith('file:')) {
  console.error('db:backup snapshots the embedded database; for a libSQL server or Turso use its own backups.');
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = resolve(process.argv[2] ?? `data/backups/frontline-${stamp}.db`);
if (existsSync(target)) {
  console.error(`${target} already exists; choose another path.`);
  process.exit(2);
}
mkdirSync(dirname(target), { recursive: true });
await getClient().execute({ sql: 'VACUUM INTO ?', args: [target] });
closeDb();
console.log(`Snapshot written to ${target}`);
