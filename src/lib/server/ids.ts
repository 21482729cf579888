import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { sha256 } from '@oslojs/crypto/sha2';

/** Random id or secret of `bytes` random bytes, lower-case base32 (URL-safe, no padding). */
export function randomToken(bytes = 20): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return encodeBase32LowerCaseNoPadding(buf);
}

/**
 * The base32 alphabet (RFC 4648: a–z, then 2–7) does not sort like its values, so ids are written with the same
 * characters in code-point order ('2' < … < '7' < 'a' < … < 'z'): the n-th character of the one becomes the n-th
 * of the other, and encoded ids sort as their bytes do.
 */
const RFC_BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const SORTED_BASE32 = '234567abcdefghijklmnopqrstuvwxyz';
const toSorted = Object.fromEntries([...RFC_BASE32].map((c, i) => [c, SORTED_BASE32[i]!]));

/**
 * Primary keys: 48 bits of the creation time (ms), then 80 random bits, as 26 base32 characters that sort by time.
 * Why time first: a new row's key then lands on the last pages of its primary-key index instead of a random page,
 * so a quiz submit's dozen or more per-standard rows dirty (and write to the WAL) a page or two rather than one
 * page each. The 80 random bits keep ids unguessable and collision-free; no id is a secret (tokens are).
 */
export function newId(at = Date.now()): string {
  const bytes = new Uint8Array(16);
  bytes.set(randomBytes(10), 6);
  let t = at;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  return encodeBase32LowerCaseNoPadding(bytes).replace(/./g, (c) => toSorted[c]!);
}

/**
 * Random bytes for ids, drawn from the system's CSPRNG a block at a time: a quiz submit makes a few dozen ids, and
 * one getRandomValues call each cost more than all the rest of newId (docs/benchmarks.md). Every byte is
 * handed out once; read the view before the next call (it is a window on the pool). Not for secrets: tokens draw
 * their own bytes.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

export function randomBytes(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool.subarray(poolAt, (poolAt += n));
}

export function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}
