/**
 * The server's configuration: the one module that reads `process.env` (db/ reads DATABASE_URL itself, since db/
 * knows nothing of src/; it is validated here too). `parseEnv` is pure and unit-tested; `env()` parses
 * `process.env`, re-parsing only when a variable it reads has changed (tests set some after import).
 *
 * An invalid or missing setting throws an EnvError naming every problem at once; serve.ts calls `env()` before it
 * listens, so a sysadmin reads that message at start-up, not on some later request.
 *
 * SITE_URL is the public origin every absolute URL is built from (invite links, Open Badges, xAPI ids, the origin
 * check behind a TLS proxy). It is required in production — NODE_ENV=production, or a HOST that is not a loopback
 * address — and defaults to http://localhost:<PORT> for a server only this machine can reach. A SITE_URL whose host
 * is not loopback (https://academy.example.com) means production too, whatever NODE_ENV says: behind the guide's
 * proxy HOST is 127.0.0.1, and a forgotten NODE_ENV must not seed the demo accounts or accept the test clock.
 */
import { z } from 'zod';
import { mailConfigFromEnv, type MailConfig } from './features/notifications/mail-config';
import { xapiConfigFromEnv, type XapiConfig } from './features/exports/xapi/config';
import { writeLimitFromEnv, type WriteLimit } from './lib/server/write-limit';

type Source = Record<string, string | undefined>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Frontline Academy cannot start: fix its configuration (environment variables):\n  ${problems.join('\n  ')}`);
    this.name = 'EnvError';
  }
}

export interface Env {
  /** NODE_ENV=production, a HOST other than loopback (SITE_URL is then required), or a SITE_URL on a public host. */
  production: boolean;
  host: string;
  port: number;
  /** The public origin, without a trailing slash: SITE_URL, else http://localhost:<port>. */
  siteUrl: string;
  /** True when SITE_URL is https: HSTS is sent. */
  https: boolean;
  databaseUrl: string;
  /** INSECURE_COOKIES=1: no `Secure`/`__Host-` on the session cookie (plain-http test servers). */
  insecureCookies: boolean;
  writeLimit: WriteLimit;
  /** SIGN_IN_ADDRESS_LIMIT: failed sign-ins one address may make per throttle window before it is blocked. */
  signInAddressLimit: number;
  /** TRUST_PROXY=1: the client's address is the last one in X-Forwarded-For (set by our own reverse proxy). */
  trustProxy: boolean;
  /**
   * Whether `npm start` seeds the demo organization (public demo password) into an empty database: FRONTLINE_DEMO=1
   * or 0; unset, only outside production. A production site starts empty and gets its first admin from
   * `npm run admin:create`.
   */
  demo: boolean;
  testClock: boolean;
  testSeeds: boolean;
  /** FRONTLINE_DIST: the built site served by src/cli/serve.ts. */
  dist: string;
  /** WEB_CONCURRENCY as given: src/cli/workers.ts checks it at start, against the database it needs. */
  webConcurrency: string | undefined;
  /** BADGE_SIGNING_KEY: a private JWK, as JSON text; unset means the key file in data/. */
  badgeSigningKey: string | undefined;
  /** SECRET_BOX_KEY: 32 bytes, base64url, sealing stored secrets (SSO client secrets); unset: the key file in data/. */
  secretBoxKey: string | undefined;
  xapi: XapiConfig;
  mail: MailConfig | undefined;
}

export const DEFAULT_PORT = 4321;
export const DEFAULT_SIGN_IN_ADDRESS_LIMIT = 20;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** A host name only this machine answers to: localhost (and *.localhost, RFC 6761), 127.0.0.0/8, ::1. */
const isLoopback = (host: string) =>
  LOOPBACK.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);

const flag = (name: string) =>
  z
    .enum(['', '0', '1'], { error: `${name} must be 1 (on) or 0 (off)` })
    .optional()
    .transform((v) => v === '1');

const whole = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, not "${v}"` });
      return z.NEVER;
    });

const siteUrlSchema = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `SITE_URL must be a URL such as https://academy.example.com, not "${v}"`,
      });
      return z.NEVER;
    }
    if (
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.username ||
      url.password ||
      url.search ||
      url.hash
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `SITE_URL must be a plain http(s) origin such as https://academy.example.com, not "${v}"`,
      });
      return z.NEVER;
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
  });

const databaseUrlSchema = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : 'file:data/frontline.db'))
  .refine((v) => /^(file|libsql|https?|wss?):/.test(v), {
    message: 'DATABASE_URL must start with file:, libsql://, http(s):// or ws(s):// (e.g. file:data/frontline.db)',
  });

