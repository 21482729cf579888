/**
 * W3C Bitstring Status List v1.0 for revocation, pure: a certificate's entry in its credential, and the status list
 * credential that holds one bit per certificate (1: revoked).
 *
 * The bitstring is at least 131,072 bits (16 KB, the spec's minimum, for herd privacy), GZIP-compressed and
 * multibase-encoded (base64url without padding, prefix `u`); bit 0 is the left-most (most significant) bit of the
 * first byte. Certificates get indexes in the order their first credential was made (badges.server.ts); index i is
 * in list ⌊i / 131072⌋ at position i mod 131072, so a list never grows past its minimum.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export const STATUS_LIST_SIZE = 131_072;

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: 'revocation';
  statusListIndex: string;
  statusListCredential: string;
}

/** Where an index lives: which list, and where in it. */
export function statusListPosition(index: number): { list: number; position: number } {
  return { list: Math.floor(index / STATUS_LIST_SIZE), position: index % STATUS_LIST_SIZE };
}

export function statusListEntry(listUrl: (list: number) => string, index: number): BitstringStatusListEntry {
  const { list, position } = statusListPosition(index);
  const url = listUrl(list);
  return {
    id: `${url}#${position}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(position),
    statusListCredential: url,
  };
}

/** The `encodedList` with the given positions set. */
export function encodeStatusList(positions: Iterable<number>): string {
  const bits = new Uint8Array(STATUS_LIST_SIZE / 8);
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= STATUS_LIST_SIZE) throw new RangeError(`status list position ${p}`);
    bits[p >> 3]! |= 0x80 >> (p & 7);
  }
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** Whether the bit at `position` is set in an `encodedList` (the spec's validation algorithm). */
export function isSetInStatusList(encodedList: string, position: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (bits.length * 8 < STATUS_LIST_SIZE) throw new Error('status list shorter than the minimum');
  if (position >= bits.length * 8) throw new RangeError('index outside the status list');
  return (bits[position >> 3]! & (0x80 >> (position & 7))) !== 0;
}

export interface StatusListCredential {
  '@context': ['https://www.w3.org/ns/credentials/v2'];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  credentialSubject: { id: string; type: 'BitstringStatusList'; statusPurpose: 'revocation'; encodedList: string };
}

export function buildStatusListCredential(input: {
  url: string;
  issuerId: string;
  validFrom: string;
  revokedPositions: Iterable<number>;
}): StatusListCredential {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuerId,
    validFrom: input.validFrom,
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(input.revokedPositions),
    },
  };
}
