/**
 * The built site's static files (dist/client: hashed /_astro/ bundles, public/ files), served with `send` for
 * GET and HEAD. The set of paths is read once at start-up — a build's files do not change while it is served — so
 * a page or action request costs no file-system probe: the adapter's standalone handler stat'ed the disk for every
 * request, POSTs included, before falling through to the app.
 */
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import send from 'send';

/** Hashed bundles never change under their name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticFiles {
  /** Serves `req` if it asks for one of the files; false when it does not (the app answers it). */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

export function staticFiles(root: string): StaticFiles {
  const paths = new Set(
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => '/' + relative(root, join(e.parentPath, e.name)).split(sep).join('/')),
  );
  return {
    serve(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const path = pathOf(req.url ?? '/');
      if (path === undefined || !paths.has(path)) return false;
      if (path.startsWith('/_astro/')) res.setHeader('Cache-Control', IMMUTABLE);
      send(req, path, { root, dotfiles: 'allow' }).pipe(res);
      return true;
    },
  };
}

/** The decoded path of a request URL, without its query; undefined when it cannot be decoded. */
function pathOf(url: string): string | undefined {
  const end = url.search(/[?#]/);
  try {
    return decodeURIComponent(end >= 0 ? url.slice(0, end) : url);
  } catch {
    return undefined;
  }
}
