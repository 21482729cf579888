/**
 * `npm run bench [-- options]`: builds the app into data/bench/dist (timed: part d), then measures
 *   a. quiz submission throughput against the built server, with a raw libSQL baseline in the same run;
 *   b. page weight (gzip JS and total transfer) of a lesson, a quiz, a role-play and the team dashboard;
 *   c. scale: p95 of /team, the admin overview, /learn, /trainer and a team's monthly quality results on generated
 *      organizations of 1,000 and 10,000 learners, on the embedded file and on a copy served by sqld;
 *   d. build and content:check time, for the real content and with 100 generated modules,
 *   e. quiz submission on a real libSQL server (sqld): the raw @libsql/client baseline, the app with one and with
 *      two processes, same server, same run,
 * and prints one table. Figures only: nothing here passes or fails on timing.
 *
 * Options: --only a,b,c,d,e   --submissions N (default 6000)   --connections N (64)   --learners 1000,10000
 *          (the 100,000-learner organization: --learners 10000,100000; generated once, then cached)
 *          --scale-on embedded,sqld (the databases part c serves the pages from; default both)
 *          --sqld-submissions N (default 600 per drive)
 *          --no-build (reuse data/bench/dist)   --profile (CPU profile of the app during part a)
 * Generated organizations are cached in data/bench/ (keyed by size, generator and content), so later runs skip
 * the generation; delete data/bench/ to start over.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/server';
import { benchBuild, buildApp, type BuildBench } from './build';
import { benchScale, type ScaleDatabase, type ScaleRow } from './scale';
import { benchSqld, type SqldBench } from './sqld';
import { benchSubmit, type SubmitBench } from './submit';
import { printTable } from './table';
import { benchWeight, type WeightRow } from './weight';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = new Set((option('only') ?? 'a,b,c,d,e').split(','));
const sqldSubmissions = Number(option('sqld-submissions') ?? 600);
const submissions = Number(option('submissions') ?? 6000);
const connections = Number(option('connections') ?? 64);
const sizes = (option('learners') ?? '1000,10000').split(',').map(Number);
const scaleOn = (option('scale-on') ?? 'embedded,sqld').split(',') as ScaleDatabase[];
const out = join(ROOT, 'data/bench');
const dist = join(out, 'dist');
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'fa-bench-'));
const log = (s: string) => console.log(s);

const started = Date.now();
let build: BuildBench | undefined;
if (process.argv.includes('--no-build') && existsSync(join(dist, 'server/entry.mjs'))) {
  log(`Using the existing build in ${dist}.`);
} else {
  log('Building the app (timed)…');
  build = { real: await buildApp(ROOT, dist) };
}

let submit: SubmitBench | undefined;
let weight: WeightRow[] | undefined;
let scale: ScaleRow[] | undefined;
let sqld: SqldBench | undefined;
try {
  if (only.has('a')) {
    log('a. Quiz submission throughput');
    submit = await benchSubmit({
      dist,
      work,
      submissions,
      connections,
      ...(process.argv.includes('--profile') ? { profile: join(out, 'profile') } : {}),
      log,
    });
  }
  if (only.has('b')) {
    log('b. Page weight');
    weight = await benchWeight({ dist, work, log });
  }
  if (only.has('c')) {
    log('c. Scale');
    scale = await benchScale({ dist, cache: out, sizes, databases: scaleOn, log });
  }
  if (only.has('d')) {
    log('d. Build and content check time');
    build = await benchBuild({ work, real: build?.real, log });
  }
  if (only.has('e')) {
    log('e. Quiz submission on a libSQL server (sqld)');
    sqld = await benchSqld({ dist, work, submissions: sqldSubmissions, connections, log });
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}

printTable({ submit, weight, scale, build, sqld, connections, seconds: (Date.now() - started) / 1000 });
