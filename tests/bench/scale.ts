/**
 * Bench part c: page latency on large generated organizations (src/cli/seed/large.ts) of each requested size. The
 * built server runs on the generated database — the embedded file, then a copy served by sqld — and each page is
 * requested sequentially (one at a time, after a warm-up) as the user it is for; p50/p95 of the full response time
 * are reported, with how many rows the page is about (team size) so growth can be read against the organization's
 * size.
 *
 * Generated databases are cached in data/bench/ by size and a hash of the generator, the migrations and content/:
 * generation is the slow part, and the pages only read (sessions aside).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { DEMO_PASSWORD } from '../../src/cli/seed/demo';
import { seedLarge } from '../../src/cli/seed/large';
import { createSession, generateSessionToken } from '../../src/lib/server/session';
import { ROOT, startServer } from '../helpers/server';
import { startSqld } from '../helpers/sqld';

export interface ScaleRow {
  learners: number;
  database: ScaleDatabase;
  page: string;
  path: string;
  status: number;
  p50: number;
  p95: number;
  note?: string;
}

const WARMUP = 5;
const SAMPLES = 40;

/** Pages to time: who asks, and where. A page that is not built yet answers 404 and is reported as such. */
const pages: { page: string; email: string; path: string; note?: string }[] = [
  { page: '/team (one team)', email: 'manager1@large.test', path: '/team' },
  { page: 'admin overview', email: 'admin@large.test', path: '/admin/overview' },
  { page: '/learn (one learner)', email: 'rep1@large.test', path: '/learn' },
  { page: '/trainer (whole org)', email: 'trainer@large.test', path: '/trainer' },
  { page: '/trainer (one team)', email: 'trainer@large.test', path: '/trainer?team={team}' },
  { page: 'monthly quality results (one team)', email: 'manager1@large.test', path: '/quality/teams/{team}/results' },
];

function cacheKey(): string {
  const h = createHash('sha256');
  for (const f of ['src/cli/seed/large.ts', 'src/cli/seed/bulk-insert.ts', 'src/features/quiz/quiz.ts'])
    h.update(readFileSync(join(ROOT, f)));
  for (const dir of [
    'db/migrations',
    'content/quizzes',
    'content/modules',
    'content/roleplays',
    'content/tracks',
    'content/scorecards',
    'content/standards',
  ]) {
    for (const f of readdirSync(join(ROOT, dir)).sort())
      if (!f.startsWith('meta')) h.update(f).update(readFileSync(join(ROOT, dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

async function generated(cache: string, learners: number, log: (s: string) => void): Promise<string> {
  const file = join(cache, `large-${learners}-${cacheKey()}.db`);
  if (existsSync(file)) return file;
  for (const old of readdirSync(cache)) if (old.startsWith(`large-${learners}-`)) rmSync(join(cache, old));
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  process.env.DATABASE_URL = `file:${partial}`;
  closeDb();
  await migrateDb();
  const out = await seedLarge({ learners, password: DEMO_PASSWORD, log });
  closeDb();
  log(`  c. generated ${learners} learners (${out.rows.quiz_attempt} attempts) in ${(out.ms / 1000).toFixed(0)} s`);
  renameSync(partial, file);
  // Checkpointed (TRUNCATE) and closed above, so these hold nothing; under the old name they would only confuse.
  for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  return file;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type ScaleDatabase = 'embedded' | 'sqld';

async function timePages(
  url: string,
  cookies: Map<string, string>,
  list: typeof pages,
): Promise<Omit<ScaleRow, 'learners' | 'database'>[]> {
  const rows: Omit<ScaleRow, 'learners' | 'database'>[] = [];
  for (const p of list) {
    const get = async () => {
      const t = performance.now();
      const res = await fetch(url + p.path, { headers: { cookie: cookies.get(p.email)! }, redirect: 'manual' });
      await res.arrayBuffer();
      return { ms: performance.now() - t, status: res.status };
    };
    const first = await get();
    if (first.status !== 200) {
      rows.push({
        page: p.page,
        path: p.path,
        status: first.status,
        p50: NaN,
        p95: NaN,
        note: first.status === 404 ? 'page not built yet' : `answered ${first.status}`,
      });
      continue;
    }
    for (let i = 1; i < WARMUP; i++) await get();
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push((await get()).ms);
    times.sort((a, b) => a - b);
    rows.push({
      page: p.page,
      path: p.path,
      status: 200,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      ...(p.note ? { note: p.note } : {}),
    });
  }
  return rows;
}

/**
 * The app on each database in turn: the embedded file itself, and a copy of it served by a real sqld on this
 * machine (tests/helpers/sqld.ts), the app reaching it over HTTP.
 */
export async function benchScale(opts: {
  dist: string;
  cache: string;
  sizes: number[];
  databases: ScaleDatabase[];
  log: (s: string) => void;
}): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const learners of opts.sizes) {
    const dbFile = await generated(opts.cache, learners, opts.log);
    process.env.DATABASE_URL = `file:${dbFile}`;
    closeDb();
    const cookies = new Map<string, string>();
    for (const { email } of pages) {
      const row = (await getClient().execute({ sql: 'SELECT id FROM user WHERE email = ?', args: [email] })).rows[0]!;
      const token = generateSessionToken();
      await createSession(token, String(row.id));
      cookies.set(email, `session=${token}`);
    }
    const [team] = (
      await getClient().execute(
        `SELECT boss.team_id AS id, (SELECT count(*) FROM membership m WHERE m.team_id = boss.team_id AND m.kind = 'member') AS n
         FROM membership boss JOIN user u ON u.id = boss.user_id WHERE u.email = 'manager1@large.test' AND boss.kind = 'manager'`,
      )
    ).rows;
    closeDb();
    const list = pages.map((p) => ({
      ...p,
      path: p.path.replace('{team}', String(team!.id)),
      ...(p.path.includes('team') ? { note: `team of ${Number(team!.n)}` } : {}),
    }));
    for (const database of opts.databases) {
      opts.log(`  c. ${learners} learners, ${database === 'sqld' ? 'a copy served by sqld' : 'the embedded file'}…`);
      if (database === 'sqld') {
        // sqld gets a copy of the main file only: whatever the embedded run left in the WAL goes into it first.
        const local = createClient({ url: `file:${dbFile}` });
        await local.execute('PRAGMA wal_checkpoint(TRUNCATE)');
        local.close();
      }
      const sqld = database === 'sqld' ? await startSqld({ database: dbFile }) : undefined;
      try {
        if (sqld) {
          // sqld rebuilds its replication log from the copied file when the database is first opened: not timed.
          const t = performance.now();
          const client = createClient({ url: sqld.url });
          await client.execute('SELECT count(*) FROM organization');
          client.close();
          opts.log(`  c. sqld opened the ${learners}-learner copy in ${((performance.now() - t) / 1000).toFixed(0)} s`);
        }
        const app = await startServer({
          dist: opts.dist,
          dbFile,
          ...(sqld ? { env: { DATABASE_URL: sqld.url } } : {}),
        });
        try {
          for (const r of await timePages(app.url, cookies, list)) rows.push({ learners, database, ...r });
        } finally {
          await app.stop();
        }
      } finally {
        await sqld?.stop();
      }
    }
  }
  return rows;
}
