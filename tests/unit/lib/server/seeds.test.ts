import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { userTable, organizationTable } from '../../../../db/schema';
import { newId } from '~/lib/server/ids';
import { drawSeed } from '~/lib/server/seeds';
import { freshDb } from '../../../helpers/db';

let db: Awaited<ReturnType<typeof freshDb>>;
const ids = { a: newId(), b: newId(), sameName: newId() };

beforeAll(async () => {
  db = await freshDb();
  const org = newId();
  await db.insert(organizationTable).values({ id: org, name: 'Org', createdAt: 0 });
  for (const [key, name] of [
    ['a', 'Ada'],
    ['b', 'Bo'],
    ['sameName', 'Ada'],
  ] as const) {
    await db.insert(userTable).values({
      id: ids[key],
      organizationId: org,
      email: `${key}@x.test`,
      name,
      role: 'learner',
      passwordHash: 'x',
      createdAt: 0,
    });
  }
});
afterEach(() => vi.unstubAllEnvs());

async function seeds(user: string, item: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await drawSeed(db, user, item));
  return out;
}

describe('seeds', () => {
  it('are random in production: two draws for the same person and item differ', async () => {
    vi.stubEnv('FRONTLINE_TEST_SEEDS', '');
    const [x, y] = await seeds(ids.a, 'quiz:q', 2);
    expect(x).not.toBe(y);
    expect(Number.isInteger(x) && x! >= 0 && x! < 2 ** 32).toBe(true);
  });

  it('in test mode follow who, what and how many times, so a browser journey meets the same orders each run', async () => {
    vi.stubEnv('FRONTLINE_TEST_SEEDS', '1');
    const first = await seeds(ids.a, 'roleplay:r', 3);
    expect(new Set(first).size).toBe(3);
    // Another person with the same name (a new database next run) draws the same sequence…
    expect(await seeds(ids.sameName, 'roleplay:r', 3)).toEqual(first);
    // …and another name or another item does not.
    expect(await seeds(ids.b, 'roleplay:r', 1)).not.toEqual([first[0]]);
    expect(await seeds(ids.sameName, 'quiz:r', 1)).not.toEqual([first[0]]);
  });
});
