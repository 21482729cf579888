import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../db/client';
import { auditLogTable, membershipTable, teamTable, userTable } from '../../../db/schema';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '../../../db/seed';
import { verifyPassword } from '../../../src/lib/server/password';
import { freshDb } from '../../helpers/db';

const DAY = 24 * 60 * 60 * 1000;
const userCount = async () => (await getDb().select({ n: sql<number>`count(*)` }).from(userTable))[0]!.n;

describe('demo seed', () => {
  beforeEach(async () => {
    await freshDb();
  });

  it('creates 1 admin, 1 trainer, 2 managers with a team each and 6 reps, and returns their sign-ins', async () => {
    const seeded = await seedDemoIfEmpty();
    expect(seeded?.logins).toHaveLength(10);
    const users = await getDb().select().from(userTable);
    const byRole = (r: string) => users.filter((u) => u.role === r);
    expect([byRole('admin').length, byRole('trainer').length, byRole('manager').length, byRole('learner').length]).toEqual([1, 1, 2, 6]);
    expect(byRole('manager').every((m) => m.job === 'manager' && m.hireDate)).toBe(true);
    expect(byRole('learner').every((m) => m.job === 'rep' && m.hireDate)).toBe(true);

    const teams = await getDb().select().from(teamTable);
    expect(teams).toHaveLength(2);
    for (const team of teams) {
      const members = await getDb().select().from(membershipTable).where(eq(membershipTable.teamId, team.id));
      expect(members.filter((m) => m.kind === 'manager')).toHaveLength(1);
      expect(members.filter((m) => m.kind === 'member')).toHaveLength(3);
    }
    expect(seeded?.logins.every((l) => l.password === DEMO_PASSWORD && l.email.endsWith('@demo.test'))).toBe(true);
  });

  it('gives reps varied hire dates: one this week, one about two months ago, one over a year ago', async () => {
    await seedDemoIfEmpty();
    const reps = await getDb().select().from(userTable).where(eq(userTable.role, 'learner'));
    const ages = reps.map((r) => (Date.now() - Date.parse(`${r.hireDate}T00:00:00Z`)) / DAY);
    expect(ages.some((d) => d <= 7)).toBe(true);
    expect(ages.some((d) => d >= 55 && d <= 65)).toBe(true);
    expect(ages.some((d) => d > 365)).toBe(true);
    expect(new Set(reps.map((r) => r.hireDate)).size).toBe(6);
  });

  it('hashes the demo password once and it verifies', async () => {
    await seedDemoIfEmpty();
    const hashes = new Set((await getDb().select({ h: userTable.passwordHash }).from(userTable)).map((r) => r.h));
    expect(hashes.size).toBe(1);
    expect(await verifyPassword([...hashes][0]!, DEMO_PASSWORD)).toBe(true);
  });

  it('never touches a database that already has data', async () => {
    await seedDemoIfEmpty();
    await getDb().update(userTable).set({ name: 'Renamed' }).where(eq(userTable.email, 'admin@demo.test'));
    expect(await seedDemoIfEmpty()).toBeNull();
    expect(await userCount()).toBe(10);
    const [admin] = await getDb().select().from(userTable).where(eq(userTable.email, 'admin@demo.test'));
    expect(admin?.name).toBe('Renamed');
  });

  it('--reset wipes every table and recreates the demo', async () => {
    await seedDemoIfEmpty();
    const [admin] = await getDb().select().from(userTable).where(eq(userTable.email, 'admin@demo.test'));
    await getDb().insert(auditLogTable).values({ id: 'x', actorId: admin!.id, action: 'test', createdAt: 1 });
    const again = await seedDemoIfEmpty({ reset: true });
    expect(again?.logins).toHaveLength(10);
    expect(await userCount()).toBe(10);
    expect(await getDb().select().from(auditLogTable)).toHaveLength(0);
    const [newAdmin] = await getDb().select().from(userTable).where(eq(userTable.email, 'admin@demo.test'));
    expect(newAdmin?.id).not.toBe(admin?.id);
  });
});
