/**
 * Bench part a: quiz submission throughput. The built app (src/cli/start.mjs) on a temp embedded database with a
 * generated organization (history included, so grading and certification read realistic rows), every request a
 * real graded submit of its own open attempt with its own learner's session cookie, posted the way the quiz island
 * posts it. In the same run, the raw baseline (baseline-server.ts) on an identical copy of the database writes the
 * same rows per request. Both are child processes; autocannon drives them from this process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { newId } from '../../src/lib/server/ids';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { DEMO_PASSWORD } from '../../src/cli/seed/demo';
import { seedLarge } from '../../src/cli/seed/large';
import { openAttempts, repQuizzes, SUBMIT_PATH, type PreparedSubmission } from '../helpers/load';
import { startServer } from '../helpers/server';
import { summarizeProfile } from './profile';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU time (user + system) per request, all threads: steadier than req/s on a shared machine. */
  cpuMsPerRequest?: number;
}

export interface SubmitBench {
  ours: LoadResult;
  baseline: LoadResult;
  /** Each server's warm-up drive, before the measured one (not in the ratios). */
  warmup: { ours: LoadResult; baseline: LoadResult };
  /** Submitted attempts found in the app's database afterwards, and how many of them have all their answers. */
  stored: { submitted: number; complete: number };
  learners: number;
  profile?: { dir: string; layers: ReturnType<typeof summarizeProfile> };
}

let ticksPerSecond: number | undefined;

/** A process's CPU time so far (user + system, ms), from /proc (Linux); undefined elsewhere. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export async function drive(
  url: string,
  pid: number | undefined,
  subs: PreparedSubmission[],
  connections: number,
): Promise<LoadResult> {
  const cpuBefore = cpuMsOf(pid);
  let next = 0;
  const run = autocannon({
    url,
    // autocannon refuses more connections than requests (a short warm-up can have fewer).
    connections: Math.min(connections, subs.length),
    amount: subs.length,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: SUBMIT_PATH,
        setupRequest: (req) => {
          const s = subs[next++]!;
          return {
            ...req,
            headers: {
              accept: 'application/json',
              'content-type': s.contentType,
              cookie: `session=${s.token}`,
              origin: url,
            },
            body: s.body,
          };
        },
      },
    ],
  });
  // autocannon reports its duration at its next one-second tick, so short runs would read as whole seconds: time
  // the run from its start to its last response instead.
  const started = performance.now();
  let last = started;
  run.on('response', () => (last = performance.now()));
  const result = await run;
  const cpuAfter = cpuMsOf(pid);
  const ok = result['2xx'];
  const seconds = (last - started) / 1000;
  return {
    requests: result.requests.total,
    seconds,
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ...(cpuBefore !== undefined && cpuAfter !== undefined
      ? { cpuMsPerRequest: (cpuAfter - cpuBefore) / result.requests.total }
      : {}),
  };
}

/**
 * Both servers first take this share of extra submissions, unmeasured, at the same concurrency: the measured run is
 * then the steady state (JIT-compiled code, a WAL in use) for both, and the warm-up's own figures are printed apart.
 * Without it the app's p99 is its first burst: 64 requests at once through code not yet compiled.
 */
const WARMUP_SHARE = 0.1;

/**
 * Writes everything pending out before each server starts: the generated databases and the build. Left in the
 * page cache, hundreds of MB of dirty pages would be flushed by the first fsyncs of the run (ext4 orders an fsync
 * behind other pending data), stalling whichever server ran first for a second or more.
 */
function flushToDisk(): void {
  execFileSync('sync');
}

/** One entry per attempt: the rows the baseline writes, shaped like the app's. */
export function baselineJobs(subs: PreparedSubmission[]): Record<string, unknown> {
  return Object.fromEntries(
    subs.map((s) => [
      s.attemptId,
      {
        userId: s.userId,
        answers: s.expected.answers.map((a) => [
          a.questionId,
          JSON.stringify(a.chosen),
          a.correct ? 1 : 0,
          JSON.stringify(a.standards),
        ]),
        standards: s.expected.answers.flatMap((a) => a.standards.map((st) => [newId(), st, 'quiz', a.correct ? 1 : 0])),
      },
    ]),
  );
}

export async function benchSubmit(opts: {
  dist: string;
  work: string;
  submissions: number;
  connections: number;
  profile?: string;
  log: (s: string) => void;
}): Promise<SubmitBench> {
  const dbFile = join(opts.work, 'submit.db');
  const baseFile = join(opts.work, 'baseline.db');
  process.env.DATABASE_URL = `file:${dbFile}`;
  closeDb();
  await migrateDb();
  const perUser = Math.min(6, (await repQuizzes()).quizzes.length);
  const warmups = Math.ceil(opts.submissions * WARMUP_SHARE);
  const learners = Math.ceil((opts.submissions + warmups) / perUser);
  opts.log(`  a. generating ${learners} learners with history, then ${learners * perUser} open attempts…`);
  await seedLarge({ learners, password: DEMO_PASSWORD, attemptsPerLearner: 20 });
  const ids = (await getClient().execute(`SELECT id FROM user WHERE role = 'learner' ORDER BY id`)).rows.map((r) =>
    String(r.id),
  );
  const all = (await openAttempts(ids, perUser)).slice(0, opts.submissions + warmups);
  const [warm, subs] = [all.slice(0, warmups), all.slice(warmups)];
  await getClient().execute('PRAGMA wal_checkpoint(TRUNCATE)');
  closeDb();
  copyFileSync(dbFile, baseFile);
  flushToDisk();
  const jobsFile = join(opts.work, 'baseline-jobs.json');
  writeFileSync(jobsFile, JSON.stringify(baselineJobs(all)));

  opts.log(
    `  a. raw baseline: ${warm.length} warm-up then ${subs.length} write transactions, ${opts.connections} connections…`,
  );
  const base = await startServer({
    dist: opts.dist,
    dbFile: baseFile,
    script: 'tests/bench/baseline-server.ts',
    env: { BASELINE_DB: baseFile, BASELINE_JOBS: jobsFile },
  });
  const baselineWarmup = await drive(base.url, base.proc.pid, warm, opts.connections);
  const baseline = await drive(base.url, base.proc.pid, subs, opts.connections);
  await base.stop();

  opts.log(
    `  a. the app: ${warm.length} warm-up then ${subs.length} quiz submissions, ${opts.connections} connections…`,
  );
  if (opts.profile) rmSync(opts.profile, { recursive: true, force: true });
  flushToDisk();
  const app = await startServer({
    dist: opts.dist,
    dbFile,
    ...(opts.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] } : {}),
  });
  const oursWarmup = await drive(app.url, app.proc.pid, warm, opts.connections);
  const ours = await drive(app.url, app.proc.pid, subs, opts.connections);
  await app.stop();

  process.env.DATABASE_URL = `file:${dbFile}`;
  closeDb();
  const list = all.map((s) => `'${s.attemptId}'`).join(',');
  const [row] = (
    await getClient().execute(
      `SELECT count(*) AS submitted, sum((SELECT count(*) FROM quiz_answer a WHERE a.attempt_id = q.id) = json_array_length(q.questions)) AS complete
       FROM quiz_attempt q WHERE q.status = 'submitted' AND q.id IN (${list})`,
    )
  ).rows;
  closeDb();
  return {
    ours,
    baseline,
    warmup: { ours: oursWarmup, baseline: baselineWarmup },
    stored: { submitted: Number(row!.submitted), complete: Number(row!.complete) },
    learners,
    ...(opts.profile ? { profile: { dir: opts.profile, layers: summarizeProfile(opts.profile, all.length) } } : {}),
  };
}
