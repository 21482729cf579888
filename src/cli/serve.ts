/**
 * `npm start` runs this after the build (through start.mjs): migrate, seed the demo organization if the database is
 * empty, then serve the built Astro app (the node adapter's handler, in middleware mode) and its static files on
 * HOST/PORT.
 *
 * We own the http.Server so that we can refuse oversized bodies before any of them is read, serve static files
 * without a file-system probe per request (static-files.ts), and shut down gracefully on SIGTERM/SIGINT: stop
 * accepting, let in-flight requests finish, then close the database.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS, closeDb, databaseUrl, migrateDb } from '../../db/client';
import { seedDemoIfEmpty } from '../../db/seed';
import { securityHeaders } from '../lib/server/headers';
import { staticFiles } from './static-files';
import { freezeAndPush } from '../features/exports/lrs-push.server';
import { env } from '../env';

/** Larger than any form or quiz submission we accept; Astro actions apply their own, smaller limit too. */
export const MAX_BODY_BYTES = 256 * 1024;
const SHUTDOWN_GRACE_MS = 10_000;
/** How often the checkpoint thread moves committed WAL pages into the database file. */
const CHECKPOINT_EVERY_MS = 200;

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
  await migrateDb();
  const seeded = await seedDemoIfEmpty();
  if (seeded) {
    console.log('\nSeeded a demo organization. Demo sign-ins:\n');
    for (const row of seeded.logins) console.log(`  ${row.role.padEnd(8)} ${row.email.padEnd(28)} ${row.password}`);
    console.log('');
  }
  console.log(`Database: ${databaseUrl()}`);
  const checkpointer = databaseUrl().startsWith('file:') ? startCheckpointer(databaseUrl()) : undefined;

  const dist = resolve(config.dist);
  // The server bundle imports its packages (argon2, libSQL, …) from node_modules. A build made outside the project
  // (`astro build --outDir /tmp/x`, as the e2e harness allows) has none above it, so point it at the project's.
  const distModules = join(dist, 'node_modules');
  if (!dist.startsWith(process.cwd() + sep) && !existsSync(distModules)) {
    symlinkSync(resolve('node_modules'), distModules, 'dir');
  }
  const entry = pathToFileURL(join(dist, 'server/entry.mjs')).href;
  const { handler } = (await import(entry)) as {
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  };
  const files = staticFiles(join(dist, 'client'));

  const server = createServer((req, res) => {
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
    const app = () => void handler(req, res);
    if (!files.serve(req, res, app)) app();
  });

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
