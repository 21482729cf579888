/**
 * The server's notion of "now". Tests move it forward (cooldowns, expiry) through setClockOffset; the offset is
 * only settable when FRONTLINE_TEST_CLOCK=1, so production always runs on the wall clock.
 *
 * The offset is also kept in the database (`test_clock`), so the CLI commands (`npm run reminders`, the exports)
 * run on the same clock as the server they share a database with: each calls `followStoredClock()` first. Without
 * FRONTLINE_TEST_CLOCK=1 nothing is stored or read.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { testClockTable } from '../../../db/schema';
import { env } from '../../env';

let offsetMs = 0;

export function now(): number {
  return Date.now() + offsetMs;
}

export function testClockEnabled(): boolean {
  return env().testClock;
}

export function setClockOffset(ms: number): void {
  if (!testClockEnabled()) throw new Error('The test clock is disabled');
  offsetMs = ms;
}

/** Moves this process's clock and stores the offset for the other processes on the same database. */
export async function setSharedClockOffset(ms: number): Promise<void> {
  setClockOffset(ms);
  await getDb()
    .insert(testClockTable)
    .values({ id: 1, offsetMs: ms })
    .onConflictDoUpdate({ target: testClockTable.id, set: { offsetMs: ms } });
}

/** Takes the stored offset when the test clock is enabled (a no-op otherwise); returns the offset in force. */
export async function followStoredClock(): Promise<number> {
  if (!testClockEnabled()) return 0;
  const [row] = await getDb()
    .select({ offsetMs: testClockTable.offsetMs })
    .from(testClockTable)
    .where(eq(testClockTable.id, 1));
  offsetMs = row?.offsetMs ?? 0;
  return offsetMs;
}
