/**
 * The site's public base URL for links in credentials, statements and emails: SITE_URL when set, else the request's
 * origin. The middleware also remembers the first request's origin, for work done without a request at hand
 * (fixing the organization's xAPI IRI when a quiz is submitted on a server without SITE_URL).
 */
let remembered: string | undefined;

export function siteBaseUrl(requestUrl: URL): string {
  return (process.env.SITE_URL ?? requestUrl.origin).replace(/\/+$/, '');
}

export function rememberSiteOrigin(requestUrl: URL): void {
  remembered ??= requestUrl.origin;
}

/** The origin of the first request this process answered, if any. */
export function rememberedSiteOrigin(): string | undefined {
  return remembered;
}
