/**
 * Bench part c: page latency on large generated organizations (src/cli/seed/large.ts) of each requested size. The
 * built server runs on the generated database; each page is requested sequentially (one at a time, after a
 * warm-up) as the user it is for, and p50/p95 of the full response time are reported, with how many rows the
 * page is about (team size) so growth can be read against the organization's size.
 *
 * Generated databases are cached in data/bench/ by size and a hash of the generator, the migrations and content/:
 * generation is the slow part, and the pages only read (sessions aside).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeDb, getClient, migrateDb } from '../../db/client';
import { DEMO_PASSWORD } from '../../src/cli/seed/demo';
import { seedLarge } from '../../src/cli/seed/large';
import { createSession, generateSessionToken } from '../../src/lib/server/session';
import { ROOT, startServer } from '../helpers/server';

export interface ScaleRow {
  learners: number;
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
const pages = [
  { page: '/team (one team)', email: 'manager1@large.test', path: '/team' },
  { page: 'admin overview', email: 'admin@large.test', path: '/admin/overview' },
  { page: '/learn (one learner)', email: 'rep1@large.test', path: '/learn' },
  { page: '/trainer (whole org)', email: 'trainer@large.test', path: '/trainer' },
];

function cacheKey(): string {
  const h = createHash('sha256');
  for (const f of ['src/cli/seed/large.ts', 'src/cli/seed/bulk-insert.ts', 'src/features/quiz/quiz.ts']) h.update(readFileSync(join(ROOT, f)));
  for (const dir of ['db/migrations', 'content/quizzes', 'content/modules', 'content/roleplays', 'content/tracks']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) if (!f.startsWith('meta')) h.update(f).update(readFileSync(join(ROOT, dir, f)));
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

export async function benchScale(opts: { dist: string; cache: string; sizes: number[]; log: (s: string) => void }): Promise<ScaleRow[]> {
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
        `SELECT count(*) AS n FROM membership m JOIN membership boss ON boss.team_id = m.team_id AND boss.kind = 'manager'
         JOIN user u ON u.id = boss.user_id WHERE u.email = 'manager1@large.test' AND m.kind = 'member'`,
      )
    ).rows;
    closeDb();
    const app = await startServer({ dist: opts.dist, dbFile });
    try {
      for (const p of pages) {
        const get = async () => {
          const t = performance.now();
          const res = await fetch(app.url + p.path, { headers: { cookie: cookies.get(p.email)! }, redirect: 'manual' });
          await res.arrayBuffer();
          return { ms: performance.now() - t, status: res.status };
        };
        const first = await get();
        if (first.status !== 200) {
          rows.push({ learners, page: p.page, path: p.path, status: first.status, p50: NaN, p95: NaN, note: first.status === 404 ? 'page not built yet' : `answered ${first.status}` });
          continue;
        }
        for (let i = 1; i < WARMUP; i++) await get();
        const times: number[] = [];
        for (let i = 0; i < SAMPLES; i++) times.push((await get()).ms);
        times.sort((a, b) => a - b);
        const note = p.path === '/team' ? `team of ${Number(team!.n)}` : undefined;
        rows.push({ learners, page: p.page, path: p.path, status: 200, p50: percentile(times, 50), p95: percentile(times, 95), ...(note ? { note } : {}) });
      }
    } finally {
      await app.stop();
    }
  }
  return rows;
}
