/**
 * Every request: session cookie → locals.user, then the route guard from src/lib/server/access.ts, then
 * security headers. Signed-out visitors of a protected page go to /login?next=…; a wrong role gets the 403 page.
 */
import { defineMiddleware } from 'astro:middleware';
import { getActionContext } from 'astro:actions';
import { actionAccess, isAllowed, routeAccess, type Access } from './lib/server/access';
import {
  deleteSessionTokenCookie,
  sessionCookieName,
  setSessionTokenCookie,
  validateSessionToken,
} from './lib/server/session';
import { securityHeaders } from './lib/server/headers';

export const onRequest = defineMiddleware(async (context, next) => {
  const token = context.cookies.get(sessionCookieName())?.value ?? null;
  context.locals.user = null;
  context.locals.session = null;
  if (token) {
    const { session, user } = await validateSessionToken(token);
    if (session) {
      setSessionTokenCookie(context.cookies, token, session.expiresAt);
      context.locals.session = session;
      context.locals.user = user;
    } else {
      deleteSessionTokenCookie(context.cookies);
    }
  }

  const { action } = getActionContext(context);
  const role = context.locals.user?.role;
  let access: Access | undefined = routeAccess[context.routePattern];
  if (action) access = actionAccess[action.name];

  let response: Response;
  if (access === undefined) {
    response = await context.rewrite('/404');
  } else if (isAllowed(access, role)) {
    response = await next();
  } else if (!context.locals.user) {
    const isPage = context.request.method === 'GET' && !action && !context.url.pathname.startsWith('/api/');
    response = isPage
      ? context.redirect(`/login?next=${encodeURIComponent(context.url.pathname + context.url.search)}`, 303)
      : new Response('Sign in first.', { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  } else {
    response = await context.rewrite('/403');
  }
  for (const [name, value] of Object.entries(securityHeaders)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
});
