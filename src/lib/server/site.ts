/**
 * The site's public base URL for links in credentials, statements and emails: SITE_URL (src/env.ts), never the
 * request's Host header, which a client chooses — a badge fetched with `Host: attacker.example` must still name
 * our issuer.
 */
import { env } from '../../env';

export function siteBaseUrl(): string {
  return env().siteUrl;
}
