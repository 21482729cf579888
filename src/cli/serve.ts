/**
 * `npm start` runs this after the build: migrate, seed the demo organization if the database is empty, then start
 * Astro's standalone Node server (HOST/PORT from the environment).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { closeDb, databaseUrl, migrateDb } from '../../db/client';
import { seedDemoIfEmpty } from '../../db/seed';

await migrateDb();
const seeded = await seedDemoIfEmpty();
if (seeded) {
  console.log('\nSeeded a demo organization. Sign in with any of these (password for all: see below):\n');
  for (const row of seeded.logins) console.log(`  ${row.role.padEnd(8)} ${row.email.padEnd(32)} ${row.password}`);
  console.log('');
}
closeDb();
console.log(`Database: ${databaseUrl()}`);
await import(pathToFileURL(resolve(process.env.FRONTLINE_DIST ?? 'dist', 'server/entry.mjs')).href);
