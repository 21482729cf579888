/**
 * A real LRS for the tests: Learning Locker's statement service (npm `xapi-statements`, installed apart in
 * tests/lrs: `npm ci --prefix tests/lrs`), run as its own process on 127.0.0.1 with its in-memory store.
 *
 * Learning Locker asks its app for the client behind each request's Authorization header (AUTH_REPO=fetch,
 * LL_CLIENT_INFO_ENDPOINT); in a full install the Learning Locker app answers that. Here a small HTTP service in
 * the test process answers it the same way for one Basic key and secret: the client as JSON, or 404 for unknown
 * credentials, which the LRS turns into a refusal. The LRS itself — validation, conflict checks, storage, the
 * statements API — is Learning Locker's code, unchanged. Its store is memory, so a restart empties it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, ROOT, freePort } from './server';
import { stopProcess, waitForLine } from './processes';

const LRS_MAIN = join(ROOT, 'tests/lrs/node_modules/xapi-statements/dist/index.js');

export interface TestLrs {
  /** The xAPI endpoint (statements at `${endpoint}/statements`). */
  endpoint: string;
  key: string;
  secret: string;
  /** Every statement the LRS holds, as its GET /statements pages them. */
  statements(): Promise<{ id: string; object: { id: string } }[]>;
  /** SIGKILL, as a crash: whatever it held in memory is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function authService(key: string, secret: string): Promise<{ server: Server; url: string }> {
  const expected = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No client"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        _id: '5f0c1ac0a1b2c3d4e5f60718',
        title: 'Frontline Academy',
        authority: { objectType: 'Agent', name: 'Frontline Academy', mbox: 'mailto:lrs-client@academy.example' },
        isTrusted: true,
        lrs_id: '5f0c1ac0a1b2c3d4e5f60719',
        organisation: '5f0c1ac0a1b2c3d4e5f6071a',
        scopes: ['statements/write', 'statements/read'],
      }),
    );
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/auth` }),
    ),
  );
}

export async function startLrs(): Promise<TestLrs> {
  if (!existsSync(LRS_MAIN))
    throw new Error('The test LRS is not installed: run `npm ci --prefix tests/lrs` (.ci/run does).');
  const key = 'academy-key';
  const secret = 'academy-secret';
  const auth = await authService(key, secret);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'fa-lrs-'));
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn(NODE, [LRS_MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        EXPRESS_PORT: String(port),
        MODELS_REPO: 'memory',
        STORAGE_REPO: 'local',
        FS_LOCAL_STORAGE_DIR: join(dir, 'storage'),
        EXPRESS_MORGAN_DIRECTORY: join(dir, 'logs'),
        EVENTS_REPO: 'test',
        AUTH_REPO: 'fetch',
        LL_CLIENT_INFO_ENDPOINT: auth.url,
        SERVICE_AWAIT_UPDATES: 'true',
        WINSTON_CONSOLE_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForLine(proc, /Listening on port \d+/, "Learning Locker's LRS");
  };
  await launch();
  const endpoint = `http://127.0.0.1:${port}/xAPI`;
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return {
    endpoint,
    key,
    secret,
    async statements() {
      const all: { id: string; object: { id: string } }[] = [];
      let next: string | undefined = `${endpoint}/statements?limit=100`;
      while (next) {
        const res = await fetch(next, { headers: { authorization, 'x-experience-api-version': '1.0.3' } });
        if (!res.ok) throw new Error(`LRS GET statements: ${res.status} ${await res.text()}`);
        const page = (await res.json()) as { statements: { id: string; object: { id: string } }[]; more: string };
        all.push(...page.statements);
        next = page.more ? new URL(page.more, endpoint).href : undefined;
      }
      return all;
    },
    async kill() {
      const p = proc!;
      if (p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((ok) => p.once('exit', ok));
      p.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    async stop() {
      if (proc) await stopProcess(proc);
      await new Promise((ok) => auth.server.close(ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
