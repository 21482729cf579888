import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../../../db/client';
import {
  assignmentTable,
  auditLogTable,
  certificateTable,
  judgmentAnswerTable,
  judgmentReviewTable,
  membershipTable,
  quizAttemptTable,
  roleplayRunTable,
  standardResultTable,
  teamTable,
  userTable,
} from '../../../../db/schema';
import { DEMO_PASSWORD, seedDemoIfEmpty } from '~/cli/seed/demo';
import { verifyPassword } from '~/lib/server/password';
import { freshDb } from '../../../helpers/db';

const DAY = 24 * 60 * 60 * 1000;
const userCount = async () =>
  (
    await getDb()
      .select({ n: sql<number>`count(*)` })
      .from(userTable)
  )[0]!.n;

describe('demo seed', () => {
  beforeEach(async () => {
    await freshDb();
  });

  it('creates 1 admin, 1 trainer, 2 managers with a team each and 6 reps, and returns their sign-ins', async () => {
    const seeded = await seedDemoIfEmpty();
    expect(seeded?.logins).toHaveLength(10);
    const users = await getDb().select().from(userTable);
    const byRole = (r: string) => users.filter((u) => u.role === r);
    expect([
      byRole('admin').length,
      byRole('trainer').length,
      byRole('manager').length,
      byRole('learner').length,
    ]).toEqual([1, 1, 2, 6]);
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

  it('tells a story: a fresh rep, an expiring and a certified rep, a certified manager, runs and written answers', async () => {
    await seedDemoIfEmpty();
    const t = Date.now();
    const users = await getDb().select().from(userTable);
    const id = (email: string) => users.find((u) => u.email === email)!.id;
    const of = async <T extends { userId: string }>(rows: Promise<T[]>, email: string) =>
      (await rows).filter((r) => r.userId === id(email));
    const certs = (email: string) => of(getDb().select().from(certificateTable), email);
    const attempts = (email: string) => of(getDb().select().from(quizAttemptTable), email);

    // rep1 is on day one, rep2 overdue and not started: nothing done, nothing earned.
    for (const email of ['rep1@demo.test', 'rep2@demo.test']) {
      expect(await attempts(email)).toEqual([]);
      expect(await of(getDb().select().from(roleplayRunTable), email)).toEqual([]);
      expect(await of(getDb().select().from(judgmentAnswerTable), email)).toEqual([]);
      expect(await certs(email)).toEqual([]);
    }

    // rep6: certified two years ago, renewed once, the renewal expiring within 30 days, with an open renewal notice.
    const grace = (await certs('rep6@demo.test')).sort((a, b) => a.issuedAt - b.issuedAt);
    expect(grace).toHaveLength(2);
    expect(grace[1]!.replacesId).toBe(grace[0]!.id);
    expect(grace[1]!.expiresAt).toBeGreaterThan(t);
    expect(grace[1]!.expiresAt).toBeLessThan(t + 30 * DAY);
    const renewal = await of(
      getDb().select().from(assignmentTable).where(eq(assignmentTable.kind, 'renewal')),
      'rep6@demo.test',
    );
    expect(renewal.map((a) => [a.certificateId, a.completedAt])).toEqual([[grace[1]!.id, null]]);

    // rep5 and manager1 hold valid certificates of their own track issued months ago; their onboarding is complete.
    for (const [email, track] of [
      ['rep5@demo.test', 'rep-onboarding'],
      ['manager1@demo.test', 'manager-essentials'],
    ]) {
      const [cert, ...more] = (await certs(email!)).filter((c) => c.trackId === track);
      expect(more).toEqual([]);
      expect(cert!.issuedAt).toBeLessThan(t - 60 * DAY);
      expect(cert!.expiresAt).toBeGreaterThan(t + 30 * DAY);
      const onboarding = await of(
        getDb().select().from(assignmentTable).where(eq(assignmentTable.kind, 'onboarding')),
        email!,
      );
      expect(onboarding.map((a) => a.completedAt)).toEqual([cert!.issuedAt]);
    }
    expect((await certs('rep5@demo.test')).map((c) => c.trackId)).toEqual(['rep-onboarding']);

    // Managers train on the frontline first (the manager track holds its modules), so the rules also gave Mia the
    // frontline certificate, before the manager one; Omar has it and is part-way through the manager modules.
    const mia = (await certs('manager1@demo.test')).sort((a, b) => a.issuedAt - b.issuedAt);
    expect(mia.map((c) => c.trackId)).toEqual(['rep-onboarding', 'manager-essentials']);
    expect((await certs('manager2@demo.test')).map((c) => c.trackId)).toEqual(['rep-onboarding']);

    // Part-way people have no certificate of their own track but some passes and a failed attempt.
    for (const [email, track] of [
      ['manager2@demo.test', 'manager-essentials'],
      ['rep3@demo.test', 'rep-onboarding'],
    ]) {
      expect((await certs(email!)).filter((c) => c.trackId === track)).toEqual([]);
      expect((await attempts(email!)).some((a) => a.passed)).toBe(true);
    }
    expect((await attempts('rep3@demo.test')).some((a) => a.passed === false)).toBe(true);

    // The e2e specs start late-delivery-promise from a first run as rep2, rep3 and rep4.
    const runs = await getDb().select().from(roleplayRunTable);
    const late = runs.filter((r) => r.roleplayId === 'late-delivery-promise').map((r) => r.userId);
    for (const email of ['rep2@demo.test', 'rep3@demo.test', 'rep4@demo.test']) expect(late).not.toContain(id(email));
    expect(runs.every((r) => r.status === 'ended')).toBe(true);
    expect(new Set(runs.map((r) => r.endingId)).size).toBeGreaterThan(2);

    // Graded answers feed the per-standard chart, over the last four months.
    const standards = await getDb().select().from(standardResultTable);
    const months = new Set(
      standards.filter((s) => s.at > t - 130 * DAY).map((s) => new Date(s.at).toISOString().slice(0, 7)),
    );
    expect(months.size).toBeGreaterThanOrEqual(4);
    expect(standards.some((s) => s.source === 'roleplay') && standards.some((s) => !s.ok)).toBe(true);

    // Two written answers: one reviewed with a comment, one waiting.
    const answers = await getDb().select().from(judgmentAnswerTable);
    const reviews = await getDb().select().from(judgmentReviewTable);
    expect(answers.every((a) => a.text)).toBe(true);
    expect(answers).toHaveLength(2);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.comment).not.toBe('');
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
    // The old row is gone; the only entries are those the demo's quality-floor rule writes (src/cli/seed/quality.ts).
    expect(
      (await getDb().select().from(auditLogTable)).map((a) => a.action).filter((a) => a !== 'quality.remedial.create'),
    ).toEqual([]);
    const [newAdmin] = await getDb().select().from(userTable).where(eq(userTable.email, 'admin@demo.test'));
    expect(newAdmin?.id).not.toBe(admin?.id);
  });
});
