/**
 * What the app serves, read from the source tree: the Astro route pattern of every file under src/pages, the
 * patterns whose files handle a request body (POST), and the name of every action spread into `server` by
 * src/actions/index.ts. Specs that must cover everything (the authorization matrix, the fuzzing) check their
 * tables against these, so a new route or action without an entry fails them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const pagesDir = join(process.cwd(), 'src', 'pages');
const actionsDir = join(process.cwd(), 'src', 'actions');

function routeFiles(dir = pagesDir): { pattern: string; file: string }[] {
  return readdirSync(dir).flatMap((name) => {
    // Names starting with _ are not routes; of the dot folders Astro routes only .well-known.
    if (name.startsWith('_') || (name.startsWith('.') && name !== '.well-known')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    const match = /^(.*)\.(astro|md|mdx|html|ts|js)$/.exec(name);
    if (!match) return [];
    const segments = relative(pagesDir, join(dir, match[1]!)).split(sep);
    if (segments.at(-1) === 'index') segments.pop();
    return [{ pattern: '/' + segments.join('/'), file: path }];
  });
}

export function routePatterns(): string[] {
  return routeFiles().map((r) => r.pattern);
}

/** Pages that read a POST in their frontmatter and endpoints that export POST. */
export function postRoutes(): string[] {
  return routeFiles()
    .filter(({ file }) =>
      /request\.method === 'POST'|export (const|async function) POST\b/.test(readFileSync(file, 'utf8')),
    )
    .map((r) => r.pattern);
}

/** `<domain>.<name>` for every defineAction in the files src/actions/index.ts imports. */
export function actionNames(): string[] {
  const index = readFileSync(join(actionsDir, 'index.ts'), 'utf8');
  const files = [...index.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => m[1]!);
  return files.flatMap((file) => {
    const names: string[] = [];
    let domain = '';
    for (const line of readFileSync(join(actionsDir, `${file}.ts`), 'utf8').split('\n')) {
      const d = /^ {2}(\w+): \{\s*$/.exec(line);
      if (d) domain = d[1]!;
      const a = /^ {4}(\w+): defineAction\(/.exec(line);
      if (a) names.push(`${domain}.${a[1]}`);
    }
    return names;
  });
}
