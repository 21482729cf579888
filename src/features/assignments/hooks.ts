/**
 * Hooks the accounts feature calls into assignments. Kept in their own file so that accounts does not depend on
 * how assignments work, and so this file can be filled in without touching accounts.
 *
 * Must stay free of `astro:*` imports: db/seed.ts runs it from the command line.
 */
import type { Tx } from '../../../db/client';
import type { userTable } from '../../../db/schema';

/**
 * Called inside the write transaction that creates an account (invite accepted, demo seed), after the user and
 * membership rows exist. Onboarding assignments for the new learner belong here; writing through `tx` keeps them
 * atomic with the account. Intentionally a no-op until the assignments feature fills it in.
 */
export async function onAccountCreated(_tx: Tx, _user: typeof userTable.$inferSelect): Promise<void> {}
