import { describe, expect, it } from 'vitest';
import { isForbiddenCrossSitePost } from '../../../../src/lib/server/origin-check';

const url = new URL('https://academy.example/login');
const post = (headers: Record<string, string>) => new Request(url, { method: 'POST', headers, body: 'a=1' });

describe('isForbiddenCrossSitePost', () => {
  it('refuses form posts from another origin or without one', () => {
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }), url, '/login')).toBe(true);
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'multipart/form-data; boundary=x' }), url, '/login')).toBe(true);
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'text/plain', origin: 'null' }), url, '/login')).toBe(true);
  });

  it('lets our own forms, JSON with our origin, and reads through', () => {
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'application/x-www-form-urlencoded', origin: url.origin }), url, '/login')).toBe(false);
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'application/json', origin: 'https://evil.example' }), url, '/login')).toBe(false);
    expect(isForbiddenCrossSitePost(new Request(url), url, '/login')).toBe(false);
  });

  it('takes the one-click unsubscribe from anywhere (RFC 8058)', () => {
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'application/x-www-form-urlencoded' }), url, '/unsubscribe/[token]')).toBe(false);
  });
});
