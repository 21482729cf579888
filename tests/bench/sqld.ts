/**
 * Bench part e: quiz submission against a real libSQL server (sqld, tests/helpers/sqld.ts), same run, same server,
 * same database: the raw @libsql/client baseline (baseline-server.ts with BASELINE_URL), the app with one process,
 * and the app with two (WEB_CONCURRENCY=2). Each drive submits its own share of distinct open attempts, after an
 * unmeasured warm-up of its own. The organization is generated into a local file and moved over with db:move's
 * code (generation over HTTP would be the slow part).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { moveDatabase } from '../../db/move';
import { DEMO_PASSWORD } from '../../src/cli/seed/demo';
import { seedLarge } from '../../src/cli/seed/large';
import { openAttempts, repQuizzes, storedAttempts, type PreparedSubmission } from '../helpers/load';
import { startServer } from '../helpers/server';
import { startSqld } from '../helpers/sqld';
import { baselineJobs, drive, type LoadResult } from './submit';

export interface SqldBench {
  baseline: LoadResult;
  one: LoadResult;
  two: LoadResult;
  perDrive: number;
  connections: number;
  /** App attempts (both drives, warm-ups included) found submitted afterwards, of those posted. */
  stored: { posted: number; submitted: number };
}

export async function benchSqld(opts: {
  dist: string;
  work: string;
  submissions: number;
  connections: number;
  log: (s: string) => void;
}): Promise<SqldBench> {
  const sqld = await startSqld();
  const dir = mkdtempSync(join(opts.work, 'sqld-'));
  try {
    const file = `file:${join(dir, 'org.db')}`;
    process.env.DATABASE_URL = file;
    closeDb();
    await migrateDb();
    const perUser = Math.min(6, (await repQuizzes()).quizzes.length);
    const warm = Math.max(20, Math.ceil(opts.submissions * 0.1));
    const total = 3 * (opts.submissions + warm);
    const learners = Math.ceil(total / perUser);
    opts.log(`  e. generating ${learners} learners with history and ${total} open attempts, moving them to sqld…`);
    await seedLarge({ learners, password: DEMO_PASSWORD, attemptsPerLearner: 20 });
    const ids = (await getClient().execute(`SELECT id FROM user WHERE role = 'learner' ORDER BY id`)).rows.map((r) =>
      String(r.id),
    );
    const all = (await openAttempts(ids, perUser)).slice(0, total);
    closeDb();
    await moveDatabase(file, sqld.url);
    const share = (i: number): [PreparedSubmission[], PreparedSubmission[]] => {
      const part = all.slice(i * (opts.submissions + warm), (i + 1) * (opts.submissions + warm));
      return [part.slice(0, warm), part.slice(warm)];
    };
    const jobsFile = join(dir, 'baseline-jobs.json');
    writeFileSync(jobsFile, JSON.stringify(baselineJobs(all)));

    const run = async (name: string, i: number, start: () => ReturnType<typeof startServer>) => {
      opts.log(`  e. ${name}: ${warm} warm-up then ${opts.submissions} submissions, ${opts.connections} connections…`);
      const server = await start();
      try {
        const [w, subs] = share(i);
        await drive(server.url, undefined, w, opts.connections);
        return await drive(server.url, undefined, subs, opts.connections);
      } finally {
        await server.stop();
      }
    };
    const env = { DATABASE_URL: sqld.url };
    const baseline = await run('raw @libsql/client baseline', 0, () =>
      startServer({
        dist: opts.dist,
        dbFile: 'unused',
        script: 'tests/bench/baseline-server.ts',
        env: { BASELINE_URL: sqld.url, BASELINE_JOBS: jobsFile },
      }),
    );
    const one = await run('the app, one process', 1, () => startServer({ dist: opts.dist, dbFile: 'unused', env }));
    const two = await run('the app, two processes', 2, () =>
      startServer({ dist: opts.dist, dbFile: 'unused', env: { ...env, WEB_CONCURRENCY: '2' } }),
    );

    process.env.DATABASE_URL = sqld.url;
    closeDb();
    const appSubs = all.slice(opts.submissions + warm);
    const stored = await storedAttempts(appSubs.map((s) => s.attemptId));
    closeDb();
    const submitted = [...stored.values()].filter((s) => s.status === 'submitted').length;
    return {
      baseline,
      one,
      two,
      perDrive: opts.submissions,
      connections: opts.connections,
      stored: { posted: appSubs.length, submitted },
    };
  } finally {
    closeDb();
    await sqld.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
