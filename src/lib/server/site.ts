/** The site's public base URL for links in credentials, statements and emails: SITE_URL when set, else the request's origin. */
export function siteBaseUrl(requestUrl: URL): string {
  return (process.env.SITE_URL ?? requestUrl.origin).replace(/\/+$/, '');
}
