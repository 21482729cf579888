/**
 * Open Badges for certificates: the OpenBadgeCredential of a certificate record (open-badges.ts builds it, the site
 * key signs it), and the revocation-list entry the verify URL answers with when asked for JSON. The issuer is the
 * certificate holder's organization; public URLs use SITE_URL when set, else the request's origin.
 */
import { asc, eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { organizationTable, userTable } from '../../../db/schema';
import { getExercise, getQuiz, getRoleplay, getTrack } from '../../lib/server/catalog';
import { getBadgeSigningKey } from '../../lib/server/signing-key';
import type { CertificateRecord } from '../certification/certification.server';
import { requirementParts, type Requirement, type Track } from '../content/schema';
import {
  achievementDocument,
  buildOpenBadgeCredential,
  buildRevocationList,
  criteriaNarrative,
  signOpenBadgeCredential,
  type BadgeInput,
  type BadgeIssuer,
  type OpenBadgeCredential,
} from './open-badges';

/** The track as its Open Badges Achievement describes it (criteria in words, from its requirements). */
async function achievementTrack(trackId: string, track: Track | undefined): Promise<BadgeInput['track']> {
  const titles = await titlesOf(track?.requires ?? []);
  return {
    id: trackId,
    title: track?.title ?? trackId,
    summary: track?.summary ?? trackId,
    criteria: track
      ? criteriaNarrative(track.requires, (kind, id) => titles.get(`${kind}:${id}`) ?? id)
      : 'Met every requirement of the track.',
  };
}

async function titlesOf(requires: readonly Requirement[]): Promise<Map<string, string>> {
  const lookup = { quiz: getQuiz, roleplay: getRoleplay, exercise: getExercise };
  const entries = await Promise.all(
    requires.map(async (r) => {
      const { kind, id } = requirementParts(r);
      return [`${kind}:${id}`, (await lookup[kind](id))?.title ?? id] as const;
    }),
  );
  return new Map(entries);
}

export async function credentialFor(record: CertificateRecord, baseUrl: string): Promise<OpenBadgeCredential> {
  const [holder] = await getDb()
    .select({ email: userTable.email })
    .from(userTable)
    .where(eq(userTable.id, record.holder.id));
  const { certificate: c } = record;
  return buildOpenBadgeCredential(
    { baseUrl, name: record.organization },
    {
      certificate: { id: c.id, code: c.code, issuedAt: c.issuedAt, expiresAt: c.expiresAt },
      recipient: { email: holder?.email ?? '', name: record.holder.name },
      track: await achievementTrack(c.trackId, record.track),
    },
  );
}

/**
 * The issuer behind `/issuer`. A deployment serves one organization (the seed and the invite flow create exactly
 * one), so the Profile is that organization, the same name credentials carry.
 */
export async function siteIssuer(baseUrl: string): Promise<BadgeIssuer> {
  const [org] = await getDb().select({ name: organizationTable.name }).from(organizationTable).orderBy(asc(organizationTable.createdAt)).limit(1);
  return { baseUrl, name: org?.name ?? 'Frontline Academy' };
}

/** A track's Achievement as its public URL serves it, or undefined for a track that does not exist. */
export async function achievementFor(trackId: string, baseUrl: string) {
  const track = await getTrack(trackId);
  if (!track) return undefined;
  const described = await achievementTrack(trackId, track);
  return { track, achievement: achievementDocument(await siteIssuer(baseUrl), described) };
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
