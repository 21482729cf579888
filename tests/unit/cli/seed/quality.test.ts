/** The demo's quality story: made by the real floor rule, consistent with the training history (src/cli/seed/quality.ts). */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../../../db/client';
import { qualityEvaluationTable, qualityRemedialTable, userTable } from '../../../../db/schema';
import { seedDemoIfEmpty } from '~/cli/seed/demo';
import { remedialsOf } from '~/features/quality/team.server';
import { freshDb } from '../../../helpers/db';

let ids: Record<string, string>;

beforeAll(async () => {
  await freshDb();
  await seedDemoIfEmpty();
  const users = await getDb().select({ id: userTable.id, email: userTable.email }).from(userTable);
  ids = Object.fromEntries(users.map((u) => [u.email.split('@')[0]!, u.id]));
});

describe('demo quality', () => {
  it('sends Jonas and Sofia back to the modules that teach what they missed, and nobody else', async () => {
    const remedials = await getDb().select().from(qualityRemedialTable);
    const byRep = (rep: string) =>
      remedials
        .filter((r) => r.repId === ids[rep])
        .map((r) => [r.standardId, r.moduleId])
        .sort();
    expect(byRep('rep3')).toEqual([
      ['listen-without-interrupting', 'active-listening'],
      ['set-clear-expectations', 'setting-expectations'],
    ]);
    expect(byRep('rep2')).toEqual([
      ['set-clear-expectations', 'setting-expectations'],
      ['take-notes-and-paraphrase', 'active-listening'],
    ]);
    const others = Object.entries(ids)
      .filter(([k]) => k !== 'rep2' && k !== 'rep3')
      .map(([, id]) => id);
    expect(
      remedials
        .filter((r) => others.includes(r.repId))
        .map((r) => [Object.keys(ids).find((k) => ids[k] === r.repId), r.standardId, r.month]),
    ).toEqual([]);
  });

  it('shows Jonas’s listening module done (he passed its quiz after) and his expectations module open (he failed it)', async () => {
    const status = Object.fromEntries(
      (await remedialsOf([ids.rep3!])).map((r) => [r.moduleId, r.completedAt !== null]),
    );
    expect(status).toEqual({ 'active-listening': true, 'setting-expectations': false });
  });

  it('leaves Ravi, three days in, unscored, and this month’s evaluations unacknowledged', async () => {
    const evaluations = await getDb().select().from(qualityEvaluationTable);
    expect(evaluations.filter((e) => e.repId === ids.rep1)).toEqual([]);
    expect(evaluations.every((e) => e.status === 'submitted' && e.score !== null)).toBe(true);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(evaluations.filter((e) => e.month === thisMonth).every((e) => e.acknowledgedAt === null)).toBe(true);
    expect(evaluations.filter((e) => e.month < thisMonth).every((e) => e.acknowledgedAt !== null)).toBe(true);
    expect(evaluations.filter((e) => e.repId === ids.rep2).length).toBeGreaterThan(0);
  });

  it('keeps every evaluation within its rep’s team', async () => {
    const rows = await getDb().select().from(qualityEvaluationTable).where(eq(qualityEvaluationTable.repId, ids.rep5!));
    expect(new Set(rows.map((r) => r.teamId)).size).toBe(1);
  });
});
