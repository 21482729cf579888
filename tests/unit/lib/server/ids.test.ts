import { describe, expect, it } from 'vitest';
import { newId, randomToken, sha256Hex } from '~/lib/server/ids';
import { generateSessionToken } from '~/lib/server/session';

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

  it('ids sort by creation time, also where a character crosses from digits to letters', () => {
    const times = [0, 1, 31, 32, 1023, 1024, 1_700_000_000_000, 1_764_547_200_000, 1_764_547_200_001, 2 ** 48 - 1];
    for (let i = 0; i < 200; i++) times.push(Math.floor(Math.random() * 2 ** 48));
    const ids = times.map((t) => ({ t, id: newId(t) }));
    const byId = [...ids].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((x) => x.t);
    expect(byId).toEqual([...times].sort((a, b) => a - b));
  });

  it('ids made in the same millisecond share their time prefix and still differ', () => {
    const at = 1_764_547_200_000;
    const ids = Array.from({ length: 5000 }, () => newId(at));
    expect(new Set(ids).size).toBe(5000);
    expect(new Set(ids.map((id) => id.slice(0, 9))).size).toBe(1);
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
