/**
 * The demo organization: 1 admin, 1 trainer, 2 managers each managing a team (and learning the manager track),
 * 6 reps (3 per team) hired at different times, all with one demo password, and a few months of their history
 * (attempts, role-play runs, certificates, written answers: see history.ts; quality evaluations of real contacts:
 * quality.ts).
 *
 * `seedDemoIfEmpty()` (used by `npm start`) writes only to a database without organizations or users, all in one
 * write transaction. `npm run db:seed` does the same from the command line; `npm run db:seed -- --reset` empties
 * every table first (in the same transaction) and recreates the demo.
 *
 * On a libSQL server each of the demo's ~260 statements would be a round trip inside that one write transaction:
 * at 20 ms a round trip, past sqld's 5-second limit. There the demo is built in a throw-away local file and sent
 * over as one batch (db/copy.ts): one request, one short transaction, still all or nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getTableName, is, sql } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import {
  BUSY_TIMEOUT_MS,
  databaseUrl,
  getClient,
  getDb,
  isEmbeddedUrl,
  migrateDb,
  type Db,
  type Tx,
} from '../../../db/client';
import { copyRows } from '../../../db/copy';
import { openEmbeddedClient } from '../../../db/embedded-client';
import * as schema from '../../../db/schema';
import { membershipTable, organizationTable, teamTable, userTable, type Job, type Role } from '../../../db/schema';
import { insertDemoHistory } from './history';
import { insertDemoQuality } from './quality';
import { prepareAccountHooks, type AccountHooks } from '../../features/assignments/hooks';
import { now } from '../../lib/server/clock';
import { newId } from '../../lib/server/ids';
import { hashPassword } from '../../lib/server/password';

export const DEMO_PASSWORD = 'frontline-demo-2026';

export interface DemoLogin {
  role: Role;
  email: string;
  password: string;
}

type Person = { email: string; name: string; role: Role; job: Job | null; hired?: { months?: number; days?: number } };

const teams = [
  {
    name: 'Billing Support',
    manager: { email: 'manager1@demo.test', name: 'Mia Chen', hired: { months: 50 } },
    reps: [
      { email: 'rep1@demo.test', name: 'Ravi Patel', hired: { days: 3 } },
      { email: 'rep2@demo.test', name: 'Sofia Rossi', hired: { months: 2 } },
      { email: 'rep3@demo.test', name: 'Jonas Berg', hired: { months: 14 } },
    ],
  },
  {
    name: 'Technical Support',
    // Promoted three weeks ago: the manager track is new to them.
    manager: { email: 'manager2@demo.test', name: 'Omar Haddad', hired: { days: 21 } },
    reps: [
      { email: 'rep4@demo.test', name: 'Lena Novak', hired: { days: 10 } },
      { email: 'rep5@demo.test', name: 'Kwame Mensah', hired: { months: 6 } },
      { email: 'rep6@demo.test', name: 'Grace Kim', hired: { months: 25 } },
    ],
  },
];

/** YYYY-MM-DD, `months` and `days` before `t` (UTC). */
function dateBefore(t: number, { months = 0, days = 0 }: { months?: number; days?: number }): string {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

async function isEmpty(tx: Tx | Db): Promise<boolean> {
  const [orgs] = await tx.select({ n: sql<number>`count(*)` }).from(organizationTable);
  const [users] = await tx.select({ n: sql<number>`count(*)` }).from(userTable);
  return orgs?.n === 0 && users?.n === 0;
}

/** No organization and no account: what `npm start` seeds the demo into, or asks for a first admin for. */
export const isEmptyDatabase = (): Promise<boolean> => isEmpty(getDb());

const tableNames = () =>
  Object.values(schema).flatMap((table) => (is(table, SQLiteTable) ? [getTableName(table)] : []));

async function wipe(tx: Tx): Promise<void> {
  // Foreign keys are checked at commit instead of per statement, so tables can be emptied in any order.
  await tx.run(sql`PRAGMA defer_foreign_keys = ON`);
  for (const name of tableNames()) await tx.run(sql`DELETE FROM ${sql.identifier(name)}`);
}

async function insertDemo(tx: Tx, passwordHash: string, history: boolean, hooks: AccountHooks): Promise<DemoLogin[]> {
  const t = now();
  // Accounts exist from their hire date, as if invited then: reports that look back (the monthly compliance trend)
  // then count each person's onboarding from when it was assigned. The organization predates everyone.
  const founded = Date.parse(dateBefore(t, { months: 60 }));
  const organizationId = newId();
  await tx.insert(organizationTable).values({ id: organizationId, name: 'Northwind Support', createdAt: founded });
  const logins: DemoLogin[] = [];
  const people = new Map<string, { id: string; job: Job }>();

  const addUser = async (p: Person, memberships: { teamId: string; kind: 'member' | 'manager' }[] = []) => {
    const [user] = await tx
      .insert(userTable)
      .values({
        id: newId(),
        organizationId,
        email: p.email,
        name: p.name,
        passwordHash,
        role: p.role,
        job: p.job,
        hireDate: p.hired ? dateBefore(t, p.hired) : null,
        active: true,
        createdAt: p.hired ? Date.parse(dateBefore(t, p.hired)) : founded,
      })
      .returning();
    if (!user) throw new Error(`could not insert ${p.email}`);
    for (const m of memberships)
      await tx.insert(membershipTable).values({ userId: user.id, ...m, createdAt: user.createdAt });
    await hooks.onAccountCreated(tx, user);
    if (p.job) people.set(p.email, { id: user.id, job: p.job });
    logins.push({ role: p.role, email: p.email, password: DEMO_PASSWORD });
  };

  await addUser({ email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', job: null });
  await addUser({ email: 'trainer@demo.test', name: 'Theo Trainer', role: 'trainer', job: null });
  for (const team of teams) {
    const teamId = newId();
    await tx.insert(teamTable).values({ id: teamId, organizationId, name: team.name, createdAt: founded });
    await addUser({ ...team.manager, role: 'manager', job: 'manager' }, [{ teamId, kind: 'manager' }]);
    for (const rep of team.reps) await addUser({ ...rep, role: 'learner', job: 'rep' }, [{ teamId, kind: 'member' }]);
  }
  if (history) {
    await insertDemoHistory(tx, people, t);
    await insertDemoQuality(tx, t);
  }
  return logins;
}

/**
 * Seeds the demo into an empty database; null (and nothing written) when it already holds an organization.
 * `history: false` gives the people without their months of activity: integration tests build their own.
 */
export async function seedDemoIfEmpty(
  options: { reset?: boolean; history?: boolean } = {},
): Promise<{ logins: DemoLogin[] } | null> {
  // One argon2 hash for everyone: they share the demo password, and hashing is the slow part.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const hooks = await prepareAccountHooks();
  if (!isEmbeddedUrl(databaseUrl())) return seedServerIfEmpty(passwordHash, hooks, options);
  return getDb().transaction(async (tx) => {
    if (options.reset) await wipe(tx);
    else if (!(await isEmpty(tx))) return null;
    return { logins: await insertDemo(tx, passwordHash, options.history ?? true, hooks) };
  });
}

async function seedServerIfEmpty(
  passwordHash: string,
  hooks: AccountHooks,
  options: { reset?: boolean; history?: boolean },
): Promise<{ logins: DemoLogin[] } | null> {
  if (!options.reset && !(await isEmpty(getDb()))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'fa-seed-'));
  const local = openEmbeddedClient(`file:${join(dir, 'demo.db')}`, { timeout: BUSY_TIMEOUT_MS });
  try {
    const db = drizzle(local, { schema });
    await migrate(db, { migrationsFolder: resolve(process.cwd(), 'db/migrations') });
    const logins = await db.transaction((tx) => insertDemo(tx, passwordHash, options.history ?? true, hooks));
    const emptyFirst = options.reset ? tableNames().map((name) => `DELETE FROM "${name}"`) : [];
    try {
      await copyRows(local, getClient(), { skip: ['__drizzle_migrations'], atomic: true, before: emptyFirst });
    } catch (e) {
      // Another app process seeded between our check and our batch (a unique email refused ours): nothing to do.
      if (!options.reset && !(await isEmpty(getDb()))) return null;
      throw e;
    }
    return { logins };
  } finally {
    local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run db:seed [-- --reset] | [-- --large …]` (src/cli/seed/cli.ts): the exit code. */
export async function seedCli(args: string[]): Promise<number> {
  // The large generated organization has its own options: see there.
  if (args.includes('--large')) return (await import('./large')).seedLargeCli(args, DEMO_PASSWORD);
  const unknown = args.filter((a) => a !== '--reset');
  if (unknown.length) {
    console.error(
      `Unknown option ${unknown.join(' ')}. Usage: npm run db:seed [-- --reset] | [-- --large [--learners N] [--reset]]`,
    );
    return 2;
  }
  await migrateDb();
  const seeded = await seedDemoIfEmpty({ reset: args.includes('--reset') });
  if (!seeded) {
    console.log(
      `${databaseUrl()} already has data; nothing seeded. Use \`npm run db:seed -- --reset\` to recreate it.`,
    );
    return 0;
  }
  console.log(`Seeded the demo organization into ${databaseUrl()}. Sign-ins:`);
  for (const l of seeded.logins) console.log(`  ${l.role.padEnd(8)} ${l.email.padEnd(22)} ${l.password}`);
  return 0;
}
