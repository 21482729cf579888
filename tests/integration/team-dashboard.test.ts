/**
 * The team dashboard's data against the demo organization: scoping (a manager sees only the teams they manage,
 * their rows and their CSV), status and progress from real rows, per-standard tallies, the trend, and the admin
 * overview's paging.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { certificateTable, membershipTable, quizAttemptTable, standardResultTable, teamTable } from '../../db/schema';
import { loadValidContent, type Entry } from '../../src/features/content/load';
import { recordsToCsv } from '../../src/features/reports/csv';
import { organizationOverview } from '../../src/features/reports/overview.server';
import { teamCsvColumns, teamCsvRows } from '../../src/features/reports/team';
import { loadTeamPeople, standardResults, teamTrend } from '../../src/features/reports/team.server';
import { now } from '../../src/lib/server/clock';
import { newId } from '../../src/lib/server/ids';
import { teamMembers, visibleTeam, visibleTeams } from '../../src/lib/server/team-scope';
import { freshDemoDb, userByEmail } from '../helpers/accounts';
import { fakeContent } from '../helpers/fake-catalog';

// The shared fake catalog has no standards; titles then fall back to ids, which is what these tests compare.
vi.mock('../../src/lib/server/catalog', async () => ({
  ...(await import('../helpers/fake-catalog')),
  listStandards: async () => [],
}));

const DAY = 86_400_000;
const dataOf = <T>(map: Map<string, Entry<T>>) => [...map.values()].flatMap((e) => (e.data ? [e.data] : []));

beforeAll(async () => {
  const content = await loadValidContent('content');
  fakeContent.tracks = dataOf(content.tracks);
  fakeContent.quizzes = dataOf(content.quizzes);
  fakeContent.roleplays = dataOf(content.roleplays);
});

beforeEach(async () => {
  await freshDemoDb();
});

async function teamOf(managerEmail: string) {
  const m = await userByEmail(managerEmail);
  const [row] = await getDb()
    .select({ id: teamTable.id, name: teamTable.name })
    .from(membershipTable)
    .innerJoin(teamTable, eq(teamTable.id, membershipTable.teamId))
    .where(and(eq(membershipTable.userId, m.id), eq(membershipTable.kind, 'manager')));
  return row!;
}

describe('scope', () => {
  it('shows a manager only the teams they manage, and an admin every team', async () => {
    const manager = await userByEmail('manager1@demo.test');
    const admin = await userByEmail('admin@demo.test');
    const own = await teamOf('manager1@demo.test');
    const other = await teamOf('manager2@demo.test');
    expect(await visibleTeams(manager)).toEqual([own]);
    expect(await visibleTeam(manager, own.id)).toEqual(own);
    expect(await visibleTeam(manager, other.id)).toBeUndefined();
    expect((await visibleTeams(admin)).map((t) => t.name)).toEqual(['Billing Support', 'Technical Support']);
    expect(await visibleTeam(admin, other.id)).toEqual(other);
    expect(await visibleTeams(await userByEmail('rep1@demo.test'))).toEqual([]);
    expect(await visibleTeam(await userByEmail('trainer@demo.test'), own.id)).toBeUndefined();
  });

  it('puts only the team’s members in its rows and its CSV', async () => {
    const own = await teamOf('manager1@demo.test');
    const { people } = await loadTeamPeople(await teamMembers([own.id]), now());
    expect(people.map((p) => p.email).sort()).toEqual(['rep1@demo.test', 'rep2@demo.test', 'rep3@demo.test']);
    const csv = recordsToCsv(teamCsvColumns, teamCsvRows(own.name, people));
    expect(csv).toContain('Ravi Patel');
    for (const other of ['Lena Novak', 'Kwame Mensah', 'Grace Kim', 'rep4@demo.test']) expect(csv).not.toContain(other);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 3);
  });
});

describe('rows', () => {
  it('derives status, progress and compliance from certificates and passed attempts', async () => {
    const own = await teamOf('manager1@demo.test');
    const [rep1, rep2] = await Promise.all([userByEmail('rep1@demo.test'), userByEmail('rep2@demo.test')]);
    const t = now();
    await getDb()
      .insert(certificateTable)
      .values({
        id: newId(),
        code: newId(),
        userId: rep2.id,
        trackId: 'rep-onboarding',
        issuedAt: t - DAY,
        expiresAt: t + 300 * DAY,
        moduleVersions: {},
      });
    await getDb()
      .insert(quizAttemptTable)
      .values({
        id: newId(),
        userId: rep1.id,
        quizId: 'greeting-and-attitude-quiz',
        moduleId: 'greeting-and-attitude',
        mode: 'certification',
        contentVersion: 'v1',
        seed: 1,
        questions: [],
        startedAt: t - 2 * DAY,
        submittedAt: t - 2 * DAY,
        status: 'submitted',
        score: 100,
        passed: true,
      });
    const { people, summary } = await loadTeamPeople(await teamMembers([own.id]), t);
    const line = (email: string) => people.find((p) => p.email === email)!.lines[0]!;
    expect(line('rep2@demo.test')).toMatchObject({ status: 'certified', trackTitle: 'Customer service onboarding' });
    const requirements = fakeContent.tracks.find((tr) => tr.id === 'rep-onboarding')!.requires.length;
    expect(line('rep1@demo.test')).toMatchObject({ status: 'on-track', done: 1, total: requirements });
    expect(line('rep3@demo.test').status).toBe('overdue');
    expect(people.find((p) => p.email === 'rep1@demo.test')!.lastActivity).toBe(t - 2 * DAY);
    expect(summary).toMatchObject({
      mandatory: 3,
      mandatoryCertified: 1,
      counts: { overdue: 1, 'on-track': 1, certified: 1 },
    });
    expect(summary.compliancePct).toBeCloseTo(100 / 3);
  });

  it('tallies per-standard results in SQL, weakest first, within the period', async () => {
    const own = await teamOf('manager1@demo.test');
    const ids = (await teamMembers([own.id])).map((m) => m.id);
    const rep4 = await userByEmail('rep4@demo.test');
    const t = now();
    const row = (userId: string, standardId: string, ok: boolean, at = t - DAY) => ({
      id: newId(),
      userId,
      standardId,
      source: 'quiz' as const,
      sourceId: 'x',
      ok,
      at,
    });
    await getDb()
      .insert(standardResultTable)
      .values([
        row(ids[0]!, 'never-argue', true),
        row(ids[1]!, 'never-argue', false),
        row(ids[0]!, 'use-the-customer-name', true),
        row(ids[0]!, 'use-the-customer-name', true, t - 200 * DAY),
        row(rep4.id, 'never-argue', false),
      ]);
    const bars = await standardResults(ids, t - 90 * DAY);
    expect(bars.map((b) => [b.standardId, b.ok, b.total])).toEqual([
      ['never-argue', 1, 2],
      ['use-the-customer-name', 1, 1],
    ]);
  });

  it('draws twelve months of trend with the month’s average score', async () => {
    const own = await teamOf('manager1@demo.test');
    const members = await teamMembers([own.id]);
    const t = now();
    const facts = await loadTeamPeople(members, t);
    for (const [score, userId] of [
      [60, members[0]!.id],
      [80, members[1]!.id],
    ] as const) {
      await getDb()
        .insert(quizAttemptTable)
        .values({
          id: newId(),
          userId,
          quizId: 'greeting-and-attitude-quiz',
          moduleId: 'greeting-and-attitude',
          mode: 'certification',
          contentVersion: 'v1',
          seed: 1,
          questions: [],
          startedAt: t - 1000,
          submittedAt: t - 1000,
          status: 'submitted',
          score,
          passed: false,
        });
    }
    const points = await teamTrend(
      members.map((m) => m.id),
      facts,
      t,
    );
    expect(points).toHaveLength(12);
    expect(points.at(-1)).toMatchObject({ averageScore: 70, scoreCount: 2, compliancePct: 0 });
    expect(points[0]!.averageScore).toBeNull();
  });
});

describe('admin overview', () => {
  it('pages through teams by name, each line counting only its own members', async () => {
    const admin = await userByEmail('admin@demo.test');
    const first = await organizationOverview(admin.organizationId, 1, now(), 1);
    expect(first).toMatchObject({ page: 1, pages: 2, teams: 2 });
    expect(first.lines.map((l) => [l.team.name, l.managers, l.people, l.summary.mandatory])).toEqual([
      ['Billing Support', ['Mia Chen'], 3, 3],
    ]);
    const second = await organizationOverview(admin.organizationId, 9, now(), 1);
    expect(second.page).toBe(2);
    expect(second.lines.map((l) => l.team.name)).toEqual(['Technical Support']);
  });
});
