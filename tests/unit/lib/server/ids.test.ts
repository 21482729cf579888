import { describe, expect, it } from 'vitest';
import { newId, randomToken, sha256Hex } from '../../../../src/lib/server/ids';
import { generateSessionToken } from '../../../../src/lib/server/session';

describe('tokens', () => {
  it('session tokens carry 160 random bits as 32 lower-case base32 characters', () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it('never repeats across many draws', () => {
    const seen = new Set(Array.from({ length: 5000 }, () => randomToken()));
    expect(seen.size).toBe(5000);
  });

  it('ids are 128-bit (26 characters)', () => {
    expect(newId()).toMatch(/^[a-z2-7]{26}$/);
  });
});

describe('sha256Hex', () => {
  it('matches the standard test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is 64 hex characters and differs from its input', () => {
    const token = generateSessionToken();
    const hash = sha256Hex(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
  });
});
