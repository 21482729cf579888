/**
 * Starts the BUILT app the way production does (`src/cli/start.mjs`, which runs the build's own dist/cli/serve.mjs:
 * migrate, seed the demo if empty, serve) as a child process on a database file of the caller's choosing. Used by
 * the reliability and server tests and the bench.
 *
 * The child is Node 24 itself (another script runs with tsx as a loader, not the `tsx` wrapper, which would be a
 * second process): a SIGKILL or SIGTERM sent to `proc` reaches the server, not a parent that relays it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NODE = join(ROOT, 'node_modules/.bin/node');

export interface RunningServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM (graceful) and wait for the exit. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Where a built app is: FRONTLINE_DIST (or E2E_DIST), else dist/. Throws with how to build one when missing. */
export function builtDist(): string {
  const dist = resolve(ROOT, process.env.FRONTLINE_DIST ?? process.env.E2E_DIST ?? 'dist');
  if (!existsSync(join(dist, 'server/entry.mjs'))) {
    throw new Error(`No built app in ${dist}: run \`npm run build\` (or point FRONTLINE_DIST at a build) first.`);
  }
  return dist;
}

export interface ServerOptions {
  dist: string;
  dbFile: string;
  port?: number;
  env?: Record<string, string>;
  /** Another TypeScript program to run instead (it must print "listening on" when ready); default the app. */
  script?: string;
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const port = opts.port ?? (await freePort());
  const program = opts.script ? ['--import', 'tsx', opts.script] : ['src/cli/start.mjs'];
  const proc = spawn(NODE, [...(opts.nodeArgs ?? []), ...program], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `file:${opts.dbFile}`,
      FRONTLINE_DIST: opts.dist,
      INSECURE_COOKIES: '1',
      SITE_URL: `http://127.0.0.1:${port}`,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((ok) => proc.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const onData = () => {
      if (!out.includes('listening on')) return;
      clearTimeout(timer);
      ok();
    };
    proc.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`server exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    url,
    port,
    proc,
    output: () => out,
    exited,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
