/** Sign out: POST only (a GET must never change state), then back to the sign-in page. */
import type { APIRoute } from 'astro';
import { deleteSessionTokenCookie, invalidateSession } from '../lib/server/session';

export const POST: APIRoute = async ({ locals, cookies, redirect }) => {
  if (locals.session) await invalidateSession(locals.session.id);
  deleteSessionTokenCookie(cookies);
  return redirect('/login?signed-out', 303);
};

export const GET: APIRoute = () =>
  new Response('Use the “Sign out” button to sign out.', {
    status: 405,
    headers: { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' },
  });
