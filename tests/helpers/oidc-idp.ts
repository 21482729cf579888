/**
 * Starts the test identity provider (tests/helpers/oidc-idp.mjs: a real `oidc-provider`) as its own process on
 * 127.0.0.1, like the LRS and SMTP helpers, and stops it. It keeps everything in memory: nothing is written to disk.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NODE, ROOT } from './server';
import { stopProcess, waitForLine } from './processes';

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Makes the next ID token the provider issues a bad one. */
  spoilNextIdToken(mode: 'tampered' | 'wrong-audience' | 'expired'): Promise<void>;
  stop(): Promise<void>;
}

export async function startIdp(opts: { port: number; redirectUri: string }): Promise<TestIdp> {
  const config = {
    port: opts.port,
    clientId: 'frontline-academy',
    clientSecret: 'idp-client-secret-for-tests',
    redirectUri: opts.redirectUri,
  };
  const proc = spawn(NODE, [join(ROOT, 'tests/helpers/oidc-idp.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, IDP_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(proc, /listening \d+/, 'the OpenID provider');
  const issuer = `http://127.0.0.1:${opts.port}`;
  return {
    issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    async spoilNextIdToken(mode) {
      const res = await fetch(`${issuer}/__test/next-id-token?mode=${mode}`, { method: 'POST' });
      if (res.status !== 204) throw new Error(`the test IdP did not take the mode: ${res.status}`);
    },
    stop: () => stopProcess(proc),
  };
}
