/**
 * Third-party servers the integration tests talk to, each started as its own process on 127.0.0.1 and stopped by
 * the test: a real SMTP server (tests/helpers/smtp-sink.mjs) and a real LRS (tests/helpers/lrs.ts).
 * `runCli` runs one of our npm commands the way cron would, as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { NODE, ROOT } from './server';

export interface ReceivedMail {
  from: string | null;
  to: string[];
  raw: Buffer;
}

export interface SmtpSink {
  port: number;
  url(user?: string, password?: string): string;
  /** Messages received so far, in order. */
  received: ReceivedMail[];
  stop(): Promise<void>;
}

/** Resolves once `proc` prints a line matching `ready`, with the match; rejects if it exits first or takes too long. */
export function waitForLine(
  proc: ChildProcess,
  ready: RegExp,
  what: string,
  timeoutMs = 30_000,
): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(ready);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      ok(m);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const proc = spawn(NODE, [join(ROOT, 'tests/helpers/smtp-sink.mjs'), '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const received: ReceivedMail[] = [];
  let buffer = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const m = JSON.parse(line) as { from: string | null; to: string[]; raw: string };
      received.push({ from: m.from, to: m.to, raw: Buffer.from(m.raw, 'base64') });
    }
  });
  const [, port] = await waitForLine(proc, /listening (\d+)/, 'the SMTP server');
  return {
    port: Number(port),
    url: (user = 'mailer', password = 'mail-secret') => `smtp://${user}:${password}@127.0.0.1:${port}`,
    received,
    stop: () => stopProcess(proc),
  };
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
export function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    proc.kill('SIGTERM');
  });
}

/** Runs `src/cli/<script>` under Node 24 with tsx, like `npm run …`; resolves with its exit code and output. */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((ok) => {
    const proc = spawn(NODE, ['--import', 'tsx', join(ROOT, 'src/cli', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    proc.once('exit', (code) => ok({ code, output }));
  });
}
