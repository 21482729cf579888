/**
 * The address a request came from, for throttling and the sessions list. Behind our own reverse proxy every
 * request comes from the proxy; with TRUST_PROXY=1 (src/env.ts) the client is the last X-Forwarded-For entry,
 * the one our proxy appended (earlier entries are whatever the client sent). Only set TRUST_PROXY when the app
 * listens where nothing but the proxy can reach it.
 *
 * Addresses are normalised (ipaddr.js): an IPv4 client that reaches a dual-stack socket as `::ffff:1.2.3.4` is
 * 1.2.3.4, and an IPv6 address has one spelling. Throttles count an IPv6 client by its /64 (`addressBucket`): a
 * single subscriber usually gets a whole /64, so counting each of its 2^64 addresses apart would give it as many
 * fresh budgets.
 */
import ipaddr from 'ipaddr.js';
import { env } from '../../env';

export function clientAddress(request: Request, socketAddress: string): string {
  const forwarded = env().trustProxy ? request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  return normalizeAddress(forwarded || socketAddress);
}

/** IPv4 as dotted quad (also when IPv4-mapped), IPv6 in its canonical short form; anything else as given. */
export function normalizeAddress(address: string): string {
  // A zone (fe80::1%eth0) names the local interface, not the client.
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  // Only the dotted quad for IPv4: ipaddr.js would also read forms like `127.1` that no socket or proxy gives.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return address;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  }
  return parsed.toString();
}

/** What a throttle counts: an IPv4 address, or the /64 network of an IPv6 one (`2001:db8:1:2::/64`). */
export function addressBucket(address: string): string {
  const normal = normalizeAddress(address);
  if (!ipaddr.IPv6.isValid(normal)) return normal;
  const parts = ipaddr.IPv6.parse(normal).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
