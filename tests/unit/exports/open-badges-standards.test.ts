/**
 * Our Open Badges against what other systems use to accept them: 1EdTech's official OB 3.0 JSON schema (vendored
 * in tests/fixtures/open-badges, run by ajv), 1EdTech's validator's rules (tests/helpers/ob-validator.ts, from its
 * code), a second signature implementation (WebCrypto, not the `jose` that signs), the W3C Bitstring Status List
 * algorithm, the OB 3.0 SVG baking rules read with a real XML parser (sax), and LinkedIn's add-to-profile fields.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { SignJWT, decodeJwt } from 'jose';
import sax from 'sax';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_BADGES_SVG_NS, badgeSvg, bakeSvg, wrapWords } from '~/features/exports/badge-image';
import { linkedInAddToProfileUrl } from '~/features/exports/linkedin';
import {
  badgeHeader,
  badgeUrls,
  buildOpenBadgeCredential,
  isoSeconds,
  signOpenBadgeCredential,
  type BadgeInput,
} from '~/features/exports/open-badges';
import {
  STATUS_LIST_SIZE,
  buildStatusListCredential,
  encodeStatusList,
  isSetInStatusList,
  statusListPosition,
} from '~/features/exports/status-list';
import { loadBadgeSigningKey, type BadgeSigningKey } from '~/lib/server/signing-key';
import {
  expandStatusList,
  validateLikeOneEdTech,
  verifyJwsWithWebCrypto,
  type Fetcher,
} from '../../helpers/ob-validator';

const schema = JSON.parse(readFileSync('tests/fixtures/open-badges/ob_v3p0_achievementcredential_schema.json', 'utf8'));
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validateSchema = ajv.compile(schema);

const issuer = { baseUrl: 'https://academy.example.com', name: 'Acme Service Co.' };
const urls = badgeUrls(issuer.baseUrl);
const issuedAt = Date.UTC(2026, 0, 15, 9, 30);
const expiresAt = Date.UTC(2027, 0, 15, 9, 30);
const input: BadgeInput = {
  certificate: { id: 'cert-row-1', code: 'abcd2345efgh', issuedAt, expiresAt },
  recipient: { id: 'user-ana', email: 'ana@example.com', name: 'Ana Silva' },
  statusIndex: 5,
  track: {
    id: 'onboarding',
    title: 'Customer service onboarding',
    summary: 'The standards every new rep learns first.',
    criteria: 'Pass the quiz “Greeting” at its pass mark.',
  },
};
const during = issuedAt + 30 * 86_400_000;

let key: BadgeSigningKey;
let jwt: string;
beforeAll(async () => {
  key = await loadBadgeSigningKey({ env: '', file: join(mkdtempSync(join(tmpdir(), 'fa-badge-')), 'k.json') });
  jwt = await signOpenBadgeCredential(buildOpenBadgeCredential(issuer, input), key, issuer.baseUrl);
});

/** The site as a verifier reaches it: the key at its URL, and status list 0 with the given places revoked. */
async function site(revoked: number[] = []): Promise<Fetcher> {
  const list = buildStatusListCredential({
    url: urls.statusList(0),
    issuerId: urls.issuer,
    validFrom: isoSeconds(issuedAt),
    revokedPositions: revoked,
  });
  const listJwt = await new SignJWT(list as unknown as Record<string, unknown>)
    .setProtectedHeader(badgeHeader(issuer.baseUrl, key.kid))
    .setIssuer(list.issuer)
    .setSubject(list.credentialSubject.id)
    .setJti(list.id)
    .setNotBefore(Math.floor(issuedAt / 1000))
    .sign(key.privateKey);
  const pages = new Map([
    [urls.key(key.kid), JSON.stringify(key.publicJwk)],
    [urls.statusList(0), listJwt],
  ]);
  return async (url) => (pages.has(url) ? { status: 200, text: pages.get(url)! } : { status: 404, text: '' });
}

describe("1EdTech's official OB 3.0 JSON schema", () => {
  it('accepts the credential as a verifier reads it from the JWT, with 0 errors', () => {
    expect(validateSchema(decodeJwt(jwt)), JSON.stringify(validateSchema.errors)).toBe(true);
  });

  it('is really applied: it refuses a credential without an achievement or a VC 2.0 context', () => {
    const { achievement: _a, ...subject } = buildOpenBadgeCredential(issuer, input).credentialSubject;
    expect(validateSchema({ ...decodeJwt(jwt), credentialSubject: subject })).toBe(false);
    expect(validateSchema({ ...decodeJwt(jwt), '@context': ['https://www.w3.org/2018/credentials/v1'] })).toBe(false);
  });
});

describe("1EdTech's validator's rules", () => {
  it('find nothing wrong with our credential, and it is not revoked', async () => {
    const outcome = await validateLikeOneEdTech(jwt, await site(), during);
    expect(outcome.problems).toEqual([]);
    expect(outcome.revoked).toBe(false);
  });

  it('see the revocation once its bit is set, and only its own bit', async () => {
    expect((await validateLikeOneEdTech(jwt, await site([5]), during)).revoked).toBe(true);
    expect((await validateLikeOneEdTech(jwt, await site([4, 6]), during)).revoked).toBe(false);
  });

  it('catch what the old credentials got wrong (they are the rules, not a mirror of our code)', async () => {
    const fetcher = await site();
    const payload = decodeJwt(jwt) as Record<string, unknown>;
    const sign = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
    const { sub: _sub, ...noSub } = payload;
    expect(
      (await validateLikeOneEdTech(await sign(badgeHeader(issuer.baseUrl, key.kid), noSub), fetcher, during)).problems,
    ).toContain('sub is missing or does not match credentialSubject.id');
    const oldHeader = { alg: 'ES256', typ: 'vc+jwt', cty: 'vc', kid: key.kid };
    const problems = (await validateLikeOneEdTech(await sign(oldHeader, payload), fetcher, during)).problems;
    expect(problems).toContain('credential: typ, if present, MUST be "JWT"');
    expect(problems).toContain('credential: additional JOSE headers are not allowed: cty');
    expect(problems.some((p) => p.includes('Unable to retrieve jwk'))).toBe(true);
  });
});

