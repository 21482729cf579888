import { describe, expect, it } from 'vitest';
import { isForbiddenCrossSitePost } from '~/lib/server/origin-check';

const url = new URL('https://academy.example/login');
const site = { siteUrl: 'https://academy.example', production: true };
const post = (headers: Record<string, string>, at = url) => new Request(at, { method: 'POST', headers, body: 'a=1' });
const form = 'application/x-www-form-urlencoded';

describe('isForbiddenCrossSitePost', () => {
  it('refuses form posts from another origin or without one', () => {
    expect(
      isForbiddenCrossSitePost(post({ 'content-type': form, origin: 'https://evil.example' }), url, '/login', site),
    ).toBe(true);
    expect(
      isForbiddenCrossSitePost(post({ 'content-type': 'multipart/form-data; boundary=x' }), url, '/login', site),
    ).toBe(true);
    expect(isForbiddenCrossSitePost(post({ 'content-type': 'text/plain', origin: 'null' }), url, '/login', site)).toBe(
      true,
    );
  });

  it('lets our own forms, JSON with our origin, and reads through', () => {
    expect(isForbiddenCrossSitePost(post({ 'content-type': form, origin: url.origin }), url, '/login', site)).toBe(
      false,
    );
    expect(
      isForbiddenCrossSitePost(
        post({ 'content-type': 'application/json', origin: 'https://evil.example' }),
        url,
        '/login',
        site,
      ),
    ).toBe(false);
    expect(isForbiddenCrossSitePost(new Request(url), url, '/login', site)).toBe(false);
  });

  it("behind a TLS proxy: the browser's https Origin matches SITE_URL although the app sees http://<Host>", () => {
    const seen = new URL('http://127.0.0.1:4321/login');
    expect(
      isForbiddenCrossSitePost(
        post({ 'content-type': form, origin: 'https://academy.example' }, seen),
        seen,
        '/login',
        site,
      ),
    ).toBe(false);
    // In production the request's own origin (from the Host header a client chooses) is not ours.
    expect(
      isForbiddenCrossSitePost(post({ 'content-type': form, origin: seen.origin }, seen), seen, '/login', site),
    ).toBe(true);
    // A local server (not production) takes its request origin too, e.g. astro dev at 127.0.0.1 with SITE_URL at localhost.
    const local = { siteUrl: 'http://localhost:4321', production: false };
    expect(
      isForbiddenCrossSitePost(post({ 'content-type': form, origin: seen.origin }, seen), seen, '/login', local),
    ).toBe(false);
    expect(
      isForbiddenCrossSitePost(
        post({ 'content-type': form, origin: 'https://evil.example' }, seen),
        seen,
        '/login',
        local,
      ),
    ).toBe(true);
  });

  it('takes the one-click unsubscribe from anywhere (RFC 8058)', () => {
    expect(isForbiddenCrossSitePost(post({ 'content-type': form }), url, '/unsubscribe/[token]', site)).toBe(false);
  });

  it('takes SCIM calls from an identity provider: no Origin, and a DELETE without a body (the bearer token authorizes)', () => {
    const scim = new URL('https://academy.example/scim/v2/Users/abc');
    expect(isForbiddenCrossSitePost(new Request(scim, { method: 'DELETE' }), scim, '/scim/v2/[...path]', site)).toBe(
      false,
    );
    expect(isForbiddenCrossSitePost(new Request(scim, { method: 'DELETE' }), scim, '/admin/users/[id]', site)).toBe(
      true,
    );
  });
});
