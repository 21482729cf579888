import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from '~/cli/static-files';

let server: Server;
let base: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'fa-static-'));
  mkdirSync(join(root, '_astro'));
  writeFileSync(join(root, '_astro', 'island.abc123.js'), 'export {};');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, 'with space.txt'), 'spaced');
  writeFileSync(join(root, '100%.txt'), 'percent');
  writeFileSync(join(root, 'a%41.txt'), 'literal');
  writeFileSync(join(root, 'aA.txt'), 'decoded twice');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  mkdirSync(join(root, '.well-known'));
  writeFileSync(join(root, '.well-known', 'security.txt'), 'Contact: x');
  writeFileSync(join(root, 'gone.txt'), 'soon gone');
  const files = staticFiles(root);
  rmSync(join(root, 'gone.txt'));
  server = createServer((req, res) => {
    // Stands in for serve.ts's security headers, which every static response must keep.
    res.setHeader('x-content-type-options', 'nosniff');
    const app = () => res.writeHead(299).end('app');
    if (!files.serve(req, res, app)) app();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

/** A request sent exactly as written (fetch would normalize `..` away before sending). */
function rawStatus(method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(`${base}${path}`, { method, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('static files', () => {
  it('serves the build’s files for GET, hashed bundles as immutable', async () => {
    const bundle = await fetch(`${base}/_astro/island.abc123.js?v=1`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await bundle.text()).toBe('export {};');
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/svg/);
    expect(icon.headers.get('cache-control')).not.toMatch(/immutable/);
    expect(await (await fetch(`${base}/with%20space.txt`)).text()).toBe('spaced');
    expect((await fetch(`${base}/favicon.svg`, { method: 'HEAD' })).status).toBe(200);
    expect(icon.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('decodes a path once: names with % in them are served as they are', async () => {
    expect(await (await fetch(`${base}/100%25.txt`)).text()).toBe('percent');
    expect(await (await fetch(`${base}/a%2541.txt`)).text()).toBe('literal');
    expect(await (await fetch(`${base}/.well-known/security.txt`)).text()).toBe('Contact: x');
  });

  it('answers a refused range or precondition itself, keeping the response headers', async () => {
    const range = await fetch(`${base}/favicon.svg`, { headers: { range: 'bytes=99999-' } });
    expect(range.status).toBe(416);
    expect(range.headers.get('content-range')).toBe('bytes */6');
    expect(range.headers.get('x-content-type-options')).toBe('nosniff');
    const precondition = await fetch(`${base}/favicon.svg`, { headers: { 'if-match': '"no-such-etag"' } });
    expect(precondition.status).toBe(412);
    expect(precondition.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves everything else to the app: other paths, other methods, escapes, bad encodings, dotfiles, a file gone since start-up', async () => {
    for (const [path, method] of [
      ['/login', 'GET'],
      ['/_astro/', 'GET'],
      ['/favicon.svg', 'POST'],
      ['/_astro/../favicon.svg', 'GET'],
      ['/%E0%A4%A', 'GET'],
      ['/.env', 'GET'],
      ['/gone.txt', 'GET'],
    ] as const) {
      const { status, body } = await rawStatus(method, path);
      expect([path, method, status, body]).toEqual([path, method, 299, 'app']);
    }
  });
});
