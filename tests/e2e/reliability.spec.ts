/**
 * Reliability of the built server under faults, each test with its own server process(es) on its own temp
 * database (not the shared e2e server): two processes on one database, kill -9 mid-load, a backup taken while
 * serving, and a graceful SIGTERM. Playwright runs after `npm test` has built the app; loads are small and bounded
 * (a few hundred real submissions) so each test takes seconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { closeDb, migrateDb } from '../../db/client';
import {
  createLearners,
  openAttempts,
  storedAttempts,
  submitAll,
  SUBMIT_PATH,
  type Outcome,
  type PreparedSubmission,
} from '../helpers/load';
import { builtDist, NODE, ROOT, startServer } from '../helpers/server';

test.describe.configure({ mode: 'serial' });

const ok = (o: Outcome): o is Extract<Outcome, { status: number }> =>
  'status' in o && o.status >= 200 && o.status < 300;
const BUSY = /SQLITE_BUSY|database is locked/i;

/** A migrated temp database with `learners` learners, each with `perUser` open attempts; returns the file. */
async function prepare(learners: number, perUser: number): Promise<{ dbFile: string; subs: PreparedSubmission[] }> {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'fa-reliability-')), 'app.db');
  process.env.DATABASE_URL = `file:${dbFile}`;
  closeDb();
  await migrateDb();
  const subs = await openAttempts(await createLearners(learners, 'reliability'), perUser);
  closeDb();
  return { dbFile, subs };
}

async function readStored(dbFile: string, subs: PreparedSubmission[]) {
  process.env.DATABASE_URL = `file:${dbFile}`;
  closeDb();
  const stored = await storedAttempts(subs.map((s) => s.attemptId));
  closeDb();
  return stored;
}

/** Every acknowledged submission is stored whole: submitted, with the expected score, answers and standard rows. */
function expectStoredWhole(
  stored: Awaited<ReturnType<typeof readStored>>,
  subs: PreparedSubmission[],
  acked: Set<string>,
) {
  for (const s of subs.filter((x) => acked.has(x.attemptId))) {
    const row = stored.get(s.attemptId);
    expect(row, s.attemptId).toMatchObject({
      status: 'submitted',
      score: s.expected.score,
      answers: s.expected.answers.length,
      standardRows: s.expected.answers.reduce((n, a) => n + a.standards.length, 0),
    });
  }
}

