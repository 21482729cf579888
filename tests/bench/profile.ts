/**
 * Where the app's time goes during the submission bench (`npm run bench -- --only a --profile`): the V8 CPU
 * profile of the server process, self time grouped by layer, per request. libSQL calls are synchronous, so time
 * spent waiting on the disk (COMMIT's fsync) shows up as `run` on the main thread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const layers: [string, (fn: string, url: string) => boolean][] = [
  [
    'SQLite statements (libSQL run: execution, COMMIT fsync)',
    (fn, url) => /libsql\/index\.js/.test(url) && fn === 'run',
  ],
  ['SQLite prepare and row reading (libSQL)', (_fn, url) => /libsql\/index\.js/.test(url)],
  ['@libsql/client', (_fn, url) => /@libsql\/client/.test(url)],
  ['drizzle-orm (query building, result mapping)', (_fn, url) => /drizzle-orm/.test(url)],
  ['Astro node adapter', (_fn, url) => /dist\/server\/entry\.mjs$/.test(url)],
  [
    'Astro runtime (routing, actions, rendering)',
    (_fn, url) => /dist\/server\/chunks\/(server_|virtual_astro|_@astrojs|astro)/.test(url),
  ],
  ['app code and content store', (_fn, url) => /dist\/server\/chunks/.test(url)],
  ['zod', (_fn, url) => /zod/.test(url)],
  ['module loading (start-up)', (_fn, url) => /tsx\/dist|node:internal\/modules|esm\//.test(url)],
  ['garbage collection', (fn) => fn === '(garbage collector)'],
  ['idle', (fn) => fn === '(idle)' || fn === '(program)'],
  ['Node core (http, streams, crypto, fs)', () => true],
];

/** Per-layer milliseconds per request, largest first. */
export function summarizeProfile(
  dir: string,
  requests: number,
): { layer: string; share: number; msPerRequest: number }[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return [];
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const total = p.timeDeltas.reduce((a, b) => a + b, 0);
  const byLayer = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const layer = layers.find(([, test]) => test(frame.functionName, frame.url))![0];
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + p.timeDeltas[i]!);
  });
  return [...byLayer]
    .sort((a, b) => b[1] - a[1])
    .map(([layer, us]) => ({ layer, share: us / total, msPerRequest: us / 1000 / requests }));
}
