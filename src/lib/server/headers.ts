/**
 * Headers on every response. Rendered pages get Astro's own Content-Security-Policy (`security.csp` in
 * astro.config.mjs): the same directives, plus a hash of each inline script and style Astro emits, so script-src
 * has no 'unsafe-inline'. Everything else (redirects, endpoints, static files, early refusals) gets the policy below,
 * which allows no inline script or style at all. HSTS is sent when SITE_URL is https (src/env.ts).
 */
import { env } from '../../env';

/** The directives besides script-src and style-src, shared with astro.config.mjs. */
export const cspDirectives = [
  "default-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
] as const;

const always: Record<string, string> = {
  'Content-Security-Policy': [...cspDirectives, "script-src 'self'", "style-src 'self'"].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** A year, the value HSTS preload lists ask for; subdomains are left to their own sites. */
const HSTS = 'max-age=31536000';

export function securityHeaders(): Record<string, string> {
  return env().https ? { ...always, 'Strict-Transport-Security': HSTS } : always;
}

/**
 * For a page whose address is a secret (a reset, invite or unsubscribe link): never stored (a shared computer's
 * cache or history of page content would keep the form that uses it), its path never sent on as a Referer (to our
 * own files' requests or to a link followed from the page), never indexed. `strict-origin`, not `no-referrer`:
 * under no-referrer a browser sends `Origin: null` with the page's own form post, which the cross-site check
 * (origin-check.ts) must refuse; strict-origin sends only the origin, in both headers.
 */
export function markSecretUrl(headers: Headers): void {
  headers.set('Cache-Control', 'no-store');
  headers.set('Referrer-Policy', 'strict-origin');
  headers.set('X-Robots-Tag', 'noindex');
}
