/**
 * GET /issuer — the Open Badges issuer Profile that every credential names as its issuer (`issuer.id`), as JSON-LD.
 * Public. Always JSON-LD, whatever the Accept header: it is a document for verifiers, and people reach the
 * organization through the certificate and verify pages instead.
 */
import type { APIRoute } from 'astro';
import { siteIssuer } from '../features/exports/badges.server';
import { issuerDocument } from '../features/exports/open-badges';
import { siteBaseUrl } from '../lib/server/site';

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(issuerDocument(await siteIssuer(siteBaseUrl()))), {
    headers: { 'content-type': 'application/ld+json', 'cache-control': 'public, max-age=300' },
  });
