/**
 * Assignment rules against a real database holding the demo organization: onboarding on account creation,
 * manual assignment scoped to the manager's teams, completion derived from certificates, renewal idempotence.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { assignmentTable, certificateTable, membershipTable, teamTable, userTable } from '../../db/schema';
import { prepareAccountHooks } from '../../src/features/assignments/hooks';
import {
  assignmentFacts,
  assignTrack,
  AssignmentError,
  createRenewalAssignments,
} from '../../src/features/assignments/assignments.server';
import { endOfUtcDay, isoDateOf, startOfIsoDate } from '../../src/features/assignments/assignments';
import { now } from '../../src/lib/server/clock';
import { newId } from '../../src/lib/server/ids';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

const DAY = 24 * 60 * 60 * 1000;

beforeEach(async () => {
  await freshDemoDb();
});

async function assignmentsOf(email: string) {
  const u = await userByEmail(email);
  return getDb().select().from(assignmentTable).where(eq(assignmentTable.userId, u.id));
}

async function teamOf(managerEmail: string) {
  const m = await userByEmail(managerEmail);
  const [row] = await getDb()
    .select({ id: teamTable.id, name: teamTable.name })
    .from(membershipTable)
    .innerJoin(teamTable, eq(teamTable.id, membershipTable.teamId))
    .where(and(eq(membershipTable.userId, m.id), eq(membershipTable.kind, 'manager')));
  return row!;
}

async function certify(
  userId: string,
  trackId: string,
  issuedAt: number,
  expiresAt: number,
  extra: Partial<typeof certificateTable.$inferInsert> = {},
) {
  const id = newId();
  await getDb()
    .insert(certificateTable)
    .values({ id, code: newId(), userId, trackId, issuedAt, expiresAt, moduleVersions: {}, ...extra });
  return id;
}

describe('onboarding on account creation', () => {
  it('gives each new rep the rep track, due 30 days after their hire date (end of day, UTC)', async () => {
    const rep1 = await userByEmail('rep1@demo.test');
    const rows = await assignmentsOf('rep1@demo.test');
    expect(rows.map((r) => [r.trackId, r.kind, r.mandatory])).toEqual([['rep-onboarding', 'onboarding', true]]);
    expect(rows[0]!.dueAt).toBe(endOfUtcDay(startOfIsoDate(rep1.hireDate!)! + 30 * DAY));
  });

  it('gives managers the manager track (30 days, like the frontline) and admins and trainers nothing', async () => {
    const manager = await userByEmail('manager2@demo.test');
    const rows = await assignmentsOf('manager2@demo.test');
    expect(rows.map((r) => [r.trackId, r.mandatory])).toEqual([['manager-essentials', true]]);
    expect(isoDateOf(rows[0]!.dueAt)).toBe(isoDateOf(startOfIsoDate(manager.hireDate!)! + 30 * DAY));
    expect(await assignmentsOf('admin@demo.test')).toEqual([]);
    expect(await assignmentsOf('trainer@demo.test')).toEqual([]);
  });

  it('never doubles onboarding when the hook runs again for the same account', async () => {
    const rep = await userByEmail('rep2@demo.test');
    const [full] = await getDb().select().from(userTable).where(eq(userTable.id, rep.id));
    const hooks = await prepareAccountHooks();
    await getDb().transaction((tx) => hooks.onAccountCreated(tx, full!));
    expect(await assignmentsOf('rep2@demo.test')).toHaveLength(1);
  });
});

describe('manual assignment', () => {
  const due = () => isoDateOf(now() + 14 * DAY);

  it('stops before giving a manager track to reps: nothing is written until the reps named are confirmed', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const team = await teamOf('manager1@demo.test');
    const asked = await assignTrack(manager, {
      team: team.id,
      who: 'team',
      track: 'manager-essentials',
      due: due(),
      priority: 'recommended',
    });
    expect(asked.created).toBe(0);
    expect(asked.confirmReps).toHaveLength(3);
    expect((await assignmentsOf('rep3@demo.test')).filter((r) => r.kind === 'manual')).toEqual([]);
  });

  it('assigns a track to every member of the manager’s team in one go, and skips those already assigned', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const team = await teamOf('manager1@demo.test');
    const first = await assignTrack(manager, {
      team: team.id,
      who: 'team',
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due: due(),
      priority: 'recommended',
    });
    expect(first).toMatchObject({ created: 3, skipped: 0, teamName: 'Billing Support' });
    const rows = (await assignmentsOf('rep3@demo.test')).filter((r) => r.kind === 'manual');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ trackId: 'manager-essentials', mandatory: false, assignedBy: manager.id });
    expect(rows[0]!.dueAt).toBe(endOfUtcDay(startOfIsoDate(due())!));

    const again = await assignTrack(manager, {
      team: team.id,
      who: 'team',
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due: due(),
      priority: 'mandatory',
    });
    expect(again).toMatchObject({ created: 0, skipped: 3 });
  });

  it('refuses another manager’s team and people outside the team, writing nothing', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const other = await teamOf('manager2@demo.test');
    await expect(
      assignTrack(manager, { team: other.id, who: 'team', track: 'rep-onboarding', due: due(), priority: 'mandatory' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const own = await teamOf('manager1@demo.test');
    const stranger = await userByEmail('rep4@demo.test');
    const refused = assignTrack(manager, {
      team: own.id,
      who: stranger.id,
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due: due(),
      priority: 'mandatory',
    });
    await expect(refused).rejects.toBeInstanceOf(AssignmentError);
    await expect(refused).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await assignmentsOf('rep4@demo.test')).filter((r) => r.kind === 'manual')).toEqual([]);
  });

  it('lets an admin assign to any team of the organization, one person at a time too', async () => {
    const admin = await userByEmail('admin@demo.test');
    const team = await teamOf('manager2@demo.test');
    const rep5 = await userByEmail('rep5@demo.test');
    const result = await assignTrack(admin, {
      team: team.id,
      who: rep5.id,
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due: due(),
      priority: 'mandatory',
    });
    expect(result.created).toBe(1);
    expect((await assignmentsOf('rep6@demo.test')).filter((r) => r.kind === 'manual')).toEqual([]);
  });

  it('refuses a track that does not exist', async () => {
    const admin = await userByEmail('admin@demo.test');
    const team = await teamOf('manager1@demo.test');
    await expect(
      assignTrack(admin, { team: team.id, who: 'team', track: 'no-such-track', due: due(), priority: 'mandatory' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('completion', () => {
  it('is derived from a certificate earned after the assignment was made', async () => {
    const rep = await userByEmail('rep1@demo.test');
    const [before] = await assignmentFacts([rep.id]);
    expect(before!.completedAt).toBeNull();
    const issuedAt = now() + 1000;
    await certify(rep.id, 'rep-onboarding', issuedAt, issuedAt + 365 * DAY);
    const [after] = await assignmentFacts([rep.id]);
    expect(after!.completedAt).toBe(issuedAt);
  });

  it('does not count someone else’s certificate', async () => {
    const [rep1, rep2] = await Promise.all([userByEmail('rep1@demo.test'), userByEmail('rep2@demo.test')]);
    await certify(rep2.id, 'rep-onboarding', now() + 1000, now() + 365 * DAY);
    const [facts] = await assignmentFacts([rep1.id]);
    expect(facts!.completedAt).toBeNull();
  });

  it('does not count a certificate from before the assignment', async () => {
    const rep = await userByEmail('rep2@demo.test');
    const [a] = await assignmentsOf('rep2@demo.test');
    await certify(rep.id, 'rep-onboarding', a!.createdAt - 10 * DAY, a!.createdAt + 300 * DAY);
    const [facts] = await assignmentFacts([rep.id]);
    expect(facts!.completedAt).toBeNull();
  });
});

describe('renewal assignments', () => {
  it('are created once, 30 days before a certificate expires, due on expiry', async () => {
    const rep = await userByEmail('rep3@demo.test');
    const t = now();
    const soon = await certify(rep.id, 'rep-onboarding', t - 340 * DAY, t + 20 * DAY);
    expect(await createRenewalAssignments(t)).toBe(1);
    expect(await createRenewalAssignments(t)).toBe(0);
    const renewals = (await assignmentsOf('rep3@demo.test')).filter((r) => r.kind === 'renewal');
    expect(renewals).toHaveLength(1);
    expect(renewals[0]).toMatchObject({
      certificateId: soon,
      dueAt: t + 20 * DAY,
      trackId: 'rep-onboarding',
      mandatory: true,
    });
  });

  it('are mandatory only when the person’s own assignment of the track is', async () => {
    const t = now();
    const admin = await userByEmail('admin@demo.test');
    const [rep1, rep4] = await Promise.all([userByEmail('rep1@demo.test'), userByEmail('rep4@demo.test')]);
    const due = isoDateOf(t + 10 * DAY);
    await assignTrack(admin, {
      team: (await teamOf('manager1@demo.test')).id,
      who: rep1.id,
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due,
      priority: 'recommended',
    });
    await assignTrack(admin, {
      team: (await teamOf('manager2@demo.test')).id,
      who: rep4.id,
      track: 'manager-essentials',
      confirm: 'manager-track-to-reps',
      due,
      priority: 'mandatory',
    });
    await certify(rep1.id, 'manager-essentials', t - 700 * DAY, t + 20 * DAY);
    expect(await createRenewalAssignments(t)).toBe(1);
    const [renewal] = (await assignmentsOf('rep1@demo.test')).filter((r) => r.kind === 'renewal');
    expect(renewal).toMatchObject({ trackId: 'manager-essentials', mandatory: false });
  });

  it('skip certificates far from expiry, already renewed, or revoked', async () => {
    const t = now();
    const [a, b, c] = await Promise.all(['rep4@demo.test', 'rep5@demo.test', 'rep6@demo.test'].map(userByEmail));
    await certify(a!.id, 'rep-onboarding', t - 300 * DAY, t + 60 * DAY);
    await certify(b!.id, 'rep-onboarding', t - 340 * DAY, t + 20 * DAY);
    await certify(b!.id, 'rep-onboarding', t - DAY, t + 364 * DAY);
    await certify(c!.id, 'rep-onboarding', t - 340 * DAY, t + 20 * DAY, { revokedAt: t - DAY });
    expect(await createRenewalAssignments(t)).toBe(0);
  });
});
