/**
 * What 1EdTech's validator (github.com/1EdTech/digital-credentials-public-validator, inspector-vc) checks of an
 * Open Badges 3.0 VC-JWT, written out from its code so our tests apply the same rules without running its Java:
 *   ExternalProofProbe     alg RS256 or ES256; a jwk header or a kid URL that answers with a JWK (kty EC, crv
 *                          P-256); the signature verifies; exp/nbf hold now.
 *   ContextPropertyProbe   @context[0] the VC 2.0 context, @context[1] an OB 3.0 context.
 *   TypePropertyProbe      type contains OpenBadgeCredential (or AchievementCredential).
 *   CredentialSubjectProbe type AchievementSubject; an id or an identifier; identifiers typed IdentityObject;
 *                          achievement.criteria with an id or a narrative.
 *   IssuerProbe            issuer with an id.
 *   RevocationListProbe    credentialStatus of type BitstringStatusListEntry with statusPurpose revocation →
 *   BitstringStatusListProbe  fetch statusListCredential; its context and type (BitstringStatusListCredential), its
 *                          subject (BitstringStatusList), its proof (the same ExternalProofProbe, kid as a hint);
 *                          statusPurpose equal; encodedList multibase → GZIP → at least 131,072 bits; the bit at
 *                          statusListIndex (left-most bit first) set means revoked.
 *   Expiration/Issuance    validUntil not passed, validFrom not in the future.
 * Plus what the OB 3.0 spec says of the JOSE header and claims (§8.2): typ "JWT" when present, no other headers
 * than alg, kid, jwk, typ; iss, sub, jti, nbf (and exp) equal to issuer.id, credentialSubject.id, id, validFrom
 * (and validUntil).
 *
 * The signature is checked with WebCrypto directly (`verifyJwsWithWebCrypto`), not with `jose`, which signed it.
 */
import { gunzipSync } from 'node:zlib';

type Json = Record<string, unknown>;
export type Fetcher = (url: string) => Promise<{ status: number; text: string }>;

const b64 = (part: string) => Buffer.from(part, 'base64url');
const decodePart = (part: string) => JSON.parse(b64(part).toString('utf8')) as Json;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** ES256 over the JWS signing input, by WebCrypto: the signature is r‖s, as WebCrypto's ECDSA takes it. */
export async function verifyJwsWithWebCrypto(jws: string, jwk: JsonWebKey): Promise<boolean> {
  const [header, payload, signature] = jws.split('.');
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    b64(signature!),
    new TextEncoder().encode(`${header}.${payload}`),
  );
}

async function externalProof(
  jwt: string,
  fetcher: Fetcher,
  problems: string[],
  what: string,
  now: number,
): Promise<Json | undefined> {
  const parts = jwt.split('.');
  if (parts.length !== 3) {
    problems.push(`${what}: invalid jwt`);
    return undefined;
  }
  const header = decodePart(parts[0]!);
  if (header.alg !== 'RS256' && header.alg !== 'ES256')
    problems.push(`${what}: alg must be present and must be either 'RS256' or 'ES256'`);
  if (header.typ !== undefined && header.typ !== 'JWT') problems.push(`${what}: typ, if present, MUST be "JWT"`);
  const extra = Object.keys(header).filter((k) => !['alg', 'kid', 'jwk', 'typ'].includes(k));
  if (extra.length) problems.push(`${what}: additional JOSE headers are not allowed: ${extra.join(', ')}`);
  let jwk = header.jwk as JsonWebKey | undefined;
  if (typeof header.kid === 'string') {
    const res = await fetcher(header.kid);
    if (res.status !== 200)
      problems.push(`${what}: Unable to retrieve jwk value from url specified in kid (${res.status})`);
    else jwk = JSON.parse(res.text) as JsonWebKey;
  }
  if (!jwk) {
    problems.push(`${what}: Key must present in either jwk or kid value.`);
    return undefined;
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') problems.push(`${what}: unsupported key ${jwk.kty}/${jwk.crv}`);
  else if (!(await verifyJwsWithWebCrypto(jwt, jwk))) problems.push(`${what}: JWT Invalid signature`);
  const payload = decodePart(parts[1]!);
  const seconds = Math.floor(now / 1000);
  if (typeof payload.exp === 'number' && seconds >= payload.exp) problems.push(`${what}: JWT Token expired`);
  if (typeof payload.nbf === 'number' && seconds < payload.nbf) problems.push(`${what}: JWT not yet valid (nbf)`);
  return payload;
}

function contextAndType(vc: Json, types: string[], contexts: RegExp[], problems: string[], what: string) {
  const context = list(vc['@context']);
  contexts.forEach((pattern, i) => {
    if (typeof context[i] !== 'string' || !pattern.test(context[i] as string))
      problems.push(`${what}: missing required @context uri at position ${i + 1}`);
  });
  if (!list(vc.type).some((t) => types.includes(t as string)))
    problems.push(`${what}: type must include ${types.join(' or ')}`);
}

const VC2 = /^https:\/\/www\.w3\.org\/ns\/credentials\/v2$/;
const OB3 = /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-\d+\.\d+\.\d+)*\.json$/;

