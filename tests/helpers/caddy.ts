/**
 * A real TLS-terminating reverse proxy for the e2e suite: Caddy (Debian's `caddy`, /usr/bin/caddy; `.ci/run`
 * installs it) with `tls internal`, its own throw-away CA, on 127.0.0.1 in front of a built app server — the way
 * the README's deployment runs. Everything Caddy writes (its CA, certificates, autosaved config) goes to a temp
 * folder that `stop()` removes; its admin API is off and it never touches the system trust store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server';

export const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';

export interface RunningProxy {
  /** https://localhost:<port> */
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Free port for the proxy, chosen before the app starts so the app's SITE_URL can name it. */
export async function proxyPort(): Promise<number> {
  return freePort();
}

function listening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

export async function startCaddy(opts: { port: number; upstreamPort: number }): Promise<RunningProxy> {
  if (!existsSync(CADDY)) throw new Error(`No Caddy at ${CADDY}: apt-get install -y caddy (or set CADDY_PATH).`);
  const dir = mkdtempSync(join(tmpdir(), 'fa-caddy-'));
  const httpPort = await freePort();
  const caddyfile = join(dir, 'Caddyfile');
  writeFileSync(
    caddyfile,
    `{
  admin off
  skip_install_trust
  auto_https disable_redirects
  http_port ${httpPort}
  https_port ${opts.port}
  storage file_system ${join(dir, 'data')}
}

https://localhost:${opts.port} {
  bind 127.0.0.1
  tls internal
  reverse_proxy 127.0.0.1:${opts.upstreamPort}
}
`,
  );
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  const proc: ChildProcess = spawn(CADDY, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !(await listening(opts.port)); i++) {
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await listening(opts.port))) {
    await stop();
    throw new Error(`Caddy did not start on ${opts.port}:\n${out}`);
  }
  return { url: `https://localhost:${opts.port}`, port: opts.port, output: () => out, stop };
}
