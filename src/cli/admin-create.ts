/**
 * `npm run admin:create -- --email you@example.com --name "Your Name" [--organization "Your company"]`: the first
 * admin of a site without the demo (src/features/accounts/first-admin.server.ts). Prints a one-time link to choose
 * the password, built from SITE_URL; open it within 30 minutes. Exit code 2 for bad input, 1 when refused.
 */
import { parseArgs } from 'node:util';
import { closeDb, migrateDb } from '../../db/client';
import { env } from '../env';
import { AccountError, createAdminSchema } from '../features/accounts/accounts';
import { createAdmin } from '../features/accounts/first-admin.server';
import { formatDateTime } from '../lib/format';

const USAGE =
  'Usage: npm run admin:create -- --email you@example.com --name "Your Name" [--organization "Your company"]';

async function main(args: string[]): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: 'string' }, name: { type: 'string' }, organization: { type: 'string' } },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const input = createAdminSchema.safeParse(values);
  if (!input.success) {
    console.error(`${input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);
    return 2;
  }
  const config = env();
  await migrateDb();
  try {
    const made = await createAdmin(input.data);
    console.log(
      `${made.created ? 'Created the admin' : 'A new link for the admin'} ${input.data.email} of ${made.organization}.\n` +
        `Choose the password here before ${formatDateTime(made.expiresAt)}:\n\n  ${config.siteUrl}${made.setPasswordPath}\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof AccountError)) throw e;
    console.error(e.message);
    return 1;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  closeDb();
}
