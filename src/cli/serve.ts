/**
 * `npm start` runs this after the build (through start.mjs): migrate, seed the demo organization if the database is
 * empty, then serve the built Astro app (the node adapter's handler, in middleware mode) and its static files on
 * HOST/PORT.
 *
 * We own the http.Server so that we can refuse oversized bodies before any of them is read, serve static files
 * without a file-system probe per request (static-files.ts), log one JSON line per request with its id
 * (request-log.ts), compress responses whether or not a proxy sits in front, and shut down gracefully on
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close the database.
 *
 * Built into dist/cli/serve.mjs with the app (bundle-cli.mjs), so it serves the build it sits in: dist/ is the
 * folder above this module.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import compression from 'compression';
import { BUSY_TIMEOUT_MS, closeDb, databaseUrl, migrateDb } from '../../db/client';
import { seedDemoIfEmpty } from '../../db/seed';
import { securityHeaders } from '../lib/server/headers';
import { staticFiles } from './static-files';
import { installJsonConsole, logRequest } from './request-log';
import { freezeAndPush } from '../features/exports/lrs-push.server';
import { env } from '../env';

/** Larger than any form or quiz submission we accept; Astro actions apply their own, smaller limit too. */
export const MAX_BODY_BYTES = 256 * 1024;
const SHUTDOWN_GRACE_MS = 10_000;
/** How often the checkpoint thread moves committed WAL pages into the database file. */
const CHECKPOINT_EVERY_MS = 200;
/**
 * How long an idle keep-alive connection stays open: longer than any client keeps one idle before reusing it, so
 * the server never closes a socket that a request is already on its way over. With Node's default (5 s, closed
 * at 6 s), a client honouring the `Keep-Alive: timeout=5` hint reuses a socket idle for up to 4 s; when the server's
 * event loop was busy for the last 2 s of that, the expired idle timer ran before the waiting request was read and
 * the socket was closed under it (ECONNRESET, seen in the fuzz suite on a loaded machine). Caddy keeps idle
 * upstream connections for 2 minutes and ignores the hint, so it met the same race at every lull (a 502).
 * headersTimeout (60 s) and requestTimeout (300 s) stay Node's: they count from a request's first byte, not from the
 * idle time before it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 130_000;
/**
 * Gzip or brotli for compressible types (HTML, CSS, JS, JSON, SVG), unless the body is already encoded or declares
 * a length under 1 KB. Its types are Express's, but it uses only what node:http's request and response have.
 */
const compress = compression({ threshold: 1024 }) as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** See checkpoint-worker.mjs: WAL checkpoints off the request thread, for an embedded database. */
function startCheckpointer(url: string): Worker {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { url, everyMs: CHECKPOINT_EVERY_MS, busyTimeoutMs: BUSY_TIMEOUT_MS },
  });
  worker.on('message', (m: { error: string }) => console.error(`WAL checkpoint failed: ${m.error}`));
  worker.on('error', (e) => console.error('The WAL checkpoint thread stopped (SQLite checkpoints inline from now on):', e));
  return worker;
}

/**
 * Methods the Fetch API's Request refuses to carry (it throws, which was a 500 and a stack trace in the log per
 * request): nothing here answers them.
 */
const FORBIDDEN_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/**
 * Requests answered before any of their body is read: a method we never answer, no length, too long, or an
 * address that does not decode.
 */
function refusalOf(req: IncomingMessage): { status: 400 | 405 | 411 | 413; message: string } | undefined {
  if (FORBIDDEN_METHODS.has(req.method ?? '')) return { status: 405, message: `${req.method} is not supported here.` };
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  if (hasBody && req.headers['transfer-encoding'] && !req.headers['content-length']) {
    return { status: 411, message: 'A Content-Length header is required.' };
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    return { status: 413, message: `Request body too large (limit ${MAX_BODY_BYTES} bytes).` };
  }
  try {
    decodeURI(req.url ?? '/');
  } catch {
    return { status: 400, message: 'Bad request: the address is not valid.' };
  }
  return undefined;
}

export async function serve(): Promise<void> {
  // Configuration first: a sysadmin's mistake stops the start with one message naming every problem.
  const config = env();
  installJsonConsole();
  await migrateDb();
  const seeded = await seedDemoIfEmpty();
  if (seeded) {
    console.log('\nSeeded a demo organization. Demo sign-ins:\n');
    for (const row of seeded.logins) console.log(`  ${row.role.padEnd(8)} ${row.email.padEnd(28)} ${row.password}`);
    console.log('');
  }
  console.log(`Database: ${databaseUrl()}`);
  const checkpointer = databaseUrl().startsWith('file:') ? startCheckpointer(databaseUrl()) : undefined;

  const dist = fileURLToPath(new URL('../', import.meta.url));
  const entry = pathToFileURL(join(dist, 'server/entry.mjs')).href;
  const { handler } = (await import(entry)) as {
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  };
  const files = staticFiles(join(dist, 'client'));

  const server = createServer((req, res) =>
    logRequest(req, res, () => {
      // Defaults for every response, including those that never reach the middleware: static files, the refusals
      // below, Astro's own cross-origin 403. Headers a page sets itself win (writeHead merges over these).
      for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);
      const refusal = refusalOf(req);
      if (refusal) {
        const allow = refusal.status === 405 ? { allow: 'GET, HEAD, POST' } : {};
        res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', ...allow });
        res.end(refusal.message);
        return;
      }
      compress(req, res, () => {
        const app = () => void handler(req, res);
        if (!files.serve(req, res, app)) app();
      });
    }),
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  const { port, host } = config;
  server.listen(port, host, () => console.log(`Frontline Academy listening on http://${host}:${port}`));

  // The LRS outbox, when XAPI_LRS_URL is set: pushed every XAPI_PUSH_INTERVAL seconds (cron can run
  // `npm run xapi:push` instead, with XAPI_PUSH_INTERVAL=0 here).
  const xapi = config.xapi;
  const lrs = xapi.lrs;
  const pushTimer =
    lrs && xapi.pushIntervalMs > 0
      ? setInterval(() => {
          freezeAndPush(lrs).then(
            (report) => {
              if (report.error) console.error(`xAPI push to ${lrs.endpoint} stopped: ${report.error}`);
            },
            (error: unknown) => console.error('xAPI push failed:', error),
          );
        }, xapi.pushIntervalMs)
      : undefined;
  pushTimer?.unref();

  let stopping = false;
  function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    clearInterval(pushTimer);
    console.log(`${signal}: finishing in-flight requests…`);
    server.close(() => {
      void (async () => {
        // threadId is -1 once the thread has ended (a crashed one has nothing to stop).
        if (checkpointer && checkpointer.threadId !== -1) {
          checkpointer.postMessage('stop');
          await once(checkpointer, 'exit');
        }
        closeDb();
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      closeDb();
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
