import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/env';

describe('parseEnv', () => {
  it('runs a local server on defaults', () => {
    const e = parseEnv({});
    expect(e).toMatchObject({
      production: false,
      host: 'localhost',
      port: 4321,
      siteUrl: 'http://localhost:4321',
      https: false,
      databaseUrl: 'file:data/frontline.db',
      insecureCookies: false,
      signInAddressLimit: 20,
      trustProxy: false,
      testClock: false,
      testSeeds: false,
      dist: 'dist',
      writeLimit: { perMinute: 60, burst: 30 },
    });
    // xAPI ids are fixed for good once made: never from the default address.
    expect(e.xapi.organizationIri).toBeUndefined();
    expect(parseEnv({ PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
  });

  it('seeds the demo (public password) only outside production, unless FRONTLINE_DEMO says otherwise', () => {
    const site = { SITE_URL: 'https://academy.example.com' };
    expect(parseEnv({}).demo).toBe(true);
    expect(parseEnv({ FRONTLINE_DEMO: '0' }).demo).toBe(false);
    expect(parseEnv({ NODE_ENV: 'production', ...site }).demo).toBe(false);
    expect(parseEnv({ HOST: '0.0.0.0', ...site }).demo).toBe(false);
    expect(parseEnv({ NODE_ENV: 'production', FRONTLINE_DEMO: '1', ...site }).demo).toBe(true);
    expect(() => parseEnv({ FRONTLINE_DEMO: 'yes' })).toThrow(/FRONTLINE_DEMO must be 1/);
  });

  it('requires SITE_URL in production, saying how to set it', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /SITE_URL is required in production.*SITE_URL=https:\/\//,
    );
    expect(() => parseEnv({ HOST: '0.0.0.0' })).toThrow(/SITE_URL is required.*HOST=0\.0\.0\.0/);
    const e = parseEnv({ NODE_ENV: 'production', HOST: '0.0.0.0', SITE_URL: 'https://academy.example.com/' });
    expect(e).toMatchObject({ production: true, siteUrl: 'https://academy.example.com', https: true });
    expect(e.xapi.organizationIri).toBe('https://academy.example.com');
  });

  it('counts a SITE_URL on a public host as production, whatever NODE_ENV and HOST say (the proxy setup: HOST=127.0.0.1)', () => {
    const proxied = { HOST: '127.0.0.1', SITE_URL: 'https://academy.example.test' };
    expect(parseEnv(proxied)).toMatchObject({ production: true, demo: false });
    expect(() => parseEnv({ ...proxied, FRONTLINE_TEST_CLOCK: '1' })).toThrow(/FRONTLINE_TEST_CLOCK is for tests only/);
    expect(() => parseEnv({ ...proxied, FRONTLINE_TEST_SEEDS: '1' })).toThrow(/FRONTLINE_TEST_SEEDS is for tests only/);
    // What the test harnesses use stays a local server: loopback names and addresses, any port, http or https.
    for (const local of [
      'http://127.0.0.1:4581',
      'https://localhost:8443',
      'http://[::1]:3000',
      'http://127.0.0.2',
      'http://app.localhost',
    ]) {
      expect(parseEnv({ SITE_URL: local, FRONTLINE_TEST_CLOCK: '1' }), local).toMatchObject({
        production: false,
        testClock: true,
        demo: true,
      });
    }
  });

  it('says why SITE_URL is required, naming only the setting that made it production', () => {
    const message = (source: Record<string, string>) =>
      (() => {
        try {
          parseEnv(source);
          return '';
        } catch (e) {
          return (e as Error).message;
        }
      })();
    const byNodeEnv = message({ NODE_ENV: 'production', HOST: '127.0.0.1' });
    expect(byNodeEnv).toMatch(/SITE_URL is required in production \(NODE_ENV=production\)/);
    expect(byNodeEnv).not.toMatch(/HOST=127\.0\.0\.1/);
    expect(message({ HOST: '0.0.0.0' })).toMatch(/HOST=0\.0\.0\.0, which other machines can reach/);
  });

  it('refuses the test switches in production, which would let anyone move the clock or predict draws', () => {
    const production = { NODE_ENV: 'production', SITE_URL: 'https://academy.example.com' };
    expect(() => parseEnv({ ...production, FRONTLINE_TEST_CLOCK: '1' })).toThrow(
      /FRONTLINE_TEST_CLOCK is for tests only/,
    );
    expect(() => parseEnv({ ...production, FRONTLINE_TEST_SEEDS: '1' })).toThrow(
      /FRONTLINE_TEST_SEEDS is for tests only/,
    );
    expect(parseEnv({ FRONTLINE_TEST_CLOCK: '1' }).testClock).toBe(true);
  });

  it('refuses a SITE_URL that is not a plain http(s) origin', () => {
    for (const bad of [
      'academy.example.com',
      'ftp://academy.example.com',
      'https://u:p@a.example',
      'https://a.example/?x=1',
    ]) {
      expect(() => parseEnv({ SITE_URL: bad }), bad).toThrow(/SITE_URL must be/);
    }
  });

  it('reads flags and numbers strictly, and lists every problem at once', () => {
    expect(parseEnv({ INSECURE_COOKIES: '1', FRONTLINE_TEST_CLOCK: '1', SIGN_IN_ADDRESS_LIMIT: '500' })).toMatchObject({
      insecureCookies: true,
      testClock: true,
      signInAddressLimit: 500,
    });
    let error: unknown;
    try {
      parseEnv({
        INSECURE_COOKIES: 'yes',
        PORT: 'http',
        SIGN_IN_ADDRESS_LIMIT: '0',
        WRITE_RATE_LIMIT: 'lots',
        DATABASE_URL: 'postgres://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join('\n');
    for (const name of ['INSECURE_COOKIES', 'PORT', 'SIGN_IN_ADDRESS_LIMIT', 'WRITE_RATE_LIMIT', 'DATABASE_URL']) {
      expect(problems).toContain(name);
    }
    expect((error as EnvError).message).toMatch(/^Frontline Academy cannot start/);
  });

  it('reports mail and xAPI mistakes through the same error', () => {
    expect(() => parseEnv({ SMTP_URL: 'http://mail.test' })).toThrow(EnvError);
    expect(() => parseEnv({ XAPI_PUSH_BATCH: '9999', XAPI_LRS_URL: 'https://k:p@lrs.example' })).toThrow(
      /XAPI_PUSH_BATCH/,
    );
  });
});