test('two app processes on one database under submission load: no 5xx, no SQLITE_BUSY, every acknowledged attempt stored', async () => {
  test.setTimeout(120_000);
  const dist = builtDist();
  const { dbFile, subs } = await prepare(40, 5);
  const servers = await Promise.all([startServer({ dist, dbFile }), startServer({ dist, dbFile })]);
  try {
    const outcomes = await submitAll(
      servers.map((s) => s.url),
      subs,
      16,
    );
    expect(outcomes.filter((o) => !ok(o))).toEqual([]);
    expect(outcomes.filter((o) => 'body' in o && BUSY.test(o.body))).toEqual([]);
    const stored = await readStored(dbFile, subs);
    expectStoredWhole(stored, subs, new Set(outcomes.filter(ok).map((o) => o.attemptId)));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  for (const s of servers) expect(s.output()).not.toMatch(BUSY);
});

test('kill -9 while submissions are in flight: every 2xx is stored after restart, no attempt is half-graded', async () => {
  test.setTimeout(120_000);
  const dist = builtDist();
  const { dbFile, subs } = await prepare(60, 5);
  const server = await startServer({ dist, dbFile });
  let killedAfter = 0;
  const outcomes = await submitAll([server.url], subs, 16, (_o, done) => {
    const acked = done.filter(ok).length;
    if (killedAfter === 0 && acked >= 60) {
      killedAfter = acked;
      server.proc.kill('SIGKILL');
      return false;
    }
  });
  await server.exited;
  expect(server.proc.signalCode).toBe('SIGKILL');
  const acked = new Set(outcomes.filter(ok).map((o) => o.attemptId));
  expect(acked.size).toBeGreaterThanOrEqual(60);
  // The kill cut requests off mid-way (they fail at the network level), and the rest were never sent.
  expect(outcomes.filter((o) => 'error' in o).length).toBeGreaterThan(0);
  expect(outcomes.length).toBeLessThan(subs.length);

  const restarted = await startServer({ dist, dbFile });
  try {
    expect((await fetch(`${restarted.url}/login`)).status).toBe(200);
    const stored = await readStored(dbFile, subs);
    expectStoredWhole(stored, subs, acked);
    for (const s of subs) {
      const row = stored.get(s.attemptId)!;
      const graded = row.status === 'submitted';
      // All or nothing: a submitted attempt has every answer and standard row, an open one has none.
      expect({ id: s.attemptId, graded, answers: row.answers > 0, standards: row.standardRows > 0 }).toEqual({
        id: s.attemptId,
        graded,
        answers: graded,
        standards: graded && s.expected.answers.some((a) => a.standards.length > 0),
      });
      if (graded) expect(row.answers).toBe(row.questions);
    }
  } finally {
    await restarted.stop();
  }
});

test('npm run db:backup while the site serves writes a consistent snapshot that passes integrity_check', async () => {
  test.setTimeout(120_000);
  const dist = builtDist();
  const { dbFile, subs } = await prepare(40, 5);
  const server = await startServer({ dist, dbFile });
  const snapshot = join(mkdtempSync(join(tmpdir(), 'fa-backup-')), 'snapshot.db');
  let backup: Promise<{ code: number | null; out: string }> | undefined;
  try {
    const outcomes = await submitAll([server.url], subs, 8, (_o, done) => {
      if (!backup && done.length >= 40) {
        backup = new Promise((resolve) => {
          const p = spawn(NODE, ['--import', 'tsx', 'db/backup.ts', snapshot], {
            cwd: ROOT,
            env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
          });
          let out = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.stderr.on('data', (d: Buffer) => (out += d.toString()));
          p.on('exit', (code) => resolve({ code, out }));
        });
      }
    });
    const result = await backup!;
    expect(result.code, result.out).toBe(0);
    expect(outcomes.filter((o) => !ok(o))).toEqual([]);
  } finally {
    await server.stop();
  }
  const copy = createClient({ url: `file:${snapshot}` });
  try {
    expect((await copy.execute('PRAGMA integrity_check')).rows.map((r) => r[0])).toEqual(['ok']);
    expect((await copy.execute('PRAGMA foreign_key_check')).rows).toEqual([]);
    const [row] = (
      await copy.execute(
        `SELECT count(*) AS submitted,
           sum((SELECT count(*) FROM quiz_answer a WHERE a.attempt_id = q.id) = json_array_length(q.questions)) AS whole,
           (SELECT count(*) FROM quiz_attempt o WHERE o.status = 'open' AND EXISTS (SELECT 1 FROM quiz_answer a WHERE a.attempt_id = o.id)) AS open_with_answers
         FROM quiz_attempt q WHERE q.status = 'submitted'`,
      )
    ).rows;
    // A point-in-time image: at least what was acknowledged before the backup started, every attempt whole.
    expect(Number(row!.submitted)).toBeGreaterThanOrEqual(40);
    expect(Number(row!.whole)).toBe(Number(row!.submitted));
    expect(Number(row!.open_with_answers)).toBe(0);
  } finally {
    copy.close();
  }
});

test('SIGTERM lets an in-flight submission finish, refuses new connections, then exits cleanly', async () => {
  test.setTimeout(60_000);
  const dist = builtDist();
  const { dbFile, subs } = await prepare(1, 1);
  const s = subs[0]!;
  const server = await startServer({ dist, dbFile });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const body = Buffer.from(s.body);
  const req = httpRequest(`${server.url}${SUBMIT_PATH}`, {
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': s.contentType,
      'content-length': body.length,
      cookie: `session=${s.token}`,
      origin: server.url,
    },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
  });
  // Half the body now, the rest after the signal: the request is in flight when SIGTERM arrives.
  req.write(body.subarray(0, body.length >> 1));
  await sleep(500);
  server.proc.kill('SIGTERM');
  await sleep(500);
  await expect(fetch(`${server.url}/login`)).rejects.toThrow();
  req.end(body.subarray(body.length >> 1));
  const { status, text } = await response;
  expect(status, text).toBe(200);
  expect(await server.exited).toBe(0);
  expect(server.output()).toContain('SIGTERM: finishing in-flight requests');
  const stored = await readStored(dbFile, subs);
  expect(stored.get(s.attemptId)?.status).toBe('submitted');
});
