/**
 * `npm start` runs this after the build (through start.mjs): migrate, seed the demo organization if the database is
 * empty and the demo is wanted (see prepareDatabase), then serve the built Astro app (the node adapter's handler, in
 * middleware mode) and its static files on HOST/PORT.
 *
 * With WEB_CONCURRENCY=N (N > 1, a libSQL server: see workers.ts), `start()` is a node:cluster primary instead: it
 * migrates and seeds once, then runs N workers that share the port, and replaces a worker that dies. What a worker
 * keeps in memory stays correct beside the others: the catalog comes from the build (the same in every process),
 * sign-in throttles, site secrets and content versions live in the database (written race-free), the badge key file
 * is created exclusively (or comes from BADGE_SIGNING_KEY), and group commit orders writes within a process while
 * the server's lock orders the processes. One worker, the leader, also runs the xAPI push timer, so statements are
 * not pushed twice. The per-person write limit is per process (src/lib/server/write-limit.ts).
 *
 * We own the http.Server so that we can refuse oversized bodies before any of them is read, serve static files
 * without a file-system probe per request (static-files.ts), log one JSON line per request with its id
 * (request-log.ts), compress responses whether or not a proxy sits in front, and shut down gracefully on
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close the database.
 *
 * Built into dist/cli/serve.mjs with the app (bundle-cli.mjs), so it serves the build it sits in: dist/ is the
 * folder above this module.
 */
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import compression from 'compression';
import { BUSY_TIMEOUT_MS, closeDb, databaseUrl, isEmbeddedUrl, migrateDb } from '../../db/client';
import { isEmptyDatabase, seedDemoIfEmpty } from './seed/demo';
import { securityHeaders } from '../lib/server/headers';
import { staticFiles } from './static-files';
import { installJsonConsole, logRequest } from './request-log';
import { freezeAndPush } from '../features/exports/lrs-push.server';
import { env } from '../env';
import { planWorkers } from './workers';

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
const compress = compression({ threshold: 1024 }) as unknown as (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;

/** See checkpoint-worker.mjs: WAL checkpoints off the request thread, for an embedded database. */
function startCheckpointer(url: string): Worker {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
    workerData: { url, everyMs: CHECKPOINT_EVERY_MS, busyTimeoutMs: BUSY_TIMEOUT_MS },
  });
  worker.on('message', (m: { error: string }) => console.error(`WAL checkpoint failed: ${m.error}`));
  worker.on('error', (e) =>
    console.error('The WAL checkpoint thread stopped (SQLite checkpoints inline from now on):', e),
  );
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

/**
 * Migrations, then the demo into an empty database when configured (env().demo: never in production unless
 * FRONTLINE_DEMO=1, since its accounts share a published password). An empty production database says how to make
 * the first admin instead.
 */
export async function prepareDatabase(): Promise<void> {
  await migrateDb();
  if (env().demo) {
    const seeded = await seedDemoIfEmpty();
    if (seeded) {
      console.log('\nSeeded a demo organization. Demo sign-ins:\n');
      for (const row of seeded.logins) console.log(`  ${row.role.padEnd(8)} ${row.email.padEnd(28)} ${row.password}`);
      console.log('');
    }
  } else if (await isEmptyDatabase()) {
    console.log(
      'The database has no accounts yet. Make the first admin: ' +
        'npm run admin:create -- --email you@example.com --name "Your Name" --organization "Your company"',
    );
  }
  console.log(`Database: ${databaseUrl()}`);
}

/** Within this window, more than three deaths per worker stop the cluster instead of restarting again. */
const RESTART_WINDOW_MS = 60_000;

/** Set by the primary on the one worker that runs the once-per-site timers. */
const LEADER_ENV = 'FRONTLINE_CLUSTER_LEADER';

/** `npm start`: one serving process, or a cluster primary (WEB_CONCURRENCY > 1 on a libSQL server). */
export async function start(): Promise<void> {
  // Configuration first: a sysadmin's mistake stops the start with one message naming every problem.
  env();
  installJsonConsole();
  if (cluster.isWorker) return serve({ prepared: true, leader: process.env[LEADER_ENV] === '1' });
  const plan = planWorkers(env().webConcurrency, databaseUrl());
  if (plan.note) console.log(plan.note);
  if (plan.count === 1) return serve({ prepared: false, leader: true });
  await prepareDatabase();
  closeDb();
  runWorkers(plan.count);
}

function runWorkers(count: number): void {
  console.log(`Starting ${count} app processes.`);
  let stopping = false;
  const deaths: number[] = [];
  const fork = (leader: boolean): ClusterWorker => {
    const worker = cluster.fork({ [LEADER_ENV]: leader ? '1' : '0' });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      // Workers that keep dying (bad configuration, a database that refuses them) are not restarted for ever.
      const t = Date.now();
      deaths.push(t);
      while (deaths[0]! < t - RESTART_WINDOW_MS) deaths.shift();
      if (deaths.length > count * 3) {
        console.error(`App processes ended ${deaths.length} times within ${RESTART_WINDOW_MS / 1000} s; stopping.`);
        shutdown('SIGTERM', 1);
        return;
      }
      // A worker that dies is replaced, with its role: requests it was serving fail, acknowledged writes stay.
      console.error(`App process ${worker.process.pid} ended (${signal ?? code}); starting another.`);
      fork(leader);
    });
    return worker;
  };
  function shutdown(signal: NodeJS.Signals, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is ClusterWorker => w !== undefined && !w.isDead(),
    );
    console.log(`${signal}: stopping ${workers.length} app processes…`);
    void Promise.all(workers.map((w) => (w.process.kill(signal), once(w, 'exit')))).then(() => process.exit(exitCode));
  }
  for (let i = 0; i < count; i++) fork(i === 0);
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export async function serve({ prepared, leader }: { prepared: boolean; leader: boolean }): Promise<void> {
  const config = env();
  if (!prepared) await prepareDatabase();
  const checkpointer = leader && isEmbeddedUrl(databaseUrl()) ? startCheckpointer(databaseUrl()) : undefined;

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
  // A cluster worker names its process, so an operator (or the reliability test) can tell the workers apart.
  const who = cluster.isWorker ? ` (app process ${process.pid})` : '';
  server.listen(port, host, () => console.log(`Frontline Academy listening on http://${host}:${port}${who}`));

  // The LRS outbox, when XAPI_LRS_URL is set: pushed every XAPI_PUSH_INTERVAL seconds (cron can run
  // `npm run xapi:push` instead, with XAPI_PUSH_INTERVAL=0 here).
  const xapi = config.xapi;
  const lrs = xapi.lrs;
  const pushTimer =
    leader && lrs && xapi.pushIntervalMs > 0
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
