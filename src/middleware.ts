/**
 * Every request: cross-site form posts refused (src/lib/server/origin-check.ts), session cookie → locals.user, then
 * the route guard from src/lib/server/access.ts, the per-person write limit (src/lib/server/write-limit.ts), then
 * security headers; all of it in the reader's time zone for the dates it shows. Signed-out visitors of a protected page go to /login?next=…; a wrong role gets the 403 page; a
 * route without an entry in the access table is answered as not found. An action body Astro cannot read (JSON that
 * does not parse, a content type it does not take) is refused here with a message instead of a 500; an action
 * refused for the caller's role answers a script with JSON, and every response to a session is `no-store`.
 */
import { STATUS_CODES } from 'node:http';
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { ActionError, getActionContext } from 'astro:actions';
import { actionAccess, decideAccess, routeAccess } from './lib/server/access';
import {
  deleteSessionTokenCookie,
  sessionCookieName,
  setSessionTokenCookie,
  validateSessionToken,
} from './lib/server/session';
import { securityHeaders } from './lib/server/headers';
import { isForbiddenCrossSitePost } from './lib/server/origin-check';
import { sendsForm, unparsableForm, unreadableActionBody, type BodyRefusal } from './lib/server/action-body';
import { tooManyWritesMessage, writeLimiter } from './lib/server/write-limit';
import { organization } from './lib/server/catalog';
import { inTimeZone } from './lib/format';
import { SIGN_IN_FIRST } from './lib/refusal';

/** An action body Astro could not read: JSON in the shape of Astro's own action errors for scripts, else text. */
function bodyRefused({ status, message }: BodyRefusal, rpc: boolean): Response {
  if (!rpc) return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
  return Response.json({ type: 'AstroActionError', code, status, message }, { status });
}

export const onRequest = defineMiddleware(async (context, next) => {
  if (isForbiddenCrossSitePost(context.request, context.url, context.routePattern)) {
    return new Response(`Cross-site ${context.request.method} form submissions are forbidden`, {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() },
    });
  }
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

  // Every date the request shows is in its reader's zone (src/lib/format.ts).
  const zone = context.locals.user?.timeZone ?? (await organizationZone());
  const sessionSent = token !== null;
  return zone ? inTimeZone(zone, () => guarded(context, next, sessionSent)) : guarded(context, next, sessionSent);
});

/** The organisation's zone, read once (content changes only with a new build). */
let orgZone: Promise<string | undefined> | undefined;
function organizationZone(): Promise<string | undefined> {
  orgZone ??= organization().then(
    (o) => o?.timeZone,
    () => (orgZone = undefined),
  );
  return orgZone;
}

/** The guard, the write limit and the response headers, for a request whose user is known. */
async function guarded(context: APIContext, next: MiddlewareNext, sessionSent: boolean): Promise<Response> {
  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  // The action client posts to `/_actions/<name>/` (trailing slash, with the default directory build format);
  // Astro strips it before running the action, so the table is keyed without it too.
  const access = action ? actionAccess[action.name.replace(/\/$/, '')] : routeAccess[context.routePattern];
  const user = context.locals.user;

  let response: Response;
  switch (decideAccess(access, user?.role)) {
    case 'allow': {
      const rpc = action?.calledFrom === 'rpc';
      // Every write that needs an account (all actions, page form posts) draws on the person's write limit;
      // public posts (sign-in, sign-out, invites) have their own throttling or none to protect.
      const write = user && access !== 'public' && !['GET', 'HEAD', 'OPTIONS'].includes(context.request.method);
      const wait = write ? writeLimiter().take(user.id) : 0;
      if (wait > 0) {
        const message = tooManyWritesMessage(wait);
        if (rpc) {
          response = Response.json(
            { type: 'AstroActionError', code: 'TOO_MANY_REQUESTS', status: 429, message },
            { status: 429 },
          );
        } else if (action) {
          // A no-JS form post: the page renders with the refusal where its form shows errors (and Astro's 429).
          setActionResult(
            action.name,
            serializeActionResult({ data: undefined, error: new ActionError({ code: 'TOO_MANY_REQUESTS', message }) }),
          );
          response = await next();
        } else {
          context.locals.tooManyWrites = { message };
          response = await context.rewrite('/429');
        }
        response.headers.set('Retry-After', String(wait));
        break;
      }
      const refusal = action ? await unreadableActionBody(context.request) : null;
      response = refusal ? bodyRefused(refusal, rpc) : await next();
      // For a form body, Astro's 415 (without a message) means form data it could not parse.
      if (action && response.status === 415 && sendsForm(context.request)) response = bodyRefused(unparsableForm, rpc);
      break;
    }
    case 'unknown':
      response = await context.rewrite('/404');
      break;
    case 'forbidden':
      // The island that called gets an error it can show; a browser gets the 403 page.
      response =
        action?.calledFrom === 'rpc'
          ? Response.json(
              {
                type: 'AstroActionError',
                code: 'FORBIDDEN',
                status: 403,
                message: 'Your account is not allowed to do this.',
              },
              { status: 403 },
            )
          : await context.rewrite('/403');
      break;
    case 'sign-in': {
      // Browsers (page loads and plain form posts) are sent to sign in; scripts get a 401 they can act on.
      const isScript = action?.calledFrom === 'rpc' || context.url.pathname.startsWith('/api/');
      response = isScript
        ? new Response(SIGN_IN_FIRST, { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } })
        : context.redirect(`/login?next=${encodeURIComponent(context.url.pathname + context.url.search)}`, 303);
      break;
    }
  }
  // Astro answers every rendered page with the status text "OK", whatever status the page set (a 403 page said
  // "403 OK"); give each response the reason phrase of its status.
  const reason = STATUS_CODES[response.status];
  if (reason && response.statusText !== reason) {
    response = new Response(response.body, { status: response.status, statusText: reason, headers: response.headers });
  }
  for (const [name, value] of Object.entries(securityHeaders())) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  // A response to a request with a session is that person's alone: never stored, so neither Back after signing
  // out nor a shared cache can show it. (Asked of the request: signing out has deleted the cookie by now.)
  if (sessionSent) response.headers.set('Cache-Control', 'no-store');
  return response;
}
