/**
 * Open Badges for certificates: the OpenBadgeCredential of a certificate record (open-badges.ts builds it, the site
 * key signs it), and the revocation-list entry the verify URL answers with when asked for JSON. The issuer is the
 * certificate holder's organization; public URLs use SITE_URL when set, else the request's origin.
 */
import { eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { userTable } from '../../../db/schema';
import { getQuiz, getRoleplay } from '../../lib/server/catalog';
import { getBadgeSigningKey } from '../../lib/server/signing-key';
import type { CertificateRecord } from '../certification/certification.server';
import {
  buildOpenBadgeCredential,
  buildRevocationList,
  criteriaNarrative,
  signOpenBadgeCredential,
  type OpenBadgeCredential,
} from './open-badges';

async function titlesOf(record: CertificateRecord): Promise<Map<string, string>> {
  const requires = record.track?.requires ?? [];
  const entries = await Promise.all(
    requires.map(async (r) =>
      'quiz' in r
        ? ([`quiz:${r.quiz}`, (await getQuiz(r.quiz))?.title ?? r.quiz] as const)
        : ([`roleplay:${r.roleplay}`, (await getRoleplay(r.roleplay))?.title ?? r.roleplay] as const),
    ),
  );
  return new Map(entries);
}

export async function credentialFor(record: CertificateRecord, baseUrl: string): Promise<OpenBadgeCredential> {
  const [holder] = await getDb()
    .select({ email: userTable.email })
    .from(userTable)
    .where(eq(userTable.id, record.holder.id));
  const titles = await titlesOf(record);
  const { certificate: c, track } = record;
  return buildOpenBadgeCredential(
    { baseUrl, name: record.organization },
    {
      certificate: { id: c.id, code: c.code, issuedAt: c.issuedAt, expiresAt: c.expiresAt },
      recipient: { email: holder?.email ?? '', name: record.holder.name },
      track: {
        id: c.trackId,
        title: track?.title ?? c.trackId,
        summary: track?.summary ?? c.trackId,
        criteria: track
          ? criteriaNarrative(track.requires, (kind, id) => titles.get(`${kind}:${id}`) ?? id)
          : 'Met every requirement of the track.',
      },
    },
  );
}

/** The certificate as a signed VC-JWT. */
export async function signedCredentialFor(record: CertificateRecord, baseUrl: string): Promise<string> {
  return signOpenBadgeCredential(await credentialFor(record, baseUrl), await getBadgeSigningKey());
}

/**
 * What the verify URL (the credential's `credentialStatus.id`) answers when asked for JSON. Public like the page,
 * so like the page it says THAT the certificate was revoked, never why: the reason stays in the admin's history.
 */
export async function revocationListFor(record: CertificateRecord, baseUrl: string) {
  const credential = await credentialFor(record, baseUrl);
  return buildRevocationList(
    { baseUrl, name: record.organization },
    { code: record.certificate.code, credentialId: credential.id, revoked: record.certificate.revokedAt !== null },
  );
}
