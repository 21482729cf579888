/**
 * xAPI settings from the environment, read in one place (pure: the environment is passed in, so it is unit-tested,
 * and can move into a site-wide configuration module as it is).
 *
 *   XAPI_ORGANIZATION_IRI  the base of statement ids and activity IRIs, e.g. https://academy.example.com. Only used
 *                          the first time it is needed; after that the stored one is kept (default: SITE_URL
 *                          when it is set).
 *   XAPI_LRS_URL           the LRS's xAPI endpoint (…/data/xAPI or …/xAPI; statements go to <url>/statements).
 *                          Unset: nothing is pushed. Credentials as XAPI_LRS_USERNAME and XAPI_LRS_PASSWORD (the
 *                          LRS's Basic key and secret), or in the URL (https://key:secret@lrs.example/xAPI).
 *   XAPI_PUSH_INTERVAL     seconds between the server's pushes (default 60; 0: the server does not push, cron runs
 *                          `npm run xapi:push` instead).
 *   XAPI_PUSH_BATCH        statements per request (default 100, at most 500).
 */
import { normalizeBaseUrl } from './core';

type Env = Record<string, string | undefined>;

export interface LrsConfig {
  /** Without a trailing slash or credentials. */
  endpoint: string;
  username: string;
  password: string;
  batchSize: number;
}

export interface XapiConfig {
  organizationIri: string | undefined;
  lrs: LrsConfig | undefined;
  pushIntervalMs: number;
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function xapiConfigFromEnv(env: Env): XapiConfig {
  const iriText = env.XAPI_ORGANIZATION_IRI?.trim() || env.SITE_URL?.trim();
  let organizationIri: string | undefined;
  if (iriText) {
    try {
      organizationIri = normalizeBaseUrl(iriText);
    } catch {
      throw new Error(`${env.XAPI_ORGANIZATION_IRI ? 'XAPI_ORGANIZATION_IRI' : 'SITE_URL'} must be an http(s) URL`);
    }
  }
  const pushIntervalMs = wholeNumber(env, 'XAPI_PUSH_INTERVAL', 60, 0, 86_400) * 1000;
  const urlText = env.XAPI_LRS_URL?.trim();
  if (!urlText) return { organizationIri, lrs: undefined, pushIntervalMs };
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new Error('XAPI_LRS_URL is not a URL (expected e.g. https://lrs.example.com/xAPI)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('XAPI_LRS_URL must be http(s)');
  const username = env.XAPI_LRS_USERNAME ?? decodeURIComponent(url.username);
  const password = env.XAPI_LRS_PASSWORD ?? decodeURIComponent(url.password);
  if (!username)
    throw new Error('XAPI_LRS_URL is set without credentials: set XAPI_LRS_USERNAME and XAPI_LRS_PASSWORD');
  url.username = '';
  url.password = '';
  const endpoint = url.href.replace(/\/+$/, '');
  return {
    organizationIri,
    lrs: { endpoint, username, password, batchSize: wholeNumber(env, 'XAPI_PUSH_BATCH', 100, 1, 500) },
    pushIntervalMs,
  };
}
