/**
 * Cross-site form posts are refused (CSRF), as Astro's `checkOrigin` does: a POST, PUT, PATCH or DELETE whose body
 * is a form (or has no content type) must come with our own Origin. Ours instead of Astro's because Astro's cannot
 * exempt a route, and one route must take cross-site posts: the one-click unsubscribe of RFC 8058, which mail
 * providers post from their servers without an Origin. Its signed token is its authorization.
 *
 * "Our own Origin" is SITE_URL's (src/env.ts), not the request URL's: behind a TLS-terminating proxy the browser
 * sends `Origin: https://academy.example` while the app sees `http://<Host>`, and the Host header is the client's
 * to choose anyway. A server that is not in production (on loopback, SITE_URL defaulted) also takes the request's
 * own origin, so `astro dev` works at both localhost and 127.0.0.1.
 */
import { env, type Env } from '../../env';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes (Astro route patterns) that take cross-site posts, each with its reason. */
export const crossSiteRoutes: ReadonlySet<string> = new Set(['/unsubscribe/[token]', '/scim/v2/[...path]']);

export function isForbiddenCrossSitePost(
  request: Request,
  url: URL,
  routePattern: string,
  config: Pick<Env, 'siteUrl' | 'production'> = env(),
): boolean {
  if (SAFE_METHODS.has(request.method) || crossSiteRoutes.has(routePattern)) return false;
  const origin = request.headers.get('origin');
  const sameOrigin = origin === new URL(config.siteUrl).origin || (!config.production && origin === url.origin);
  const type = request.headers.get('content-type');
  if (type === null) return !sameOrigin;
  const formLike = FORM_TYPES.some((t) => type.toLowerCase().includes(t));
  return formLike && !sameOrigin;
}
