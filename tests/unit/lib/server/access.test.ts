import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roles } from '../../../../db/schema';
import { decideAccess, isAllowed, routeAccess } from '~/lib/server/access';

const pagesDir = join(process.cwd(), 'src', 'pages');

/** Astro's route pattern for each file under src/pages (files and folders starting with _ are not routes). */
function routePatterns(dir = pagesDir): string[] {
  const patterns: string[] = [];
  for (const name of readdirSync(dir)) {
    // Astro skips dot folders too, except .well-known (RFC 8615), which it routes.
    if (name.startsWith('_') || (name.startsWith('.') && name !== '.well-known')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      patterns.push(...routePatterns(path));
      continue;
    }
    const match = /^(.*)\.(astro|md|mdx|html|ts|js)$/.exec(name);
    if (!match) continue;
    const segments = relative(pagesDir, join(dir, match[1]!)).split(sep);
    if (segments.at(-1) === 'index') segments.pop();
    patterns.push('/' + segments.join('/'));
  }
  return patterns;
}

describe('route access table', () => {
  const patterns = routePatterns();

  it('finds the pages (sanity check of the walker)', () => {
    expect(patterns).toEqual(expect.arrayContaining(['/', '/login', '/invite/[token]', '/admin/users/[id]']));
  });

  it('has an entry for every page and endpoint under src/pages', () => {
    const missing = patterns.filter((p) => !(p in routeAccess));
    expect(missing, 'add these to routeAccess in src/lib/server/access.ts').toEqual([]);
  });

  it('has no entry without a page (stale entries hide mistakes)', () => {
    const stale = Object.keys(routeAccess).filter((p) => !patterns.includes(p));
    expect(stale).toEqual([]);
  });

  it('keeps admin pages for admins and staff pages for staff', () => {
    for (const [pattern, access] of Object.entries(routeAccess)) {
      if (pattern.startsWith('/admin')) expect(access, pattern).toEqual(['admin']);
    }
    expect(routeAccess['/team/invites']).toEqual(['admin', 'manager']);
    expect(routeAccess['/account']).toBe('signed-in');
    // Monitors and load balancers have no session.
    expect(routeAccess['/healthz']).toBe('public');
  });
});

describe('isAllowed / decideAccess', () => {
  it('public lets everyone in, signed in or not', () => {
    expect(isAllowed('public', undefined)).toBe(true);
    for (const role of roles) expect(isAllowed('public', role)).toBe(true);
  });

  it('signed-in lets in every role but nobody signed out', () => {
    expect(isAllowed('signed-in', undefined)).toBe(false);
    for (const role of roles) expect(isAllowed('signed-in', role)).toBe(true);
  });

  it('a role list lets in exactly those roles', () => {
    for (const role of roles)
      expect(isAllowed(['admin', 'manager'], role)).toBe(role === 'admin' || role === 'manager');
    expect(isAllowed(['admin'], undefined)).toBe(false);
  });

  it('sends the signed-out to sign in, the wrong role to 403, and unknown routes to 404', () => {
    expect(decideAccess(['admin'], undefined)).toBe('sign-in');
    expect(decideAccess(['admin'], 'learner')).toBe('forbidden');
    expect(decideAccess(['admin'], 'admin')).toBe('allow');
    expect(decideAccess(undefined, 'admin')).toBe('unknown');
    expect(decideAccess(undefined, undefined)).toBe('unknown');
  });
});
