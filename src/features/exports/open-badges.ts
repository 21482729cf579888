/**
 * Open Badges 3.0: a certificate as an `OpenBadgeCredential` (W3C Verifiable Credentials Data Model 2.0), signed as
 * a VC-JWT with EdDSA (Ed25519) under the site key from src/lib/server/signing-key.ts.
 *
 * Choices:
 * - Securing: "Securing Verifiable Credentials using JOSE and COSE" — the JWT payload *is* the credential (no `vc`
 *   wrapper), header `typ: vc+jwt`, `cty: vc`, `alg: EdDSA`, `kid` = key thumbprint (found in /.well-known/jwks.json)
 *   plus the public `jwk` itself, as Open Badges 3.0 §8.2 allows. `iss`, `jti`, `nbf` and `exp` repeat issuer.id,
 *   id, validFrom and validUntil, so any JWT library enforces the validity window.
 * - Ids: the credential id is a UUID v5 URN of the certificate id (stable across downloads); the issuer Profile is
 *   `${base}/issuer`; the Achievement is `${base}/achievements/<track>`. Both resolve publicly: `/issuer` always
 *   answers the Profile as JSON-LD (it has no page for people); `/achievements/<track>` is a page for people and,
 *   asked for JSON (`Accept: application/ld+json` or `application/json`, as verifiers ask), the Achievement as
 *   JSON-LD — the same content negotiation as the verify URL.
 * - The recipient is identified by a salted SHA-256 of their email (OB 3.0 IdentityObject), plus their name
 *   unhashed, so a verifier can check "is this the person in front of me" without the email being published.
 * - Revocation: `credentialStatus` is a `1EdTechRevocationList` entry whose id is the certificate's public verify
 *   URL. Asked for JSON, that URL answers with `buildRevocationList` (empty, or this credential with the reason). We
 *   chose this over a Bitstring status list because the verify page already exists per certificate and needs no
 *   list indexes; its type is defined in the OB extensions context, which is therefore the third @context entry.
 * - Renewal: each renewal is its own certificate row, hence its own credential with its own validFrom.
 */
import { SignJWT, createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { z } from 'zod';
import { sha256Hex } from '../../lib/server/ids';
import { requirementParts, type Requirement, type RequirementKind } from '../content/schema';
import { normalizeBaseUrl } from './xapi-core';
import { URL_NAMESPACE, uuidV5 } from './uuid';

export const OB_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
] as const;

export interface BadgeIssuer {
  /** Public origin of the site. */
  baseUrl: string;
  /** Organization name shown as the issuer. */
  name: string;
}

export interface BadgeInput {
  certificate: { id: string; code: string; issuedAt: number; expiresAt: number };
  recipient: { email: string; name: string };
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
  credentialStatus: { id: string; type: '1EdTechRevocationList' };
}

/** The public URLs a credential points at. */
export function badgeUrls(baseUrl: string) {
  const base = normalizeBaseUrl(baseUrl);
  return {
    issuer: `${base}/issuer`,
    achievement: (trackId: string) => `${base}/achievements/${encodeURIComponent(trackId)}`,
    verify: (code: string) => `${base}/verify/${encodeURIComponent(code)}`,
    jwks: `${base}/.well-known/jwks.json`,
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
export function buildAchievement(baseUrl: string, track: BadgeInput['track']): OpenBadgeCredential['credentialSubject']['achievement'] {
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
  return { '@context': [...OB_CONTEXTS], ...buildAchievement(issuer.baseUrl, track), creator: buildIssuerProfile(issuer) };
}

export function buildOpenBadgeCredential(issuer: BadgeIssuer, input: BadgeInput): OpenBadgeCredential {
  const urls = badgeUrls(issuer.baseUrl);
  const { certificate, recipient, track } = input;
  // Derived from the (unpublished) certificate id: stable across downloads, not guessable from public data.
  const salt = sha256Hex(`badge-salt:${certificate.id}`).slice(0, 16);
  return {
    '@context': [...OB_CONTEXTS],
    id: `urn:uuid:${uuidV5(uuidV5(URL_NAMESPACE, urls.issuer), `certificate:${certificate.id}`)}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: track.title,
    issuer: buildIssuerProfile(issuer),
    validFrom: isoSeconds(certificate.issuedAt),
    validUntil: isoSeconds(certificate.expiresAt),
    credentialSubject: {
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
    credentialStatus: { id: urls.verify(certificate.code), type: '1EdTechRevocationList' },
  };
}

/** What the verify URL answers with when asked for JSON (1EdTech Revocation List Status Method). */
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

export async function signOpenBadgeCredential(
  credential: OpenBadgeCredential,
  key: { kid: string; privateKey: CryptoKey; publicJwk: JWK },
): Promise<string> {
  const { kty, crv, x } = key.publicJwk;
  return new SignJWT(credential as unknown as JWTPayload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: key.kid, jwk: { kty, crv, x } })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setNotBefore(seconds(credential.validFrom))
    .setExpirationTime(seconds(credential.validUntil))
    .sign(key.privateKey);
}

const verifiedSchema = z.looseObject({
  type: z.array(z.string()).refine((t) => t.includes('OpenBadgeCredential'), 'not an OpenBadgeCredential'),
  issuer: z.looseObject({ id: z.string() }),
  validFrom: z.string(),
  validUntil: z.string(),
});

/**
 * Check the signature against our JWK Set (never the key in the header, which anyone could replace) and the
 * validity window at `currentDate` (default now). Throws on any failure; returns the credential.
 */
export async function verifyOpenBadgeCredential(
  jwt: string,
  jwks: { keys: JWK[] },
  options: { currentDate?: Date } = {},
): Promise<OpenBadgeCredential> {
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
    algorithms: ['EdDSA'],
    typ: 'vc+jwt',
    currentDate: options.currentDate,
  });
  const credential = verifiedSchema.parse(payload);
  if (payload.iss !== credential.issuer.id) throw new Error('iss does not match the issuer');
  if (payload.exp !== seconds(credential.validUntil)) throw new Error('exp does not match validUntil');
  const credentialOnly: Record<string, unknown> = { ...payload };
  for (const claim of ['iss', 'jti', 'nbf', 'exp']) delete credentialOnly[claim];
  return credentialOnly as unknown as OpenBadgeCredential;
}
