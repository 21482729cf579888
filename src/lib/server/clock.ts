/**
 * The server's notion of "now". Tests move it forward (cooldowns, expiry) through setClockOffset; the offset is
 * only settable when FRONTLINE_TEST_CLOCK=1, so production always runs on the wall clock.
 */
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
