import { describe, expect, it } from 'vitest';
import { xapiConfigFromEnv } from '~/features/exports/xapi/config';

describe('xapiConfigFromEnv', () => {
  it('takes the organization IRI from XAPI_ORGANIZATION_IRI, else SITE_URL', () => {
    expect(xapiConfigFromEnv({}).organizationIri).toBeUndefined();
    expect(xapiConfigFromEnv({ SITE_URL: 'https://academy.example/' }).organizationIri).toBe('https://academy.example');
    expect(
      xapiConfigFromEnv({ SITE_URL: 'https://a.example', XAPI_ORGANIZATION_IRI: 'https://b.example/lrs' })
        .organizationIri,
    ).toBe('https://b.example/lrs');
    expect(() => xapiConfigFromEnv({ XAPI_ORGANIZATION_IRI: 'urn:x' })).toThrow(/XAPI_ORGANIZATION_IRI/);
  });

  it('reads the LRS endpoint and its Basic credentials from the URL or their own variables', () => {
    expect(xapiConfigFromEnv({}).lrs).toBeUndefined();
    expect(xapiConfigFromEnv({ XAPI_LRS_URL: 'https://key:s%40cret@lrs.example/data/xAPI/' }).lrs).toEqual({
      endpoint: 'https://lrs.example/data/xAPI',
      username: 'key',
      password: 's@cret',
      batchSize: 100,
    });
    expect(
      xapiConfigFromEnv({
        XAPI_LRS_URL: 'http://127.0.0.1:9/xAPI',
        XAPI_LRS_USERNAME: 'k',
        XAPI_LRS_PASSWORD: 'p',
        XAPI_PUSH_BATCH: '5',
      }).lrs,
    ).toEqual({ endpoint: 'http://127.0.0.1:9/xAPI', username: 'k', password: 'p', batchSize: 5 });
    expect(() => xapiConfigFromEnv({ XAPI_LRS_URL: 'https://lrs.example/xAPI' })).toThrow(/credentials/);
    expect(() => xapiConfigFromEnv({ XAPI_LRS_URL: 'ftp://k:p@lrs.example' })).toThrow(/http/);
    expect(() => xapiConfigFromEnv({ XAPI_LRS_URL: 'not a url' })).toThrow(/not a URL/);
    expect(() => xapiConfigFromEnv({ XAPI_LRS_URL: 'https://k:p@lrs.example', XAPI_PUSH_BATCH: '501' })).toThrow(
      /XAPI_PUSH_BATCH/,
    );
  });

  it('pushes every minute by default; 0 leaves it to cron', () => {
    expect(xapiConfigFromEnv({}).pushIntervalMs).toBe(60_000);
    expect(xapiConfigFromEnv({ XAPI_PUSH_INTERVAL: '0' }).pushIntervalMs).toBe(0);
    expect(() => xapiConfigFromEnv({ XAPI_PUSH_INTERVAL: 'soon' })).toThrow(/XAPI_PUSH_INTERVAL/);
  });
});
