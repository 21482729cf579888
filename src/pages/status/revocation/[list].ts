/**
 * GET /status/revocation/<n> — revocation status list n of the site's Open Badges (W3C Bitstring Status List), as a
 * signed BitstringStatusListCredential (compact VC-JWT, ES256, same key as the credentials): what a credential's
 * `credentialStatus.statusListCredential` names. Public; briefly cacheable, so a revocation shows within a minute.
 */
import type { APIRoute } from 'astro';
import { signedStatusList } from '~/features/exports/badges.server';
import { siteBaseUrl } from '~/lib/server/site';

export const GET: APIRoute = async ({ params }) => {
  const list = /^(0|[1-9]\d{0,5})$/.test(params.list ?? '') ? Number(params.list) : undefined;
  const jwt = list === undefined ? undefined : await signedStatusList(list, siteBaseUrl());
  if (!jwt) return Response.json({ error: 'There is no such status list.' }, { status: 404 });
  return new Response(jwt, {
    headers: { 'content-type': 'application/vc+jwt', 'cache-control': 'public, max-age=60' },
  });
};
