/**
 * GET /.well-known/jwks/<kid> — one public key of the site, as a JWK: what a credential's `kid` header names, so a
 * verifier dereferences it (OB 3.0 §8.2.1; 1EdTech's validator fetches it). Public. Unknown key id: 404.
 */
import type { APIRoute } from 'astro';
import { getBadgePublicKey } from '~/lib/server/signing-key';

export const GET: APIRoute = async ({ params }) => {
  const jwk = await getBadgePublicKey(params.kid ?? '');
  if (!jwk) return Response.json({ error: 'There is no such key.' }, { status: 404 });
  return new Response(JSON.stringify(jwk), {
    headers: { 'content-type': 'application/jwk+json', 'cache-control': 'public, max-age=300' },
  });
};
