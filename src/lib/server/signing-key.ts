/**
 * The site's badge-signing key: Ed25519, used for EdDSA signatures on Open Badges credentials.
 *
 * Where it comes from, first match wins:
 *   1. BADGE_SIGNING_KEY — a private JWK as JSON ({"kty":"OKP","crv":"Ed25519","x":…,"d":…}), for deployments that
 *      keep secrets in the environment or run several app servers that must sign alike;
 *   2. data/badge-key.json — created on first use (mode 0600, created exclusively so two processes starting at once
 *      cannot write different keys: the loser reads the winner's file).
 * The public half is published as a JWK Set (`getBadgeJwks`, served at /.well-known/jwks.json). The key id is the
 * RFC 7638 thumbprint of the public key, so it changes exactly when the key does.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';

export const BADGE_KEY_ENV = 'BADGE_SIGNING_KEY';
export const DEFAULT_BADGE_KEY_FILE = 'data/badge-key.json';

const privateJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  d: z.string().min(1),
});

export interface BadgeSigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: CryptoKey;
  /** The public key as published: kty, crv, x, kid, alg, use. */
  publicJwk: JWK;
}

async function fromPrivateJwk(source: string, value: unknown): Promise<BadgeSigningKey> {
  const parsed = privateJwkSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is not an Ed25519 private JWK (kty OKP, crv Ed25519, x, d)`);
  const { kty, crv, x, d } = parsed.data;
  const publicPart = { kty, crv, x };
  const kid = await calculateJwkThumbprint(publicPart);
  const privateKey = (await importJWK({ kty, crv, x, d }, 'EdDSA')) as CryptoKey;
  return { kid, privateKey, publicJwk: { ...publicPart, kid, alg: 'EdDSA', use: 'sig' } };
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
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
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
 * Load the key. `env` defaults to process.env.BADGE_SIGNING_KEY (pass '' to ignore it), `file` to
 * data/badge-key.json relative to the working directory.
 */
export async function loadBadgeSigningKey(options: { env?: string; file?: string } = {}): Promise<BadgeSigningKey> {
  const env = 'env' in options ? options.env : process.env[BADGE_KEY_ENV];
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

let cached: Promise<BadgeSigningKey> | undefined;

/** The process's key, loaded once. A failed load is not cached, so fixing the file or variable needs no restart. */
export function getBadgeSigningKey(): Promise<BadgeSigningKey> {
  cached ??= loadBadgeSigningKey().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** The public key set to serve at /.well-known/jwks.json. */
export async function getBadgeJwks(): Promise<{ keys: JWK[] }> {
  return { keys: [(await getBadgeSigningKey()).publicJwk] };
}