describe('a second implementation of the signature', () => {
  it('verifies our ES256 signature with WebCrypto and the published key, and refuses a changed payload', async () => {
    expect(await verifyJwsWithWebCrypto(jwt, key.publicJwk as JsonWebKey)).toBe(true);
    const [h, p, s] = jwt.split('.');
    const changed = Buffer.from(JSON.stringify({ ...decodeJwt(jwt), name: 'Something else' })).toString('base64url');
    expect(await verifyJwsWithWebCrypto(`${h}.${changed}.${s}`, key.publicJwk as JsonWebKey)).toBe(false);
    expect(p).toBeTruthy();
  });
});

describe('the Bitstring Status List', () => {
  it('sets exactly the revoked bits, left-most first, in a list of at least 131,072 bits', () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_SIZE - 1]);
    expect(encoded.startsWith('u')).toBe(true);
    const bits = expandStatusList(encoded);
    expect(bits.length * 8).toBe(STATUS_LIST_SIZE);
    expect(bits[0]).toBe(0x80);
    expect(bits[1]).toBe(0x40);
    expect(bits.at(-1)).toBe(0x01);
    expect([0, 1, 8, 9, 10].map((p) => isSetInStatusList(encoded, p))).toEqual([true, false, false, true, false]);
    expect(() => encodeStatusList([STATUS_LIST_SIZE])).toThrow(RangeError);
  });

  it('puts index i in list ⌊i / 131072⌋', () => {
    expect(statusListPosition(5)).toEqual({ list: 0, position: 5 });
    expect(statusListPosition(STATUS_LIST_SIZE + 2)).toEqual({ list: 1, position: 2 });
  });
});

/** The credential in a baked SVG, read as the validator's SvgParser does: an XML parser, namespaces resolved. */
function extractBaked(svg: string): { verify: string | undefined; count: number; rootFirstChild: string | undefined } {
  const parser = sax.parser(true, { xmlns: true });
  let verify: string | undefined;
  let count = 0;
  let depth = 0;
  let rootFirstChild: string | undefined;
  parser.onopentag = (tag) => {
    const node = tag as sax.QualifiedTag;
    depth += 1;
    if (depth === 2 && rootFirstChild === undefined) rootFirstChild = `${node.uri} ${node.local}`;
    if (node.uri === OPEN_BADGES_SVG_NS && node.local === 'credential') {
      count += 1;
      verify ??= node.attributes.verify?.value;
    }
  };
  parser.onclosetag = () => {
    depth -= 1;
  };
  parser.write(svg).close();
  return { verify, count, rootFirstChild };
}

describe('the baked badge image', () => {
  it('carries the compact JWS in one openbadges:credential right after <svg>, and is well-formed XML', () => {
    const baked = bakeSvg(badgeSvg({ title: input.track.title, organization: issuer.name, year: 2026 }), jwt);
    const found = extractBaked(baked);
    expect(found).toEqual({ verify: jwt, count: 1, rootFirstChild: `${OPEN_BADGES_SVG_NS} credential` });
    expect(baked).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns:openbadges="https:\/\/purl\.imsglobal\.org\/ob\/v3p0" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(() => bakeSvg(baked, jwt)).toThrow(/already/);
    expect(() =>
      bakeSvg(baked.replace(/<openbadges:credential[^>]*><\/openbadges:credential>/, ''), 'not a jws'),
    ).toThrow();
  });

  it('names itself for screen readers and escapes what it shows', () => {
    const svg = badgeSvg({ title: 'Tone & <manner>', organization: 'A "B" Co', year: 2026 });
    expect(svg).toContain(
      '<title id="badge-title">Tone &amp; &lt;manner&gt; — certified by A &quot;B&quot; Co, 2026</title>',
    );
    expect(extractBaked(bakeSvg(svg, jwt)).count).toBe(1);
    expect(wrapWords('Handling an angry customer on the phone with patience', 18, 3)).toEqual([
      'Handling an angry',
      'customer on the',
      'phone with…',
    ]);
  });

  it("wears the organisation's accent colour when it sets one", () => {
    const branded = badgeSvg({ title: 'Onboarding', organization: 'Northwind', year: 2026, accent: '#0f766e' });
    expect(branded).toContain('fill="#0f766e"');
    expect(branded).not.toMatch(/#1d4ed8|#1e3a8a/);
    expect(badgeSvg({ title: 'Onboarding', organization: 'Northwind', year: 2026 })).toContain('fill="#1e3a8a"');
  });
});

describe('LinkedIn add to profile', () => {
  it('fills in the certification fields LinkedIn takes', () => {
    const url = new URL(
      linkedInAddToProfileUrl({
        name: 'Customer service onboarding',
        organizationName: 'Acme Service Co.',
        issuedAt,
        expiresAt,
        certUrl: urls.verify('abcd'),
        certId: 'ABCD',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Customer service onboarding',
      organizationName: 'Acme Service Co.',
      issueYear: '2026',
      issueMonth: '1',
      expirationYear: '2027',
      expirationMonth: '1',
      certUrl: 'https://academy.example.com/verify/abcd',
      certId: 'ABCD',
    });
  });
});
