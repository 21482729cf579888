/**
 * The tracks as the assignment rules need them, read from `content/tracks/` on disk.
 *
 * Why not src/lib/server/catalog.ts: `onAccountCreated` also runs from the command line (the demo seed, the large
 * seed) where Astro's content collections do not exist; the built server runs from the project directory, so the
 * same files are there. Read once per process — content changes need a rebuild and restart anyway.
 */
import { join } from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { parseContent, type SourceFile } from '../content/load';
import type { Track } from '../content/schema';

let cached: Promise<Track[]> | undefined;

async function readTracks(dir: string): Promise<Track[]> {
  const names = (await readdir(join(dir, 'tracks'))).filter((n) => n.endsWith('.yaml')).sort();
  const files: SourceFile[] = await Promise.all(
    names.map(async (name) => ({ path: `tracks/${name}`, text: await readFile(join(dir, 'tracks', name), 'utf8') })),
  );
  const content = parseContent(files);
  // A broken track file fails the build and `content:check`; here it is simply not assigned.
  return [...content.tracks.values()].flatMap((e) => (e.data ? [e.data] : []));
}

/** Every valid track under `content/` (relative to the working directory). */
export function loadTracks(dir = 'content'): Promise<Track[]> {
  cached ??= readTracks(dir).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
