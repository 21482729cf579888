/**
 * The server's log: one JSON object per line on stdout/stderr, for journald or any log shipper.
 *
 * Each request gets an id (a random UUID, sent back as `X-Request-Id` so a person can quote it) and, when its
 * response has been sent or the client went away, one line: method, path (without the query string, which may
 * carry tokens), status, duration in ms and the id. Anything the app prints while handling a request (Astro's
 * error reports included) goes through `console`, which this module replaces: those lines carry the same id, so an
 * error can be matched to its request (the app reads the id from the request's `x-request-id` header, and the 500
 * page shows it to the person, to quote to support). Lines printed outside any request (start-up, shutdown) have no id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { format } from 'node:util';

type Level = 'info' | 'warn' | 'error';

const requestIds = new AsyncLocalStorage<string>();

function writeLine(level: Level, fields: Record<string, unknown>): void {
  const requestId = requestIds.getStore();
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    ...fields,
    ...(requestId ? { requestId } : {}),
  });
  (level === 'info' ? process.stdout : process.stderr).write(line + '\n');
}

/** Routes console.log/info/warn/error/debug through the JSON log (once per process). */
export function installJsonConsole(): void {
  const to =
    (level: Level) =>
    (...args: unknown[]) =>
      writeLine(level, { msg: format(...args) });
  console.log = console.info = console.debug = to('info');
  console.warn = to('warn');
  console.error = to('error');
}

/**
 * Runs `next` for this request inside its id's context, sets `X-Request-Id`, and logs the request's line once the
 * response is finished (or the connection closed before it was).
 */
/** Paths whose last segment is a secret (a reset, invite or unsubscribe link): logged without it. */
const SECRET_PATHS = /^\/(reset-password|invite|unsubscribe)\/[^/?]+/;

/** The path as logged: no query string, and no token a log reader could use. */
export function loggedPath(url: string): string {
  return url.split('?')[0]!.replace(SECRET_PATHS, '/$1/[redacted]');
}

export function logRequest(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  res.setHeader('X-Request-Id', requestId);
  // The app sees the same id (the 500 page shows it); one a client sent is replaced, never trusted.
  req.headers['x-request-id'] = requestId;
  let logged = false;
  const done = () => {
    if (logged) return;
    logged = true;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = {
      msg: 'request',
      method: req.method,
      path: loggedPath(req.url ?? '/'),
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    requestIds.run(requestId, () => writeLine(res.statusCode >= 500 ? 'error' : 'info', line));
  };
  res.once('finish', done);
  res.once('close', done);
  requestIds.run(requestId, next);
}
