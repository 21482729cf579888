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

/** The hooks, ready to run inside a write transaction: what they read from disk has been read. */
export interface AccountHooks {
  /**
   * Called inside the write transaction that creates an account (invite accepted, demo seed), after the user and
   * membership rows exist. A new rep gets the mandatory rep track(s), a new manager the manager track(s), due
   * `dueDays` (from the track) after their hire date; writing through `tx` keeps them atomic with the account.
   */
  onAccountCreated(tx: Tx, user: typeof userTable.$inferSelect): Promise<void>;
}

/**
 * Reads what the hooks need from disk (the tracks, once per process) and returns them. Only this gives the hooks, so
 * they cannot run before it: a job that waits on file I/O would hold the write lock, and the writes queued behind
 * it, meanwhile. Call it before the write transaction.
 */
export async function prepareAccountHooks(): Promise<AccountHooks> {
  const tracks = await loadTracks();
  return {
    async onAccountCreated(tx, user) {
      await assignOnboarding(tx, user, tracks);
    },
  };
}
