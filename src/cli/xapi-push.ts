/**
 * `npm run xapi:push` — sends every xAPI statement the LRS at XAPI_LRS_URL has not accepted yet (see
 * src/features/exports/lrs-push.server.ts), after freezing the statements of records that have none. For cron, or
 * by hand; the server also pushes by itself every XAPI_PUSH_INTERVAL seconds. Exit code 1 when the LRS could not
 * be reached or refused the credentials (the statements wait for the next run), 2 when it is not configured.
 */
import { closeDb, migrateDb } from '../../db/client';
import { freezeAndPush } from '../features/exports/lrs-push.server';
import { env } from '../env';
import { XapiIriMissing } from '../features/exports/xapi/iri.server';
import { followStoredClock } from '../lib/server/clock';

async function main(): Promise<number> {
  const { lrs } = env().xapi;
  if (!lrs) {
    console.error('XAPI_LRS_URL is not set: there is no LRS to push to.');
    return 2;
  }
  await migrateDb();
  // Under FRONTLINE_TEST_CLOCK=1, the server's moved clock (tests run the whole lifecycle through this command).
  await followStoredClock();
  try {
    const report = await freezeAndPush(lrs);
    console.log(
      `${lrs.endpoint}: ${report.sent} statement(s) sent, ${report.rejected} refused by the LRS, ${report.pending} waiting.`,
    );
    if (report.error) {
      console.error(`Stopped: ${report.error}. The rest is tried again on the next run.`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof XapiIriMissing)) throw error;
    console.error(error.message);
    return 2;
  }
}

try {
  process.exitCode = await main();
} finally {
  closeDb();
}
