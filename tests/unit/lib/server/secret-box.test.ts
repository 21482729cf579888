import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from '../../../../src/lib/server/secret-box';
import { parseEnv } from '../../../../src/env';

describe('secret box', () => {
  const key = randomBytes(32);
  it('seals so that the text is not readable and opens it again', async () => {
    const sealed = await sealSecret('client-secret-123', key);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('client-secret-123');
    expect(await sealSecret('client-secret-123', key)).not.toBe(sealed);
    expect(await openSecret(sealed, key)).toBe('client-secret-123');
  });
  it('refuses an altered text or another key', async () => {
    const sealed = await sealSecret('client-secret-123', key);
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
    await expect(openSecret(flipped, key)).rejects.toThrow();
    await expect(openSecret(sealed, randomBytes(32))).rejects.toThrow();
    await expect(openSecret('plain text', key)).rejects.toThrow('not a sealed secret');
  });
  it('SECRET_BOX_KEY must be 32 bytes of base64url', () => {
    expect(parseEnv({ SECRET_BOX_KEY: randomBytes(32).toString('base64url') }).secretBoxKey).toBeDefined();
    expect(() => parseEnv({ SECRET_BOX_KEY: 'short' })).toThrow(/SECRET_BOX_KEY must be 32 random bytes/);
  });
});
