/** Whether a request prefers JSON to HTML: a verifier resolving a credential's status, not a browser. */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return /application\/(?:[\w.+-]*\+)?json/.test(accept) && !accept.includes('text/html');
}
