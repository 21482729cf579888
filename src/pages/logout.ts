/**
 * Sign out: POST only (a GET must never change state), then back to the sign-in page. Only the sign-out form's
 * own body (form data, which the origin check in the middleware covers) ends a session: any other body — JSON a
 * script sends, which the origin check lets through — is refused and changes nothing.
 */
import type { APIRoute } from 'astro';
import { sendsForm } from '../lib/server/action-body';
import { deleteSessionTokenCookie, invalidateSession } from '../lib/server/session';

export const POST: APIRoute = async ({ locals, cookies, redirect, request }) => {
  if (!sendsForm(request)) {
    return new Response('Sign out with the “Sign out” button.', {
      status: 415,
      headers: {
        accept: 'application/x-www-form-urlencoded, multipart/form-data',
        'content-type': 'text/plain; charset=utf-8',
      },
    });
  }
  if (locals.session) await invalidateSession(locals.session.id);
  deleteSessionTokenCookie(cookies);
  return redirect('/login?signed-out', 303);
};

export const GET: APIRoute = () =>
  new Response('Use the “Sign out” button to sign out.', {
    status: 405,
    headers: { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' },
  });
