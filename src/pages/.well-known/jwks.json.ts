/** GET /.well-known/jwks.json — the public key that signs Open Badges credentials, as a JWK Set. Public. */
import type { APIRoute } from 'astro';
import { getBadgeJwks } from '../../lib/server/signing-key';

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(await getBadgeJwks()), {
    headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' },
  });
