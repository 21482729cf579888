/**
 * Content negotiation for URLs that serve both people and programs (a verify page, an achievement): the Accept
 * header's quality values decide, via `negotiator` (the parser Express uses). Types the client ranks equally go to
 * JSON first: a browser always ranks text/html above its `*∕*`, so `Accept: *∕*` alone is a program (curl, a
 * verifier) and gets JSON. No Accept header at all is treated like `*∕*`.
 */
import Negotiator from 'negotiator';

const offered = ['application/ld+json', 'application/json', 'text/html'] as const;

/** Whether a request prefers JSON to HTML. */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '*/*';
  const chosen = new Negotiator({ headers: { accept } }).mediaType([...offered]);
  return chosen !== undefined && chosen !== 'text/html';
}
