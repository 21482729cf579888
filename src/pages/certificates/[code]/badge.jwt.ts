/**
 * GET /certificates/<code>/badge.jwt — the certificate as an Open Badges 3.0 OpenBadgeCredential, signed as a
 * VC-JWT with the site key (public key at /.well-known/jwks.json). For the same people as the certificate page
 * (the holder, their managers, admins of the organization); anyone else gets the same 404 as an unknown code. A
 * revoked certificate has no credential to hand out (410); its revocation shows at its verify URL.
 */
import type { APIRoute } from 'astro';
import { findCertificate } from '~/features/certification/certification.server';
import { signedCredentialFor } from '~/features/exports/badges.server';
import { siteBaseUrl } from '~/lib/server/site';
import { canOversee } from '~/lib/server/oversight';
import { SIGN_IN_FIRST } from '~/lib/refusal';
import { isoDateIn } from '~/lib/format';

const text = (body: string, status: number) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export const GET: APIRoute = async ({ locals, params }) => {
  const viewer = locals.user;
  if (!viewer) return text(SIGN_IN_FIRST, 401);
  const record = await findCertificate(params.code ?? '');
  if (!record || !(await canOversee(viewer, record.holder.id))) return text('There is no such certificate.', 404);
  if (record.certificate.revokedAt !== null)
    return text('This certificate was revoked, so there is no credential to download.', 410);
  const jwt = await signedCredentialFor(record, siteBaseUrl());
  const name = `${record.certificate.trackId}-${isoDateIn(record.certificate.issuedAt)}.jwt`;
  return new Response(jwt, {
    headers: {
      'content-type': 'application/vc+jwt',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
};
