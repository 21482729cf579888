/**
 * What every action handler does first and last: make sure someone is signed in (and may do this), and turn a
 * service's Refusal into the ActionError the island or form shows. The middleware already refuses by the access
 * table (src/lib/server/access.ts); these checks keep each action safe on its own.
 */
import { ActionError } from 'astro:actions';
import type { SessionUser } from '~/lib/server/session';
import { Refusal, SIGN_IN_FIRST } from '~/lib/refusal';

export function signedIn(locals: App.Locals): SessionUser {
  if (!locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: SIGN_IN_FIRST });
  return locals.user;
}

/** The signed-in person if their role is one of `roles`; else FORBIDDEN with `message`. */
export function withRole(
  locals: App.Locals,
  roles: readonly SessionUser['role'][],
  message = 'You may not do that.',
): SessionUser {
  const user = signedIn(locals);
  if (!roles.includes(user.role)) throw new ActionError({ code: 'FORBIDDEN', message });
  return user;
}

/** For `.catch(refusal)`: a Refusal becomes the ActionError of its code and message; anything else is rethrown. */
export function refusal(e: unknown): never {
  if (e instanceof Refusal) throw new ActionError({ code: e.code, message: e.message });
  throw e;
}
