/** `npm run db:migrate`: applies committed migrations to DATABASE_URL (default: the embedded file). */
import { closeDb, databaseUrl, migrateDb } from './client';

await migrateDb();
console.log(`Migrations applied to ${databaseUrl()}`);
closeDb();
