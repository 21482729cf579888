/**
 * The seed behind what a learner is shown in an order of the server's choosing: a quiz attempt's draw and shuffle,
 * a role-play run's reply order. Random in production.
 *
 * With FRONTLINE_TEST_SEEDS=1 (set for the browser tests only) a seed is derived from who and what instead: the
 * person's name, the item, and how many seeds that person has drawn for that item in this process. An end-to-end
 * journey then meets the same orders on every run, so no test passes or fails by the luck of a shuffle, while two
 * runs of one person still differ.
 */
import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { userTable } from '../../../db/schema';
import type { Db, Tx } from '../../../db/client';
import { env } from '../../env';
import { sha256Hex } from './ids';

const drawn = new Map<string, number>();

export function testSeedsEnabled(): boolean {
  return env().testSeeds;
}

/** A 32-bit seed for `item` (e.g. "quiz:greeting-quiz") shown to `userId`. */
export async function drawSeed(tx: Db | Tx, userId: string, item: string): Promise<number> {
  if (!testSeedsEnabled()) return randomInt(0, 2 ** 32);
  const [user] = await tx.select({ name: userTable.name }).from(userTable).where(eq(userTable.id, userId));
  const key = `${userId}\n${item}`;
  const n = drawn.get(key) ?? 0;
  drawn.set(key, n + 1);
  return derivedSeed(user?.name ?? userId, item, n);
}

/** The test-mode seed of a person's `n`-th draw (from 0) for `item`: tests may pick a person whose draw they need. */
export function derivedSeed(name: string, item: string, n: number): number {
  return Number.parseInt(sha256Hex(`${name}\n${item}\n${n}`).slice(0, 8), 16);
}