const schema = z.object({
  NODE_ENV: z.string().optional(),
  HOST: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'localhost'),
  PORT: whole('PORT', DEFAULT_PORT, 0, 65_535),
  SITE_URL: siteUrlSchema,
  DATABASE_URL: databaseUrlSchema,
  INSECURE_COOKIES: flag('INSECURE_COOKIES'),
  SIGN_IN_ADDRESS_LIMIT: whole('SIGN_IN_ADDRESS_LIMIT', DEFAULT_SIGN_IN_ADDRESS_LIMIT, 1, 1_000_000),
  TRUST_PROXY: flag('TRUST_PROXY'),
  FRONTLINE_DEMO: z.enum(['', '0', '1'], { error: 'FRONTLINE_DEMO must be 1 (seed the demo) or 0 (never)' }).optional(),
  FRONTLINE_TEST_CLOCK: flag('FRONTLINE_TEST_CLOCK'),
  FRONTLINE_TEST_SEEDS: flag('FRONTLINE_TEST_SEEDS'),
  FRONTLINE_DIST: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'dist'),
  BADGE_SIGNING_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  SECRET_BOX_KEY: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || Buffer.from(v, 'base64url').length === 32, {
      message:
        'SECRET_BOX_KEY must be 32 random bytes in base64url (e.g. `openssl rand -base64 32 | tr "+/" "-_" | tr -d =`)',
    }),
  WEB_CONCURRENCY: z.string().optional(),
});

/** Reads the configuration from `source` (process.env, or a test's object); throws EnvError listing every problem. */
export function parseEnv(source: Source): Env {
  const problems: string[] = [];
  const parsed = schema.safeParse(source);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
  // The parts kept in their own modules (each pure and tested there) report through the same error.
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const writeLimit = attempt(() => writeLimitFromEnv(source.WRITE_RATE_LIMIT));
  const mail = attempt(() => mailConfigFromEnv(source));
  const data = parsed.data;
  const publicHost = data ? !isLoopback(data.HOST) : false;
  const publicSite = data?.SITE_URL ? !isLoopback(new URL(data.SITE_URL).hostname) : false;
  const production = data ? source.NODE_ENV === 'production' || publicHost || publicSite : false;
  if (data && production && !data.SITE_URL) {
    const why =
      source.NODE_ENV === 'production' ? 'NODE_ENV=production' : `HOST=${data.HOST}, which other machines can reach`;
    problems.push(
      `SITE_URL is required in production (${why}): set it to the address people open, e.g. SITE_URL=https://academy.example.com`,
    );
  }
  // The test switches let anyone move the server's clock (past throttles and expiry dates) or predict draws.
  for (const name of ['FRONTLINE_TEST_CLOCK', 'FRONTLINE_TEST_SEEDS'] as const) {
    if (data && production && data[name])
      problems.push(`${name} is for tests only and is refused in production: unset it.`);
  }
  const siteUrl = data?.SITE_URL ?? `http://localhost:${data?.PORT ?? DEFAULT_PORT}`;
  // xAPI ids are fixed for good the first time: only from a configured address, never the localhost default.
  const xapi = attempt(() => xapiConfigFromEnv(source));
  if (!data || problems.length > 0 || !writeLimit || !xapi) throw new EnvError(problems);
  return {
    production,
    host: data.HOST,
    port: data.PORT,
    siteUrl,
    https: siteUrl.startsWith('https:'),
    databaseUrl: data.DATABASE_URL,
    insecureCookies: data.INSECURE_COOKIES,
    writeLimit,
    signInAddressLimit: data.SIGN_IN_ADDRESS_LIMIT,
    trustProxy: data.TRUST_PROXY,
    demo: data.FRONTLINE_DEMO ? data.FRONTLINE_DEMO === '1' : !production,
    testClock: data.FRONTLINE_TEST_CLOCK,
    testSeeds: data.FRONTLINE_TEST_SEEDS,
    dist: data.FRONTLINE_DIST,
    badgeSigningKey: data.BADGE_SIGNING_KEY,
    secretBoxKey: data.SECRET_BOX_KEY,
    webConcurrency: data.WEB_CONCURRENCY,
    xapi,
    mail,
  };
}

/** Every variable parseEnv reads: the cache key of env(). */
const NAMES = [
  ...Object.keys(schema.shape),
  'WRITE_RATE_LIMIT',
  'SMTP_URL',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'MAIL_FROM',
  'XAPI_ORGANIZATION_IRI',
  'XAPI_LRS_URL',
  'XAPI_LRS_USERNAME',
  'XAPI_LRS_PASSWORD',
  'XAPI_PUSH_INTERVAL',
  'XAPI_PUSH_BATCH',
];

let cached: { key: string; env: Env } | undefined;

/** The configuration of this process. */
export function env(): Env {
  const key = NAMES.map((n) => process.env[n] ?? '\u0000').join('\u0001');
  if (cached?.key !== key) cached = { key, env: parseEnv(process.env) };
  return cached.env;
}
