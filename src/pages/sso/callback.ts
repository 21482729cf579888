/**
 * Where identity providers send the browser back (the redirect URI an admin registers: SITE_URL + /sso/callback).
 * A GET by design (response_mode=query): a cross-site POST would need an exemption from the origin check.
 * Success: our own session, then where the person was going; any refusal: the sign-in page with its reason.
 */
import type { APIRoute } from 'astro';
import { completeSignIn } from '../../features/sso/sso.server';
import { takeStateCookie } from '../../features/sso/state-cookie';
import { homeFor } from '../../lib/nav';
import { clientAddress } from '../../lib/server/client-address';
import { invalidateSession, setSessionTokenCookie } from '../../lib/server/session';

export const GET: APIRoute = async ({ url, cookies, locals, request, clientAddress: address, redirect }) => {
  const outcome = await completeSignIn(url.search, takeStateCookie(cookies), {
    ip: clientAddress(request, address),
    userAgent: request.headers.get('user-agent'),
  });
  if (!outcome.ok) return redirect(`/login?sso=${outcome.reason}`, 303);
  // A fresh session, as at a password sign-in: one planted earlier is never promoted.
  if (locals.session) await invalidateSession(locals.session.id);
  setSessionTokenCookie(cookies, outcome.token, outcome.session.expiresAt);
  return redirect(outcome.next ?? homeFor(outcome.role), 303);
};
