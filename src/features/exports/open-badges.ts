/**
 * Open Badges 3.0: a certificate as an `OpenBadgeCredential` (W3C Verifiable Credentials Data Model 2.0), signed as
 * a VC-JWT with ES256 (P-256) under the site key from src/lib/server/signing-key.ts — the profile 1EdTech's spec and
 * validator read (OB 3.0 §8.2, "JSON Web Token Proof Format").
 *
 * Choices:
 * - JOSE header: exactly `alg: ES256`, `typ: JWT` and `kid`, the URL of the public JWK (/.well-known/jwks/<kid>),
 *   which a verifier dereferences; the spec allows no other headers. The payload is the credential itself plus the
 *   claims the spec requires: `iss` (issuer.id), `sub` (credentialSubject.id), `jti` (id), `nbf` (validFrom) and
 *   `exp` (validUntil), so any JWT library enforces the validity window.
 * - Ids: the credential id is a UUID v5 URN of the certificate id (stable across downloads); the subject id a UUID
 *   v5 URN of the holder's account (the same person in every credential, nothing personal in it); the issuer Profile
 *   is `${base}/issuer`; the Achievement `${base}/achievements/<track>`. Both resolve publicly (JSON-LD for a
 *   verifier, a page for a person at the achievement).
 * - The recipient is also identified by a salted SHA-256 of their email (OB 3.0 IdentityObject) and their name
 *   unhashed, so a verifier can check "is this the person in front of me" without the email being published.
 * - Revocation: a W3C Bitstring Status List entry (`BitstringStatusListEntry`, statusPurpose revocation), the
 *   method 1EdTech's validator follows; the list is a signed credential at /status/revocation/<n>
 *   (status-list.ts). Both terms are in the VC 2.0 context, so the credential needs only the two contexts.
 * - Renewal: each renewal is its own certificate row, hence its own credential with its own validFrom.
 */
import { SignJWT, decodeProtectedHeader, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { z } from 'zod';
import { sha256Hex } from '../../lib/server/ids';
import { requirementParts, type Requirement, type RequirementKind } from '../content/schema';
import { normalizeBaseUrl } from './xapi/core';
import { statusListEntry, type BitstringStatusListEntry } from './status-list';
import { URL_NAMESPACE, uuidV5 } from './uuid';

export const OB_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

export interface BadgeIssuer {
  /** Public origin of the site. */
  baseUrl: string;
  /** Organization name shown as the issuer. */
  name: string;
}

export interface BadgeInput {
  certificate: { id: string; code: string; issuedAt: number; expiresAt: number };
  /** The holder's account id (for the subject id), email and name. */
  recipient: { id: string; email: string; name: string };
  /** The certificate's place in the revocation status list (status-list.ts). */
  statusIndex: number;
  track: { id: string; title: string; summary: string; criteria: string };
}

export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
}

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  name: string;
  issuer: IssuerProfile;
  validFrom: string;
  validUntil: string;
  credentialSubject: {
    id: string;
    type: ['AchievementSubject'];
    identifier: {
      type: 'IdentityObject';
      identityType: string;
      hashed: boolean;
      identityHash: string;
      salt?: string;
    }[];
    achievement: {
      id: string;
      type: ['Achievement'];
      name: string;
      description: string;
      criteria: { narrative: string };
    };
  };
  credentialStatus: BitstringStatusListEntry;
}

/** The public URLs a credential points at. */
export function badgeUrls(baseUrl: string) {
  const base = normalizeBaseUrl(baseUrl);
  return {
    issuer: `${base}/issuer`,
    achievement: (trackId: string) => `${base}/achievements/${encodeURIComponent(trackId)}`,
    verify: (code: string) => `${base}/verify/${encodeURIComponent(code)}`,
    jwks: `${base}/.well-known/jwks.json`,
    key: (kid: string) => `${base}/.well-known/jwks/${encodeURIComponent(kid)}`,
    statusList: (list: number) => `${base}/status/revocation/${list}`,
  };
}

/**
 * The achievement's criteria in words, from the track's `requires` list: "Pass the quiz “Greeting” at its pass
 * mark. Reach a score of at least 70 in the role-play “Late delivery”. Agree with the expert on at least 80% of the
 * calls in the calibration exercise “QA calibration”."
 */
export function criteriaNarrative(
  requires: readonly Requirement[],
  titleOf: (kind: RequirementKind, id: string) => string,
): string {
  return requires
    .map((r) => {
      const { kind, id, minScore } = requirementParts(r);
      const title = titleOf(kind, id);
      if (kind === 'quiz') return `Pass the quiz “${title}” at its pass mark.`;
      if (kind === 'roleplay') {
        return minScore === undefined
          ? `Reach the pass score in the role-play “${title}”.`
          : `Reach a score of at least ${minScore} in the role-play “${title}”.`;
      }
      return minScore === undefined
        ? `Reach the pass mark in the calibration exercise “${title}”.`
        : `Agree with the expert on at least ${minScore}% of the calls in the calibration exercise “${title}”.`;
    })
    .join(' ');
}

/** XSD dateTimeStamp to the second: JWT times are whole seconds, and validFrom/validUntil must match them. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function buildIssuerProfile(issuer: BadgeIssuer): IssuerProfile {
  return {
    id: badgeUrls(issuer.baseUrl).issuer,
    type: ['Profile'],
    name: issuer.name,
    url: normalizeBaseUrl(issuer.baseUrl),
  };
}

/** The Achievement a credential embeds; its id is the public achievement page. */
export function buildAchievement(
  baseUrl: string,
  track: BadgeInput['track'],
): OpenBadgeCredential['credentialSubject']['achievement'] {
  return {
    id: badgeUrls(baseUrl).achievement(track.id),
    type: ['Achievement'],
    name: track.title,
    description: track.summary,
    criteria: { narrative: track.criteria },
  };
}

