import { beforeEach, describe, expect, it } from 'vitest';
import { addressBucket, clientAddress, normalizeAddress } from '~/lib/server/client-address';
import { addressKey, reserveAttempt } from '~/lib/server/rate-limit';
import { freshDb } from '../../../helpers/db';

describe('client addresses', () => {
  it('reads an IPv4-mapped IPv6 address as the IPv4 address, in either spelling', () => {
    expect(normalizeAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeAddress('::FFFF:c000:0207')).toBe('192.0.2.7');
    expect(normalizeAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(normalizeAddress('2001:DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('not an address')).toBe('not an address');
  });

  it('normalises the forwarded address too', () => {
    process.env.TRUST_PROXY = '1';
    try {
      const request = new Request('http://x/', { headers: { 'x-forwarded-for': 'spoofed, ::ffff:198.51.100.4' } });
      expect(clientAddress(request, '127.0.0.1')).toBe('198.51.100.4');
    } finally {
      delete process.env.TRUST_PROXY;
    }
    expect(clientAddress(new Request('http://x/'), '::ffff:127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts IPv6 clients by their /64', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressBucket('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });
});

describe('an attacker rotating addresses', () => {
  beforeEach(freshDb);

  it('gets one address budget for a whole /64, and none extra by spelling IPv4 as IPv6', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserveAttempt([addressKey(`2001:db8:7:7:${i.toString(16)}::1`, 20)])),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(20);
    expect((await reserveAttempt([addressKey('2001:db8:7:8::1', 20)])).ok).toBe(true);

    for (let i = 0; i < 3; i++) await reserveAttempt([addressKey('203.0.113.5', 3)]);
    expect((await reserveAttempt([addressKey('::ffff:203.0.113.5', 3)])).ok).toBe(false);
    expect((await reserveAttempt([addressKey('::ffff:cb00:7105', 3)])).ok).toBe(false);
  });
});
