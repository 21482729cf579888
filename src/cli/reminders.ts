/**
 * `npm run reminders` — the daily job (run it from cron): create renewal assignments for certificates expiring
 * within 30 days, write due-soon / overdue / expiring / expired notices to the outbox, and email the unsent ones
 * when SMTP is configured (see src/features/notifications/mail-config.ts). Running it twice adds and sends nothing
 * new. Each person's choices on /account are honoured (which reminders by email; each one or a weekly digest).
 * Links in the emails use SITE_URL (default http://localhost:4321).
 */
import nodemailer from 'nodemailer';
import { closeDb, databaseUrl, migrateDb } from '../../db/client';
import { createRenewalAssignments } from '../features/assignments/assignments.server';
import { env } from '../env';
import { produceNotices, sendPendingNotices } from '../features/notifications/reminders.server';
import { followStoredClock, now } from '../lib/server/clock';

async function main(): Promise<number> {
  const { mail, siteUrl: site } = env();
  await migrateDb();
  // Under FRONTLINE_TEST_CLOCK=1, the server's moved clock (tests run the whole lifecycle through this command).
  await followStoredClock();
  const at = now();
  const renewals = await createRenewalAssignments(at);
  const notices = await produceNotices(at, { learnUrl: `${site}/learn` });
  console.log(`${databaseUrl()}: ${renewals} renewal assignment(s), ${notices} new notice(s).`);
  if (!mail) {
    console.log('No SMTP_URL or SMTP_HOST set: notices stay on each learner’s home page.');
    return 0;
  }
  const transport = nodemailer.createTransport(mail.transport);
  try {
    const report = await sendPendingNotices(transport, { from: mail.from, siteUrl: site }, at);
    console.log(
      `Emailed ${report.sent} notice(s)${report.failed ? `; ${report.failed} failed and will be retried next run (${report.error})` : ''}.`,
    );
    return report.failed > 0 ? 1 : 0;
  } finally {
    transport.close();
  }
}

try {
  process.exitCode = await main();
} finally {
  closeDb();
}