/**
 * What the issuer and achievement ids answer with, so a verifier can follow them: standalone JSON-LD documents with
 * the credential's contexts. The Achievement names its creator (the issuer Profile), as OB 3.0 allows.
 */
export function issuerDocument(issuer: BadgeIssuer) {
  return { '@context': [...OB_CONTEXTS], ...buildIssuerProfile(issuer) };
}

export function achievementDocument(issuer: BadgeIssuer, track: BadgeInput['track']) {
  return {
    '@context': [...OB_CONTEXTS],
    ...buildAchievement(issuer.baseUrl, track),
    creator: buildIssuerProfile(issuer),
  };
}

export function buildOpenBadgeCredential(issuer: BadgeIssuer, input: BadgeInput): OpenBadgeCredential {
  const urls = badgeUrls(issuer.baseUrl);
  const { certificate, recipient, track } = input;
  const namespace = uuidV5(URL_NAMESPACE, urls.issuer);
  // Derived from the (unpublished) certificate id: stable across downloads, not guessable from public data.
  const salt = sha256Hex(`badge-salt:${certificate.id}`).slice(0, 16);
  return {
    '@context': [...OB_CONTEXTS],
    id: `urn:uuid:${uuidV5(namespace, `certificate:${certificate.id}`)}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: track.title,
    issuer: buildIssuerProfile(issuer),
    validFrom: isoSeconds(certificate.issuedAt),
    validUntil: isoSeconds(certificate.expiresAt),
    credentialSubject: {
      id: `urn:uuid:${uuidV5(namespace, `holder:${recipient.id}`)}`,
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: true,
          identityHash: `sha256$${sha256Hex(recipient.email.trim().toLowerCase() + salt)}`,
          salt,
        },
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: recipient.name },
      ],
      achievement: buildAchievement(issuer.baseUrl, track),
    },
    credentialStatus: statusListEntry(urls.statusList, input.statusIndex),
  };
}

/** What the verify URL answers when asked for JSON: for credentials issued with a 1EdTechRevocationList status. */
export function buildRevocationList(
  issuer: BadgeIssuer,
  input: { code: string; credentialId: string; revoked: boolean; reason?: string | null },
) {
  return {
    id: badgeUrls(issuer.baseUrl).verify(input.code),
    issuer: badgeUrls(issuer.baseUrl).issuer,
    revokedCredentials: input.revoked
      ? [{ id: input.credentialId, ...(input.reason ? { revocationReason: input.reason } : {}) }]
      : [],
  };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The JOSE header of everything the site signs: ES256, typ JWT, and where to fetch the key. */
export function badgeHeader(baseUrl: string, kid: string) {
  return { alg: 'ES256', typ: 'JWT', kid: badgeUrls(baseUrl).key(kid) } as const;
}

export async function signOpenBadgeCredential(
  credential: OpenBadgeCredential,
  key: { kid: string; privateKey: CryptoKey },
  baseUrl: string,
): Promise<string> {
  return new SignJWT(credential as unknown as JWTPayload)
    .setProtectedHeader(badgeHeader(baseUrl, key.kid))
    .setIssuer(credential.issuer.id)
    .setSubject(credential.credentialSubject.id)
    .setJti(credential.id)
    .setNotBefore(seconds(credential.validFrom))
    .setExpirationTime(seconds(credential.validUntil))
    .sign(key.privateKey);
}

const verifiedSchema = z.looseObject({
  id: z.string(),
  type: z.array(z.string()).refine((t) => t.includes('OpenBadgeCredential'), 'not an OpenBadgeCredential'),
  issuer: z.looseObject({ id: z.string() }),
  credentialSubject: z.looseObject({ id: z.string() }),
  validFrom: z.string(),
  validUntil: z.string(),
});

/**
 * Check the signature against our JWK Set (never a key the token brings, which anyone could replace), the validity
 * window at `currentDate` (default now), and each claim against the credential (OB 3.0 §8.2.4.1). Throws on any
 * failure; returns the credential.
 */
export async function verifyOpenBadgeCredential(
  jwt: string,
  jwks: { keys: JWK[] },
  options: { currentDate?: Date } = {},
): Promise<OpenBadgeCredential> {
  // The header's kid is the key's URL (/.well-known/jwks/<thumbprint>); the set lists keys by thumbprint.
  const kidUrl = decodeProtectedHeader(jwt).kid ?? '';
  const thumbprint = decodeURIComponent(kidUrl.slice(kidUrl.lastIndexOf('/') + 1));
  const jwk = jwks.keys.find(
    (k) => k.kid === thumbprint && kidUrl.endsWith(`/.well-known/jwks/${encodeURIComponent(thumbprint)}`),
  );
  if (!jwk) throw new Error('the token names no key of this issuer');
  const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'ES256'), {
    algorithms: ['ES256'],
    typ: 'JWT',
    currentDate: options.currentDate,
  });
  const credential = verifiedSchema.parse(payload);
  if (payload.iss !== credential.issuer.id) throw new Error('iss does not match the issuer');
  if (payload.sub !== credential.credentialSubject.id) throw new Error('sub does not match the credential subject');
  if (payload.jti !== credential.id) throw new Error('jti does not match the credential id');
  if (payload.nbf !== seconds(credential.validFrom)) throw new Error('nbf does not match validFrom');
  if (payload.exp !== seconds(credential.validUntil)) throw new Error('exp does not match validUntil');
  const credentialOnly: Record<string, unknown> = { ...payload };
  for (const claim of ['iss', 'sub', 'jti', 'nbf', 'exp']) delete credentialOnly[claim];
  return credentialOnly as unknown as OpenBadgeCredential;
}
