import { mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { getBadgeJwks, getBadgeSigningKey, loadBadgeSigningKey, loadRetiredKey } from '~/lib/server/signing-key';

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'fa-key-')), 'nested', 'badge-key.json');

async function freshPrivateJwk() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(privateKey);
}

describe('loadBadgeSigningKey', () => {
  afterEach(() => {
    delete process.env.BADGE_SIGNING_KEY;
  });

  it('creates the key file on first use, readable by the owner only, and reuses it after', async () => {
    const file = tempFile();
    const first = await loadBadgeSigningKey({ env: '', file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(typeof stored.d).toBe('string');
    const second = await loadBadgeSigningKey({ env: '', file });
    expect(second.kid).toBe(first.kid);
  });

  it('ends with one key when two loads race to create it', async () => {
    const file = tempFile();
    const [a, b] = await Promise.all([loadBadgeSigningKey({ env: '', file }), loadBadgeSigningKey({ env: '', file })]);
    expect(a.kid).toBe(b.kid);
    expect((await loadBadgeSigningKey({ env: '', file })).kid).toBe(a.kid);
  });

  it('publishes only the public half, with the RFC 7638 thumbprint as kid', async () => {
    const key = await loadBadgeSigningKey({ env: '', file: tempFile() });
    expect(key.publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: key.publicJwk.x,
      y: key.publicJwk.y,
      kid: key.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.kid).toBe(
      await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: key.publicJwk.x!, y: key.publicJwk.y! }),
    );
  });

  it('prefers BADGE_SIGNING_KEY over the file, and then writes no file', async () => {
    const jwk = await freshPrivateJwk();
    const file = tempFile();
    const key = await loadBadgeSigningKey({ env: JSON.stringify(jwk), file });
    expect(key.publicJwk.x).toBe(jwk.x);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a variable that is not JSON or not a P-256 private key (an Ed25519 one included), saying which', async () => {
    await expect(loadBadgeSigningKey({ env: 'not json' })).rejects.toThrow('BADGE_SIGNING_KEY is not JSON');
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    await expect(loadBadgeSigningKey({ env: JSON.stringify(await exportJWK(privateKey)) })).rejects.toThrow(
      'not a P-256 private JWK',
    );
    const { d: _private, ...publicOnly } = await freshPrivateJwk();
    await expect(loadBadgeSigningKey({ env: JSON.stringify(publicOnly) })).rejects.toThrow('not a P-256 private JWK');
  });

  it('keeps publishing the public half of the Ed25519 key an earlier version signed with', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fa-key-')), 'badge-key.json');
    expect(await loadRetiredKey(file)).toBeUndefined();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const old = await exportJWK(privateKey);
    writeFileSync(file, JSON.stringify(old));
    const retired = await loadRetiredKey(file);
    expect(retired).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: old.x,
      kid: await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: old.x! }),
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(retired).not.toHaveProperty('d');
  });

  it('getBadgeJwks serves the process key from the environment', async () => {
    const jwk = await freshPrivateJwk();
    process.env.BADGE_SIGNING_KEY = JSON.stringify(jwk);
    // From a folder without data/: a retired key left by an earlier local run of the site must not count here.
    const cwd = process.cwd();
    process.chdir(mkdtempSync(join(tmpdir(), 'fa-test-')));
    const jwks = await getBadgeJwks().finally(() => process.chdir(cwd));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', x: jwk.x, kid: (await getBadgeSigningKey()).kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
