/**
 * The production server wrapper (src/cli/serve.ts) as a monitor, a proxy and an operator meet it: /healthz,
 * compression, one JSON log line per request with its id, and idle keep-alive connections that outlive the
 * client's reuse of them. Raw node:http and node:net clients, so that what is on the wire is what is checked
 * (Playwright's request context would negotiate and decompress by itself).
 */
import { mkdtempSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Database from 'libsql';
import { expect, test } from '@playwright/test';
import { builtDist, startServer } from '../helpers/server';

const base = `http://127.0.0.1:${process.env.E2E_PORT ?? 4391}`;

function fetchRaw(path: string, headers: Record<string, string> = {}, origin = base) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
    get(`${origin}${path}`, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });
}

test('/healthz answers 200 JSON without a session, and is never cached', async () => {
  const res = await fetchRaw('/healthz');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(res.body.toString())).toEqual({ status: 'ok' });
});

test('pages, scripts and styles are compressed for clients that accept it, tiny bodies are not', async () => {
  const plain = await fetchRaw('/login');
  expect(plain.headers['content-encoding']).toBeUndefined();
  const br = await fetchRaw('/login', { 'accept-encoding': 'gzip, br' });
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['vary']).toMatch(/accept-encoding/i);
  expect(br.body.length).toBeLessThan(plain.body.length);
  expect(brotliDecompressSync(br.body).toString()).toContain('<form');
  const gz = await fetchRaw('/login', { 'accept-encoding': 'gzip' });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.body).toString()).toContain('<form');

  const html = plain.body.toString();
  const assets = [...html.matchAll(/(?:src|href)="(\/_astro\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    const raw = await fetchRaw(asset);
    const packed = await fetchRaw(asset, { 'accept-encoding': 'gzip' });
    if (raw.body.length < 1024) expect(packed.headers['content-encoding'], asset).toBeUndefined();
    else expect(gunzipSync(packed.body).equals(raw.body), asset).toBe(true);
  }
  // A few bytes of JSON (of a declared length) gain nothing from compression.
  expect((await fetchRaw('/healthz', { 'accept-encoding': 'gzip, br' })).headers['content-encoding']).toBeUndefined();
});

test('an idle keep-alive connection is still served after the 6 s at which Node closes it by default', async () => {
  const socket = connect(Number(new URL(base).port), '127.0.0.1');
  let received = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  const ask = () => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  ask();
  await expect.poll(() => received).toContain('"status":"ok"');
  // The hint clients that honour it (Node's agent, browsers) close their end by: longer than Caddy's 2 minutes.
  expect(Number(/keep-alive: timeout=(\d+)/i.exec(received)?.[1])).toBeGreaterThan(120);
  received = '';
  await new Promise((ok) => setTimeout(ok, 7_500));
  expect(closed).toBe(false);
  ask();
  await expect.poll(() => received).toContain('"status":"ok"');
  socket.destroy();
});

test.describe('with a server of its own', () => {
  test('logs one JSON line per request with its id, sent back as X-Request-Id; an error carries the id; /healthz is 503 when the database fails', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'fa-server-')), 'app.db');
    const server = await startServer({ dist: builtDist(), dbFile });
    try {
      const first = await fetchRaw('/login?next=/learn', {}, server.url);
      const second = await fetchRaw('/no-such-page', {}, server.url);
      const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
      expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(ids[1]).not.toBe(ids[0]);

      const lines = () =>
        server
          .output()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      await expect.poll(() => lines().filter((l) => l.msg === 'request').length).toBe(2);
      const [a, b] = lines().filter((l) => l.msg === 'request');
      // The query string may carry tokens: it stays out of the log.
      expect(a).toMatchObject({ level: 'info', method: 'GET', path: '/login', status: 200, requestId: ids[0] });
      expect(b).toMatchObject({ method: 'GET', path: '/no-such-page', status: 404, requestId: ids[1] });
      expect(typeof a!.ms).toBe('number');

      // Break the database under the running server: the check fails, and says so in a line with the request's id.
      const db = new Database(dbFile);
      db.exec('DROP TABLE __drizzle_migrations');
      db.close();
      const down = await fetchRaw('/healthz', {}, server.url);
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body.toString())).toEqual({ status: 'unavailable' });
      const id = down.headers['x-request-id'];
      await expect
        .poll(() =>
          lines()
            .filter((l) => l.requestId === id)
            .map((l) => l.level),
        )
        .toEqual(['error', 'error']);
      expect(lines().find((l) => l.requestId === id && l.msg !== 'request')!.msg).toMatch(
        /healthz: the database did not answer/,
      );
    } finally {
      await server.stop();
    }
  });
});
