/**
 * Seals secrets the site must read back later (an SSO provider's client secret, which the token request sends), so
 * that a copy of the database alone does not give them away. AES-256-GCM with a key kept outside the database:
 *   1. SECRET_BOX_KEY (src/env.ts), 32 bytes in base64url, for deployments that keep secrets in the environment or
 *      run several app servers;
 *   2. else data/secret-box-key, created on first use (mode 0600, exclusively, like the badge key: two processes
 *      starting at once end up with the same key).
 * Sealed text is `v1.<iv>.<ciphertext+tag>` (base64url). Losing the key means re-entering the secrets it sealed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { env } from '../../env';

export const DEFAULT_SECRET_BOX_KEY_FILE = 'data/secret-box-key';

async function keyFromFile(file: string): Promise<Buffer> {
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return keyFromFile(file);
    throw error;
  }
  await chmod(file, 0o600);
  return key;
}

let cached: Promise<Buffer> | undefined;

function secretBoxKey(): Promise<Buffer> {
  const configured = env().secretBoxKey;
  if (configured) return Promise.resolve(Buffer.from(configured, 'base64url'));
  cached ??= keyFromFile(DEFAULT_SECRET_BOX_KEY_FILE).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export async function sealSecret(plain: string, key?: Buffer): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key ?? (await secretBoxKey()), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** Throws when the text was not sealed with this key (or was altered). */
export async function openSecret(sealed: string, key?: Buffer): Promise<string> {
  const [version, iv, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !body) throw new Error('not a sealed secret');
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key ?? (await secretBoxKey()), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}
