import { describe, expect, it } from 'vitest';
import { wantsJson } from '~/features/exports/negotiation';

const req = (accept?: string) => new Request('https://x.test/verify/abc', accept ? { headers: { accept } } : {});

describe('wantsJson', () => {
  it('gives JSON to JSON clients and HTML to browsers', () => {
    expect(wantsJson(req('application/json'))).toBe(true);
    expect(wantsJson(req('application/ld+json'))).toBe(true);
    expect(wantsJson(req('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'))).toBe(false);
  });

  it('reads quality values instead of looking for words', () => {
    expect(wantsJson(req('text/html;q=0.1, application/json'))).toBe(true);
    expect(wantsJson(req('application/json;q=0.2, text/html'))).toBe(false);
    expect(wantsJson(req('application/json;q=0, */*'))).toBe(true); // ld+json is still acceptable
    expect(wantsJson(req('application/*;q=0, text/html;q=0.5'))).toBe(false);
  });

  it('treats a client without a preference (*/* or no Accept) as a program', () => {
    expect(wantsJson(req('*/*'))).toBe(true);
    expect(wantsJson(req())).toBe(true);
  });

  it('falls back to the page when nothing offered is acceptable', () => {
    expect(wantsJson(req('image/png'))).toBe(false);
  });
});
