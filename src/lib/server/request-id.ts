/**
 * The id the server's request log gives each request (src/cli/request-log.ts puts it in the `x-request-id` header
 * the app reads, replacing any the client sent). Under `astro dev` there is none.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The request's log id, when it is one the server made (a UUID); else null. */
export function shownRequestId(headers: Headers): string | null {
  const id = headers.get('x-request-id');
  return id && UUID.test(id) ? id : null;
}
