import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OB_CONTEXTS,
  achievementDocument,
  buildOpenBadgeCredential,
  buildRevocationList,
  criteriaNarrative,
  issuerDocument,
  isoSeconds,
  signOpenBadgeCredential,
  verifyOpenBadgeCredential,
  type BadgeInput,
} from '~/features/exports/open-badges';
import { loadBadgeSigningKey, type BadgeSigningKey } from '~/lib/server/signing-key';

const issuer = { baseUrl: 'https://academy.example.com/', name: 'Acme Service Co.' };
const base = 'https://academy.example.com';
const issuedAt = Date.UTC(2026, 0, 15, 9, 30, 12, 345);
const expiresAt = Date.UTC(2027, 0, 15, 9, 30, 12, 345);
const input: BadgeInput = {
  certificate: { id: 'cert-row-1', code: 'abcd2345efgh', issuedAt, expiresAt },
  recipient: { id: 'user-ana', email: 'Ana@Example.com ', name: 'Ana Silva' },
  statusIndex: 131_075,
  track: {
    id: 'onboarding',
    title: 'Onboarding',
    summary: 'The service standards every new rep learns first.',
    criteria: 'Pass the quiz “Greeting” at its pass mark.',
  },
};
const credential = buildOpenBadgeCredential(issuer, input);

const keyFile = () => join(mkdtempSync(join(tmpdir(), 'fa-badge-')), 'badge-key.json');
let key: BadgeSigningKey;
let jwks: { keys: BadgeSigningKey['publicJwk'][] };
beforeAll(async () => {
  key = await loadBadgeSigningKey({ env: '', file: keyFile() });
  jwks = { keys: [key.publicJwk] };
});

