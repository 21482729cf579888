/**
 * GET /certificates/<code>/badge.svg — the certificate's badge image with its signed OpenBadgeCredential baked in
 * (Open Badges 3.0 SVG baking), for a profile, a wallet or an email signature. For the same people as the
 * certificate page; anyone else gets the same 404 as an unknown code. A revoked certificate has no badge (410).
 */
import type { APIRoute } from 'astro';
import { findCertificate } from '~/features/certification/certification.server';
import { bakedBadgeFor } from '~/features/exports/badges.server';
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
    return text('This certificate was revoked, so there is no badge to download.', 410);
  const svg = await bakedBadgeFor(record, siteBaseUrl());
  const name = `${record.certificate.trackId}-${isoDateIn(record.certificate.issuedAt)}.svg`;
  return new Response(svg, {
    headers: {
      'content-type': 'image/svg+xml',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  });
};
