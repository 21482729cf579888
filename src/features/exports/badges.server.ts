/**
 * Open Badges for certificates: the OpenBadgeCredential of a certificate record (open-badges.ts builds it, the site
 * key signs it), its baked badge image, the signed revocation status lists (status-list.ts), and the legacy
 * revocation-list entry the verify URL answers with when asked for JSON. The issuer is the certificate holder's
 * organization; public URLs use SITE_URL when set, else the request's origin.
 */
import { and, asc, between, eq, isNotNull, max, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { getDb } from '../../../db/client';
import { badgeStatusEntryTable, certificateTable, organizationTable, userTable } from '../../../db/schema';
import { getExercise, getQuiz, getRoleplay, getTrack, organization } from '../../lib/server/catalog';
import { getBadgeSigningKey } from '../../lib/server/signing-key';
import { columnList } from '../../lib/server/sql-names';
import { requirementParts, type Requirement, type Track } from '../content/schema';
import { now } from '../../lib/server/clock';
import { badgeSvg, bakeSvg } from './badge-image';
import { STATUS_LIST_SIZE, buildStatusListCredential, statusListPosition } from './status-list';
import {
  achievementDocument,
  badgeHeader,
  badgeUrls,
  isoSeconds,
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

/**
 * The certificate's place in the revocation status list, given on first use. One statement: SQLite runs it under
 * its write lock, so two processes cannot take the same index (and the unique index would refuse it).
 */
export async function statusIndexFor(certificateId: string): Promise<number> {
  const db = getDb();
  const e = badgeStatusEntryTable;
  await db.run(sql`INSERT INTO ${e} (${columnList(e.certificateId, e.listIndex)})
    SELECT ${certificateId}, coalesce(max(${e.listIndex}) + 1, 0) FROM ${e} WHERE true
    ON CONFLICT (${columnList(e.certificateId)}) DO NOTHING`);
  const [row] = await db
    .select({ index: badgeStatusEntryTable.listIndex })
    .from(badgeStatusEntryTable)
    .where(eq(badgeStatusEntryTable.certificateId, certificateId));
  return row!.index;
}

/**
 * What a badge is made of: a certificate with its holder, organization and track (the shape findCertificate in
 * certification.server.ts returns). Stated here rather than imported, so exports depends on certification's rules
 * only through this shape, and certification may record xAPI statements through exports.
 */
export interface CertificateRecord {
  certificate: typeof certificateTable.$inferSelect;
  holder: { id: string; name: string };
  organization: string;
  track?: Track;
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
      recipient: { id: record.holder.id, email: holder?.email ?? '', name: record.holder.name },
      statusIndex: await statusIndexFor(c.id),
      track: await achievementTrack(c.trackId, record.track),
    },
  );
}

/**
 * The issuer behind `/issuer`. A deployment serves one organization (the seed and the invite flow create exactly
 * one), so the Profile is that organization, the same name credentials carry.
 */
export async function siteIssuer(baseUrl: string): Promise<BadgeIssuer> {
  const [org] = await getDb()
    .select({ name: organizationTable.name })
    .from(organizationTable)
    .orderBy(asc(organizationTable.createdAt))
    .limit(1);
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
  return signOpenBadgeCredential(await credentialFor(record, baseUrl), await getBadgeSigningKey(), baseUrl);
}

/** The badge image (SVG) with the signed credential baked in. */
export async function bakedBadgeFor(record: CertificateRecord, baseUrl: string): Promise<string> {
  const jwt = await signedCredentialFor(record, baseUrl);
  const svg = badgeSvg({
    title: record.track?.title ?? record.certificate.trackId,
    organization: record.organization,
    year: new Date(record.certificate.issuedAt).getUTCFullYear(),
    accent: (await organization())?.brand?.accent,
  });
  return bakeSvg(svg, jwt);
}

/**
 * Status list `list` as a signed BitstringStatusListCredential (VC-JWT, same key and header as the credentials),
 * with the bits of revoked certificates set; undefined for a list no certificate has reached yet.
 */
export async function signedStatusList(list: number, baseUrl: string): Promise<string | undefined> {
  const db = getDb();
  const [top] = await db.select({ index: max(badgeStatusEntryTable.listIndex) }).from(badgeStatusEntryTable);
  if (list !== 0 && (top?.index === null || top?.index === undefined || statusListPosition(top.index).list < list))
    return undefined;
  const revoked = await db
    .select({ index: badgeStatusEntryTable.listIndex })
    .from(badgeStatusEntryTable)
    .innerJoin(certificateTable, eq(certificateTable.id, badgeStatusEntryTable.certificateId))
    .where(
      and(
        isNotNull(certificateTable.revokedAt),
        between(badgeStatusEntryTable.listIndex, list * STATUS_LIST_SIZE, (list + 1) * STATUS_LIST_SIZE - 1),
      ),
    );
  const urls = badgeUrls(baseUrl);
  const at = Math.floor(now() / 1000);
  const credential = buildStatusListCredential({
    url: urls.statusList(list),
    issuerId: urls.issuer,
    validFrom: isoSeconds(at * 1000),
    revokedPositions: revoked.map((r) => statusListPosition(r.index).position),
  });
  const key = await getBadgeSigningKey();
  return new SignJWT(credential as unknown as Record<string, unknown>)
    .setProtectedHeader(badgeHeader(baseUrl, key.kid))
    .setIssuer(credential.issuer)
    .setSubject(credential.credentialSubject.id)
    .setJti(credential.id)
    .setNotBefore(at)
    .setIssuedAt(at)
    .sign(key.privateKey);
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
