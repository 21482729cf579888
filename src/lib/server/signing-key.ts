/**
 * The site's badge-signing key: ECDSA P-256, for ES256 signatures on Open Badges credentials and status lists
 * (1EdTech's validator accepts RS256 and ES256 only).
 *
 * Where it comes from, first match wins:
 *   1. BADGE_SIGNING_KEY — a private JWK as JSON ({"kty":"EC","crv":"P-256","x":…,"y":…,"d":…}), for deployments
 *      that keep secrets in the environment or run several app servers that must sign alike;
 *   2. data/badge-signing-key.json — created on first use (mode 0600, created exclusively so two processes starting
 *      at once cannot write different keys: the loser reads the winner's file).
 * The key id is the RFC 7638 thumbprint of the public key, so it changes exactly when the key does. The public
 * half is published as a JWK Set (`getBadgeJwks`, /.well-known/jwks.json) and on its own at a URL per key id
 * (/.well-known/jwks/<kid>), which credentials name in their `kid` header.
 *
 * Sites that signed with Ed25519 before keep that key's public half in the JWK Set (from data/badge-key.json, never
 * used to sign again), so credentials issued then still verify.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { env as config } from '../../env';

export const BADGE_KEY_ENV = 'BADGE_SIGNING_KEY';
export const DEFAULT_BADGE_KEY_FILE = 'data/badge-signing-key.json';
/** Where the Ed25519 key of earlier versions was kept. */
export const RETIRED_ED25519_KEY_FILE = 'data/badge-key.json';
export const BADGE_ALG = 'ES256';

const privateJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

export interface BadgeSigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: CryptoKey;
  /** The public key as published: kty, crv, x, y, kid, alg, use. */
  publicJwk: JWK;
}

async function fromPrivateJwk(source: string, value: unknown): Promise<BadgeSigningKey> {
  const parsed = privateJwkSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is not a P-256 private JWK (kty EC, crv P-256, x, y, d)`);
  const { kty, crv, x, y, d } = parsed.data;
  const publicPart = { kty, crv, x, y };
  const kid = await calculateJwkThumbprint(publicPart);
  const privateKey = (await importJWK({ kty, crv, x, y, d }, BADGE_ALG)) as CryptoKey;
  return { kid, privateKey, publicJwk: { ...publicPart, kid, alg: BADGE_ALG, use: 'sig' } };
}

async function readKeyFile(file: string): Promise<BadgeSigningKey> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON`);
  }
  return fromPrivateJwk(file, json);
}

async function createKeyFile(file: string): Promise<BadgeSigningKey> {
  const { privateKey } = await generateKeyPair(BADGE_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw error;
  }
  // The mode given to writeFile is filtered by the umask; set it outright.
  await chmod(file, 0o600);
  return fromPrivateJwk(file, jwk);
}

/**
 * Load the key. `env` defaults to BADGE_SIGNING_KEY (src/env.ts) (pass '' to ignore it), `file` to
 * data/badge-signing-key.json relative to the working directory.
 */
export async function loadBadgeSigningKey(options: { env?: string; file?: string } = {}): Promise<BadgeSigningKey> {
  const env = 'env' in options ? options.env : config().badgeSigningKey;
  if (env) {
    let json: unknown;
    try {
      json = JSON.parse(env);
    } catch {
      throw new Error(`${BADGE_KEY_ENV} is not JSON`);
    }
    return fromPrivateJwk(BADGE_KEY_ENV, json);
  }
  const file = options.file ?? DEFAULT_BADGE_KEY_FILE;
  try {
    return await readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return createKeyFile(file);
    throw error;
  }
}

const retiredSchema = z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1) });

/** The public half of an Ed25519 key an earlier version signed with, if its file is there. */
export async function loadRetiredKey(file = RETIRED_ED25519_KEY_FILE): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = retiredSchema.safeParse(JSON.parse(text));
  if (!parsed.success) return undefined;
  const { kty, crv, x } = parsed.data;
  return { kty, crv, x, kid: await calculateJwkThumbprint({ kty, crv, x }), alg: 'EdDSA', use: 'sig' };
}

let cached: Promise<BadgeSigningKey> | undefined;

/** The process's key, loaded once. A failed load is not cached, so fixing the file or variable needs no restart. */
export function getBadgeSigningKey(): Promise<BadgeSigningKey> {
  cached ??= loadBadgeSigningKey().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** The public key set to serve at /.well-known/jwks.json: the signing key, then any retired one. */
export async function getBadgeJwks(): Promise<{ keys: JWK[] }> {
  const retired = await loadRetiredKey();
  return { keys: [(await getBadgeSigningKey()).publicJwk, ...(retired ? [retired] : [])] };
}

/** One published key by its id (the URL a credential's `kid` names), or undefined. */
export async function getBadgePublicKey(kid: string): Promise<JWK | undefined> {
  return (await getBadgeJwks()).keys.find((k) => k.kid === kid);
}
