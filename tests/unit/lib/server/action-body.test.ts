import { describe, expect, it } from 'vitest';
import { sendsForm, unreadableActionBody } from '~/lib/server/action-body';

const post = (body: string, type?: string) =>
  new Request('http://x.test/_actions/quiz.start', {
    method: 'POST',
    body,
    headers: type ? { 'content-type': type } : {},
  });

describe('unreadableActionBody', () => {
  it('lets form bodies through, however odd their content (the action validates them)', async () => {
    expect(await unreadableActionBody(post('quiz=%FF%FE', 'application/x-www-form-urlencoded'))).toBeNull();
    expect(
      await unreadableActionBody(post('--x\r\nnot really multipart', 'multipart/form-data; boundary=x')),
    ).toBeNull();
    expect(await unreadableActionBody(post('quiz=a', 'Application/X-WWW-Form-Urlencoded; charset=utf-8'))).toBeNull();
  });

  it('lets JSON through when it parses (Astro refuses it from form actions with a message)', async () => {
    expect(await unreadableActionBody(post('{"quiz": 1}', 'application/json'))).toBeNull();
    expect(await unreadableActionBody(post('', 'application/json'))).toBeNull();
  });

  it('refuses JSON that does not parse with 400 and other body types with 415, each with a message', async () => {
    for (const body of ['{', '[1,', 'nul', '{"quiz":}', '\uD800']) {
      expect(await unreadableActionBody(post(body, 'application/json'))).toEqual({
        status: 400,
        message: 'The request body is not valid JSON.',
      });
    }
    for (const type of ['text/plain', 'application/octet-stream', 'text/html', 'application/jsonp', undefined]) {
      const refusal = await unreadableActionBody(post('a=b', type));
      expect(refusal?.status, type).toBe(415);
      expect(refusal?.message).toMatch(/form/);
    }
  });

  it('leaves the body readable for Astro afterwards', async () => {
    const request = post('{"quiz": "x"}', 'application/json');
    await unreadableActionBody(request);
    expect(await request.json()).toEqual({ quiz: 'x' });
  });
});

describe('sendsForm', () => {
  it('is true for the two form encodings only', () => {
    expect(sendsForm(post('', 'multipart/form-data; boundary=x'))).toBe(true);
    expect(sendsForm(post('', 'application/x-www-form-urlencoded'))).toBe(true);
    expect(sendsForm(post('', 'text/plain'))).toBe(false);
    expect(sendsForm(post('', 'application/json'))).toBe(false);
    expect(sendsForm(post(''))).toBe(false);
  });
});
