/**
 * Cross-site form posts are refused (CSRF), as Astro's `checkOrigin` does: a POST, PUT, PATCH or DELETE whose body
 * is a form (or has no content type) must come with our own Origin. Ours instead of Astro's because Astro's cannot
 * exempt a route, and one route must take cross-site posts: the one-click unsubscribe of RFC 8058, which mail
 * providers post from their servers without an Origin. Its signed token is its authorization.
 */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes (Astro route patterns) that take cross-site posts, each with its reason. */
export const crossSiteRoutes: ReadonlySet<string> = new Set(['/unsubscribe/[token]']);

export function isForbiddenCrossSitePost(request: Request, url: URL, routePattern: string): boolean {
  if (SAFE_METHODS.has(request.method) || crossSiteRoutes.has(routePattern)) return false;
  const sameOrigin = request.headers.get('origin') === url.origin;
  const type = request.headers.get('content-type');
  if (type === null) return !sameOrigin;
  const formLike = FORM_TYPES.some((t) => type.toLowerCase().includes(t));
  return formLike && !sameOrigin;
}