/** Expands an encodedList as the validator does; throws on a list it would refuse. */
export function expandStatusList(encodedList: string): Buffer {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not base64url multibase');
  return gunzipSync(b64(encodedList.slice(1)));
}

export interface ValidatorOutcome {
  problems: string[];
  revoked: boolean;
  credential: Json | undefined;
}

/** Runs the validator's checks on a compact VC-JWT; `fetcher` dereferences the kid and status list URLs. */
export async function validateLikeOneEdTech(
  jwt: string,
  fetcher: Fetcher,
  now = Date.now(),
): Promise<ValidatorOutcome> {
  const problems: string[] = [];
  const vc = await externalProof(jwt, fetcher, problems, 'credential', now);
  if (!vc) return { problems, revoked: false, credential: undefined };
  contextAndType(vc, ['OpenBadgeCredential', 'AchievementCredential'], [VC2, OB3], problems, 'credential');
  const subject = (vc.credentialSubject ?? {}) as Json;
  if (!list(subject.type).includes('AchievementSubject'))
    problems.push('credentialSubject is not of type "AchievementSubject"');
  if (!(typeof subject.id === 'string' && subject.id.trim()) && list(subject.identifier).length === 0)
    problems.push('no id in credentialSubject');
  for (const identifier of list(subject.identifier) as Json[]) {
    if (!list(identifier.type).includes('IdentityObject'))
      problems.push('identifier in credentialSubject is not of type "IdentityObject"');
  }
  const criteria = ((subject.achievement ?? {}) as Json).criteria as Json | undefined;
  if (!subject.achievement) problems.push('missing required achievement in credentialSubject');
  else if (!criteria || (!criteria.id && !criteria.narrative))
    problems.push('criteria in achievement of credentialSubject must have id or narrative');
  const issuer = vc.issuer as Json | string | undefined;
  const issuerId = typeof issuer === 'string' ? issuer : issuer?.id;
  if (typeof issuerId !== 'string') problems.push('Credential issuer is required but was not found.');
  // OB 3.0 §8.2.4.1: each claim matches the credential.
  if (vc.iss !== issuerId) problems.push('iss does not match issuer.id');
  if (vc.sub === undefined || vc.sub !== subject.id)
    problems.push('sub is missing or does not match credentialSubject.id');
  if (vc.jti !== vc.id) problems.push('jti does not match id');
  if (typeof vc.validFrom !== 'string' || vc.nbf !== Math.floor(Date.parse(vc.validFrom) / 1000))
    problems.push('nbf does not match validFrom');
  if (typeof vc.validUntil === 'string') {
    if (vc.exp !== Math.floor(Date.parse(vc.validUntil) / 1000)) problems.push('exp does not match validUntil');
    if (now > Date.parse(vc.validUntil)) problems.push('The credential has expired');
  }
  if (typeof vc.validFrom === 'string' && Date.parse(vc.validFrom) > now)
    problems.push('The credential is not yet valid');

  let revoked = false;
  for (const status of list(vc.credentialStatus) as Json[]) {
    if (status.type !== 'BitstringStatusListEntry' || status.statusPurpose !== 'revocation') continue;
    const res = await fetcher(String(status.statusListCredential));
    if (res.status !== 200) {
      problems.push(`status list: ${res.status}`);
      continue;
    }
    const listVc = await externalProof(res.text.trim(), fetcher, problems, 'status list', now);
    if (!listVc) continue;
    contextAndType(listVc, ['BitstringStatusListCredential'], [VC2], problems, 'status list');
    const listSubject = (listVc.credentialSubject ?? {}) as Json;
    if (!list(listSubject.type).includes('BitstringStatusList'))
      problems.push('status list: credentialSubject is not of type "BitstringStatusList"');
    if (listSubject.statusPurpose !== status.statusPurpose) problems.push('status list: statusPurpose mismatch');
    const bits = expandStatusList(String(listSubject.encodedList));
    if (bits.length * 8 < 131_072) problems.push('revocation bitstring length is less than minimumNumberOfEntries');
    const index = Number(status.statusListIndex);
    if (!Number.isInteger(index) || index >= bits.length * 8)
      problems.push('credentialIndex outside of the range of the bitstring');
    else if ((bits[index >> 3]! & (1 << (7 - (index % 8)))) !== 0) revoked = true;
  }
  return { problems, revoked, credential: vc };
}
