/**
 * Hooks the accounts feature calls into assignments. Kept in their own file so that accounts does not depend on
 * how assignments work.
 *
 * Must stay free of `astro:*` imports: src/cli/seed/demo.ts runs it from the command line.
 */
import type { Tx } from '../../../db/client';
import type { userTable } from '../../../db/schema';
import { assignOnboarding } from './assignments.server';
import { loadTracks } from './track-source';

/**
 * Reads what the hooks need from disk (the tracks, once per process). Call it before the write transaction that
 * will run a hook: a job that waits on file I/O holds the write lock, and the queued writes behind it, meanwhile.
 */
export async function prepareAccountHooks(): Promise<void> {
  await loadTracks();
}

/**
 * Called inside the write transaction that creates an account (invite accepted, demo seed), after the user and
 * membership rows exist. A new rep gets the mandatory rep track(s), a new manager the manager track(s), due
 * `dueDays` (from the track) after their hire date; writing through `tx` keeps them atomic with the account.
 */
export async function onAccountCreated(tx: Tx, user: typeof userTable.$inferSelect): Promise<void> {
  await assignOnboarding(tx, user);
}
