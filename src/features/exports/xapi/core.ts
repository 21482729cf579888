/**
 * Shared parts of the xAPI builders (xapi.ts): the site's base URL and language, ADL verb and activity-type IRIs,
 * activity ids, agents, ISO 8601 times and durations.
 */
import { URL_NAMESPACE, uuidV5 } from '../uuid';

export interface XapiSite {
  /** Public origin (and path, if any) of the site, e.g. https://academy.example.com. */
  baseUrl: string;
  /** context.platform (default "Frontline Academy"). */
  platform?: string;
  /** Language of names and descriptions (default en-US). */
  language?: string;
}

export interface XapiPerson {
  email: string;
  name: string;
}

const ADL = 'http://adlnet.gov/expapi';
export const xapiVerbs = {
  answered: { id: `${ADL}/verbs/answered`, display: 'answered' },
  passed: { id: `${ADL}/verbs/passed`, display: 'passed' },
  failed: { id: `${ADL}/verbs/failed`, display: 'failed' },
  completed: { id: `${ADL}/verbs/completed`, display: 'completed' },
  satisfied: { id: 'https://w3id.org/xapi/adl/verbs/satisfied', display: 'satisfied' },
  scored: { id: `${ADL}/verbs/scored`, display: 'scored' },
  acknowledged: { id: 'http://activitystrea.ms/schema/1.0/acknowledge', display: 'acknowledged' },
} as const;
export const activityTypes = {
  assessment: `${ADL}/activities/assessment`,
  interaction: `${ADL}/activities/cmi.interaction`,
  module: `${ADL}/activities/module`,
  simulation: `${ADL}/activities/simulation`,
  course: `${ADL}/activities/course`,
  performance: `${ADL}/activities/performance`,
} as const;

/** The base URL without a trailing slash; throws unless it is an absolute http(s) URL. */
export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('the base URL must be http(s)');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Activity ids (exported so pages and the exporter name activities the same way). */
export function xapiActivityIds(baseUrl: string) {
  const root = `${normalizeBaseUrl(baseUrl)}/xapi/activities`;
  const seg = encodeURIComponent;
  return {
    quiz: (quizId: string) => `${root}/quiz/${seg(quizId)}`,
    question: (quizId: string, questionId: string) => `${root}/question/${seg(quizId)}/${seg(questionId)}`,
    module: (slug: string) => `${root}/module/${seg(slug)}`,
    roleplay: (id: string) => `${root}/roleplay/${seg(id)}`,
    roleplayNode: (id: string, nodeId: string) => `${root}/roleplay/${seg(id)}/node/${seg(nodeId)}`,
    track: (id: string) => `${root}/track/${seg(id)}`,
    exercise: (id: string) => `${root}/exercise/${seg(id)}`,
    evaluation: (id: string) => `${root}/evaluation/${seg(id)}`,
    scorecard: (id: string) => `${root}/scorecard/${seg(id)}`,
    standard: (id: string) => `${root}/standard/${seg(id)}`,
  };
}

/** ISO 8601 duration to 0.01 s, e.g. PT1H2M3.5S; undefined for a negative or unknown span. */
export function isoDuration(ms: number | null | undefined): string | undefined {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  const centis = Math.round(ms / 10);
  const h = Math.floor(centis / 360_000);
  const m = Math.floor((centis % 360_000) / 6000);
  const s = (centis % 6000) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

const namespaces = new Map<string, string>();
/** Statement-id namespace of a site: a bulk export builds many statements for one base URL. */
function siteNamespace(base: string): string {
  let ns = namespaces.get(base);
  if (!ns) {
    ns = uuidV5(URL_NAMESPACE, base);
    namespaces.set(base, ns);
  }
  return ns;
}

/** Everything a builder needs from the site, worked out once. */
export function prepareSite(site: XapiSite) {
  const base = normalizeBaseUrl(site.baseUrl);
  const lang = site.language ?? 'en-US';
  return {
    base,
    ids: xapiActivityIds(base),
    namespace: siteNamespace(base),
    map: (text: string) => ({ [lang]: text }),
    context: { platform: site.platform ?? 'Frontline Academy', language: lang },
    ext: (name: string) => `${base}/xapi/extensions/${name}`,
  };
}

export function agent(person: XapiPerson) {
  return { objectType: 'Agent' as const, name: person.name, mbox: `mailto:${person.email}` };
}

export function verb(v: { id: string; display: string }, map: (t: string) => Record<string, string>) {
  return { id: v.id, display: map(v.display) };
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const score = (percent: number) => ({ scaled: percent / 100, raw: percent, min: 0, max: 100 });
