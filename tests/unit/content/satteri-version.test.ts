/**
 * The content checker (src/features/content/mdx.ts) parses lessons with our own `satteri`; the build compiles them
 * with the one @astrojs/markdown-satteri resolves. Both must be the same copy, or a routine update would let the
 * checker accept a lesson the build refuses (or the other way round).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
/** The directory of the copy of `name` that `from` (a package.json path) resolves, and its version. */
function resolved(name: string, from: string): { dir: string; version: string } {
  const entry = createRequire(from).resolve(name);
  const manifest = (dir: string) => join(dir, 'package.json');
  let dir = dirname(entry);
  while (!existsSync(manifest(dir)) || JSON.parse(readFileSync(manifest(dir), 'utf8')).name !== name) dir = dirname(dir);
  return { dir, version: JSON.parse(readFileSync(manifest(dir), 'utf8')).version };
}

describe('satteri', () => {
  it('is the same copy for the content checker and for Astro’s MDX', () => {
    const ours = resolved('satteri', require.resolve('../../../package.json'));
    // Its package.json is not exported: start from its entry point.
    const astros = resolved('satteri', require.resolve('@astrojs/markdown-satteri'));
    expect(astros).toEqual(ours);
  });
});
