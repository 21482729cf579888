/**
 * The single sign-on state cookie: ties the provider's answer to the browser that started the sign-in (no one can
 * send someone else's browser to /sso/callback with their own code: login CSRF). Lax, so the top-level redirect
 * back from the provider carries it; httpOnly; gone after LOGIN_LIFETIME or the callback.
 */
import type { AstroCookies } from 'astro';
import { secureCookies } from '../../lib/server/session';

const LIFETIME_SECONDS = 10 * 60;

function name(): string {
  return secureCookies() ? '__Host-sso_state' : 'sso_state';
}

export function setStateCookie(cookies: AstroCookies, state: string): void {
  cookies.set(name(), state, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    maxAge: LIFETIME_SECONDS,
  });
}

/** Reads and deletes it: a state is good for one answer. */
export function takeStateCookie(cookies: AstroCookies): string | undefined {
  const value = cookies.get(name())?.value;
  if (value !== undefined)
    cookies.delete(name(), { path: '/', secure: secureCookies(), httpOnly: true, sameSite: 'lax' });
  return value;
}
