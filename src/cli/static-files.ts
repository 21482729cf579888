/**
 * The built site's static files (dist/client: hashed /_astro/ bundles, public/ files), served with `send` for
 * GET and HEAD. The set of paths is read once at start-up — a build's files do not change while it is served — so
 * a page or action request costs no file-system probe: the adapter's standalone handler stat'ed the disk for every
 * request, POSTs included, before falling through to the app.
 */
import { readdirSync } from 'node:fs';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import send from 'send';

/** Hashed bundles never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticFiles {
  /**
   * Serves `req` if it asks for one of the files and returns true; returns false when it does not (the app answers
   * it). A listed file that has gone since start-up is left to `fallback` too.
   */
  serve(req: IncomingMessage, res: ServerResponse, fallback: () => void): boolean;
}

export function staticFiles(root: string): StaticFiles {
  const paths = new Set(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => '/' + relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
      // Dotfiles stay private, as with the adapter, except what is published under /.well-known/.
      .filter((path) => path.startsWith('/.well-known/') || !path.includes('/.')),
  );
  return {
    serve(req, res, fallback) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const raw = rawPath(req.url ?? '/');
      const path = decoded(raw);
      if (path === undefined || !paths.has(path)) return false;
      if (path.startsWith('/_astro/')) res.setHeader('Cache-Control', IMMUTABLE);
      // send decodes the path itself, so it gets the path as sent.
      send(req, raw, { root, dotfiles: 'allow' })
        // With a listener, send leaves the response to us instead of clearing its headers (the security headers
        // among them) and writing its own page.
        .on('error', (err: { status?: number; headers?: Record<string, string> }) => {
          const status = err.status ?? 500;
          if (status === 404) return fallback();
          res.removeHeader('Cache-Control');
          res.writeHead(status, { ...err.headers, 'content-type': 'text/plain; charset=utf-8' });
          res.end(STATUS_CODES[status] ?? 'Error');
        })
        .pipe(res);
      return true;
    },
  };
}

/** The path of a request URL as sent, without its query or fragment. */
function rawPath(url: string): string {
  const end = url.search(/[?#]/);
  return end >= 0 ? url.slice(0, end) : url;
}

function decoded(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
