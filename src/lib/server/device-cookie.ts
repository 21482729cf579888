/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that signs in to an
 * account gets `<nonce>.<mac>`, the mac an HMAC-SHA256 of the nonce and the account's email under a site secret.
 * At sign-in, a cookie whose mac matches the email being signed in to marks a known device: its attempts count on
 * the device's own throttle key instead of the address's and the account's (rate-limit.ts), so an attacker on the
 * same address, or guessing at the account, cannot lock that browser out. The email is not in the cookie, only
 * checked against it; a correct sign-in replaces the cookie (a new nonce, so a new budget only for the owner).
 * One cookie per browser: on a shared computer the last person to sign in is the known one.
 *
 * The mac also covers the account's current password hash (argon2 salts every hash, so each new password gives a
 * new one): changing or resetting the password revokes every device cookie issued before, and the browser that
 * made the change gets a fresh one. Completing a reset or accepting an invite proves control of the email, so it
 * issues one too: an owner kept out by guessing from many addresses gets in through "Forgot password?".
 */
import type { AstroCookies } from 'astro';
import { timingSafeEqual } from 'node:crypto';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { randomToken } from './ids';
import { secureCookies } from './session';
import { getSiteSecret } from './site-secret';

const DEVICE_LIFETIME = 365 * 24 * 60 * 60 * 1000;
const SHAPE = /^[a-z2-7]{32}\.[A-Za-z0-9_-]{43}$/;
const encoder = new TextEncoder();

const mac = async (nonce: string, email: string, passwordHash: string) =>
  encodeBase64urlNoPadding(
    hmac(SHA256, await getSiteSecret('device-cookie'), encoder.encode(`device:${nonce}:${email}:${passwordHash}`)),
  );

export function deviceCookieName(): string {
  return secureCookies() ? '__Host-device' : 'device';
}

/** A new cookie value for a browser that has just signed in to `email`, whose password hash is `passwordHash`. */
export async function newDeviceCookie(email: string, passwordHash: string): Promise<string> {
  const nonce = randomToken(20);
  return `${nonce}.${await mac(nonce, email, passwordHash)}`;
}

/** The device's nonce when `value` is a device cookie issued for `email` since its password last changed; else null. */
export async function knownDevice(
  value: string | undefined,
  email: string,
  passwordHash: string,
): Promise<string | null> {
  if (!value || !SHAPE.test(value)) return null;
  const [nonce, given] = value.split('.') as [string, string];
  const expected = await mac(nonce, email, passwordHash);
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected)) ? nonce : null;
}

export function setDeviceCookie(cookies: AstroCookies, value: string): void {
  cookies.set(deviceCookieName(), value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(),
    path: '/',
    expires: new Date(Date.now() + DEVICE_LIFETIME),
  });
}
