/**
 * One temporary folder per test run, removed when the run ends, so that `npm test` leaves nothing in the system's
 * temp folder. The runner points TMPDIR at it before any test process starts; test processes, the servers they
 * start and Chromium inherit it, so every `mkdtemp(tmpdir())` (ours or a tool's) lands inside and goes with it,
 * even when a test fails before its own clean-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates the run's folder and sets TMPDIR to it; returns the function that removes it. */
export function useRunTmpdir(prefix: string): () => void {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.env.TMPDIR = dir;
  // Retries: a process a failed test left running (a CLI it spawned) may still be writing in there for a moment.
  return () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
