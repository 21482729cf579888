/**
 * Accounts for tests: the demo organization (src/cli/seed/demo.ts) in a fresh database, and people from it as the
 * `SessionUser` that pages and services receive.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { userTable } from '../../db/schema';
import { seedDemoIfEmpty } from '../../src/cli/seed/demo';
import type { SessionUser } from '../../src/lib/server/session';
import { freshDb } from './db';

export { DEMO_PASSWORD } from '../../src/cli/seed/demo';

/** A fresh database holding the demo organization. */
/** A fresh database with the demo people (no activity history: each test writes the activity it needs). */
export async function freshDemoDb() {
  const db = await freshDb();
  await seedDemoIfEmpty({ history: false });
  return db;
}

export async function userByEmail(email: string): Promise<SessionUser> {
  const [u] = await getDb().select().from(userTable).where(eq(userTable.email, email));
  if (!u) throw new Error(`no user ${email}`);
  return {
    id: u.id,
    organizationId: u.organizationId,
    email: u.email,
    name: u.name,
    role: u.role,
    job: u.job,
    hireDate: u.hireDate,
  };
}