describe('buildOpenBadgeCredential', () => {
  it('follows the VC 2.0 / OB 3.0 shape', () => {
    expect(credential['@context'].slice(0, 2)).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential['@context']).toEqual([...OB_CONTEXTS]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.name).toBe('Onboarding');
    expect(credential.issuer).toEqual({ id: `${base}/issuer`, type: ['Profile'], name: 'Acme Service Co.', url: base });
    expect(credential.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(credential.credentialSubject.achievement).toEqual({
      id: `${base}/achievements/onboarding`,
      type: ['Achievement'],
      name: 'Onboarding',
      description: 'The service standards every new rep learns first.',
      criteria: { narrative: 'Pass the quiz “Greeting” at its pass mark.' },
    });
    // Index 131075 is the fourth place of the second list.
    expect(credential.credentialStatus).toEqual({
      id: `${base}/status/revocation/1#3`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '3',
      statusListCredential: `${base}/status/revocation/1`,
    });
    expect(credential.credentialSubject.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(JSON.stringify(credential)).not.toContain('user-ana');
  });

  it('is valid from issue to expiry, to the second', () => {
    expect(credential.validFrom).toBe('2026-01-15T09:30:12Z');
    expect(credential.validUntil).toBe('2027-01-15T09:30:12Z');
    expect(credential.validUntil).toBe(isoSeconds(expiresAt));
  });

  it('identifies the recipient by a salted hash of the normalized email, and by name', () => {
    const [email, name] = credential.credentialSubject.identifier;
    const expected = createHash('sha256').update(`ana@example.com${email!.salt}`).digest('hex');
    expect(email).toEqual({
      type: 'IdentityObject',
      identityType: 'emailAddress',
      hashed: true,
      identityHash: `sha256$${expected}`,
      salt: email!.salt,
    });
    expect(email!.salt).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(credential)).not.toMatch(/ana@example\.com/i);
    expect(name).toEqual({ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Ana Silva' });
  });

  it('gives the same certificate the same credential id, and another certificate another', () => {
    expect(buildOpenBadgeCredential(issuer, input).id).toBe(credential.id);
    expect(credential.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const other = buildOpenBadgeCredential(issuer, {
      ...input,
      certificate: { ...input.certificate, id: 'cert-row-2' },
    });
    expect(other.id).not.toBe(credential.id);
    // The same holder is the same subject in every credential; another holder is another.
    expect(other.credentialSubject.id).toBe(credential.credentialSubject.id);
    const someoneElse = buildOpenBadgeCredential(issuer, {
      ...input,
      recipient: { ...input.recipient, id: 'user-bo' },
    });
    expect(someoneElse.credentialSubject.id).not.toBe(credential.credentialSubject.id);
  });
});

describe('signing and verifying', () => {
  it('round-trips: the JWT verifies against the JWKS and yields the credential', async () => {
    const jwt = await signOpenBadgeCredential(credential, key, issuer.baseUrl);
    // Exactly the headers OB 3.0 allows: ES256, typ JWT, and the URL of the key.
    expect(decodeProtectedHeader(jwt)).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: `${base}/.well-known/jwks/${key.kid}`,
    });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({ iss: `${base}/issuer`, sub: credential.credentialSubject.id, jti: credential.id });
    expect(claims.nbf).toBe(Math.floor(issuedAt / 1000));
    expect(claims.exp).toBe(Math.floor(expiresAt / 1000));
    expect(claims).not.toHaveProperty('vc');
    const verified = await verifyOpenBadgeCredential(jwt, jwks, { currentDate: new Date(issuedAt + 86_400_000) });
    expect(verified).toEqual(credential);
    expect(verified.validUntil).toBe(isoSeconds(expiresAt));
  });

  it('fails when the payload is tampered with', async () => {
    const jwt = await signOpenBadgeCredential(credential, key, issuer.baseUrl);
    const [header, , signature] = jwt.split('.');
    const forged = { ...decodeJwt(jwt), name: 'Senior Manager', validUntil: '2099-01-01T00:00:00Z' };
    const forgedPayload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    await expect(
      verifyOpenBadgeCredential(`${header}.${forgedPayload}.${signature}`, jwks, { currentDate: new Date(issuedAt) }),
    ).rejects.toThrow();
  });

  it('fails with a damaged signature or a key that is not ours', async () => {
    const jwt = await signOpenBadgeCredential(credential, key, issuer.baseUrl);
    const at = { currentDate: new Date(issuedAt) };
    const last = jwt.at(-2) === 'A' ? 'B' : 'A';
    await expect(verifyOpenBadgeCredential(`${jwt.slice(0, -2)}${last}${jwt.at(-1)}`, jwks, at)).rejects.toThrow();
    const stranger = await loadBadgeSigningKey({ env: '', file: keyFile() });
    const theirs = await signOpenBadgeCredential(credential, stranger, issuer.baseUrl);
    await expect(verifyOpenBadgeCredential(theirs, jwks, at)).rejects.toThrow();
  });

  it('fails after validUntil and before validFrom', async () => {
    const jwt = await signOpenBadgeCredential(credential, key, issuer.baseUrl);
    await expect(verifyOpenBadgeCredential(jwt, jwks, { currentDate: new Date(expiresAt + 1000) })).rejects.toThrow(
      /exp/,
    );
    await expect(verifyOpenBadgeCredential(jwt, jwks, { currentDate: new Date(issuedAt - 60_000) })).rejects.toThrow(
      /nbf/,
    );
  });
});

describe('buildRevocationList', () => {
  it('lists nothing for a valid certificate and the credential with its reason once revoked', () => {
    const common = { code: 'abcd2345efgh', credentialId: credential.id };
    expect(buildRevocationList(issuer, { ...common, revoked: false })).toEqual({
      id: `${base}/verify/abcd2345efgh`,
      issuer: `${base}/issuer`,
      revokedCredentials: [],
    });
    expect(
      buildRevocationList(issuer, { ...common, revoked: true, reason: 'Issued in error' }).revokedCredentials,
    ).toEqual([{ id: credential.id, revocationReason: 'Issued in error' }]);
    expect(buildRevocationList(issuer, { ...common, revoked: true }).revokedCredentials).toEqual([
      { id: credential.id },
    ]);
  });
});

describe('criteriaNarrative', () => {
  it('describes each requirement in words', () => {
    const titles: Record<string, string> = { greeting: 'Greeting', late: 'Late delivery' };
    const text = criteriaNarrative(
      [{ quiz: 'greeting' }, { roleplay: 'late', minScore: 70 }, { roleplay: 'late' }],
      (_kind, id) => titles[id]!,
    );
    expect(text).toBe(
      'Pass the quiz “Greeting” at its pass mark. Reach a score of at least 70 in the role-play “Late delivery”. ' +
        'Reach the pass score in the role-play “Late delivery”.',
    );
  });

  it('describes a calibration exercise requirement, with or without its own minimum', () => {
    const text = criteriaNarrative(
      [{ exercise: 'qa' }, { exercise: 'qa', minScore: 80 }],
      (kind, id) => `${kind}:${id}`,
    );
    expect(text).toBe(
      'Reach the pass mark in the calibration exercise “exercise:qa”. ' +
        'Agree with the expert on at least 80% of the calls in the calibration exercise “exercise:qa”.',
    );
  });
});

describe('the documents behind the credential’s issuer and achievement ids', () => {
  it('say what the credential embeds, as standalone JSON-LD at those ids', () => {
    const profile = issuerDocument(issuer);
    expect(profile).toEqual({ '@context': [...OB_CONTEXTS], ...credential.issuer });
    expect(profile.id).toBe(`${base}/issuer`);
    const achievement = achievementDocument(issuer, input.track);
    expect(achievement).toEqual({
      '@context': [...OB_CONTEXTS],
      ...credential.credentialSubject.achievement,
      creator: credential.issuer,
    });
    expect(achievement.id).toBe(`${base}/achievements/onboarding`);
  });
});
