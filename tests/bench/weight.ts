/**
 * Bench part b: page weight, read from the built server. Each page is fetched as a signed-in user (a session made
 * by the real session code, on the demo organization the server seeds), then every script, stylesheet, module
 * preload and island (component and renderer URLs) it references is fetched, following the static imports inside
 * each JS chunk. Every resource is gzipped on its own (level 6, what a typical server sends). "Eager" JS is what
 * loads with the page; "lazy" JS belongs to client:visible islands and loads when they scroll into view.
 * Inline scripts count as JS (and are part of the HTML's transfer).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { closeDb, getClient } from '../../db/client';
import { createSession, generateSessionToken } from '../../src/lib/server/session';
import { startServer } from '../helpers/server';

export interface WeightRow {
  page: string;
  path: string;
  status: number;
  eagerJs: number;
  lazyJs: number;
  css: number;
  html: number;
  total: number;
  files: number;
  note?: string;
}

const gz = (s: string | Uint8Array) => gzipSync(s, { level: 6 }).length;

async function weigh(base: string, path: string, cookie: string): Promise<Omit<WeightRow, 'page' | 'note'>> {
  const res = await fetch(base + path, { headers: { cookie }, redirect: 'manual' });
  const html = await res.text();
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const css = new Set<string>();
  for (const [tag] of html.matchAll(/<script\b[^>]*\bsrc="[^"]+"[^>]*>/g)) eager.add(attr(tag, 'src')!);
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = attr(tag, 'rel');
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel === 'stylesheet') css.add(href);
    if (rel === 'modulepreload') eager.add(href);
  }
  for (const [tag] of html.matchAll(/<astro-island\b[^>]*>/g)) {
    const target = /\bclient="(load|idle|only)"/.test(tag) ? eager : lazy;
    for (const name of ['component-url', 'renderer-url']) {
      const url = attr(tag, name);
      if (url) target.add(url);
    }
  }
  const inlineJs = [
    ...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g),
  ]
    .map((m) => m[1]!)
    .filter((s) => s.trim() !== '');
  const bodies = new Map<string, string>();
  const load = async (url: string): Promise<string> => {
    const abs = new URL(url, base + path).href;
    if (!bodies.has(abs)) bodies.set(abs, await (await fetch(abs)).text());
    return bodies.get(abs)!;
  };
  // A chunk's static imports load with it; dynamic import() does not.
  const closure = async (roots: Set<string>, seen: Set<string>): Promise<number> => {
    let bytes = 0;
    const queue = [...roots].map((u) => new URL(u, base + path).href);
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const body = await load(url);
      bytes += gz(body);
      for (const m of body.matchAll(/(?:\bimport\s*|\bfrom\s*)["']([^"']+\.m?js)["']/g))
        queue.push(new URL(m[1]!, url).href);
    }
    return bytes;
  };
  const seen = new Set<string>();
  const external = await closure(eager, seen);
  const lazyJs = await closure(lazy, seen);
  let cssBytes = 0;
  for (const href of css) cssBytes += gz(await load(href));
  const htmlBytes = gz(html);
  const inline = inlineJs.reduce((sum, js) => sum + gz(js), 0);
  // Inline scripts travel inside the HTML, so the total counts them once (as HTML).
  const total = htmlBytes + cssBytes + external + lazyJs;
  return {
    path,
    status: res.status,
    eagerJs: external + inline,
    lazyJs,
    css: cssBytes,
    html: htmlBytes,
    total,
    files: 1 + css.size + seen.size,
  };
}

async function sessionFor(email: string): Promise<string> {
  const row = (await getClient().execute({ sql: 'SELECT id FROM user WHERE email = ?', args: [email] })).rows[0];
  if (!row) throw new Error(`no user ${email}`);
  const token = generateSessionToken();
  await createSession(token, String(row.id));
  return `session=${token}`;
}

async function startAction(
  base: string,
  cookie: string,
  action: string,
  field: string,
  value: string,
  more: Record<string, string> = {},
): Promise<number> {
  const form = new FormData();
  form.set(field, value);
  for (const [k, v] of Object.entries(more)) form.set(k, v);
  const res = await fetch(`${base}/_actions/${action}`, {
    method: 'POST',
    body: form,
    headers: { cookie, origin: base, accept: 'application/json' },
  });
  return res.status;
}

export async function benchWeight(opts: {
  dist: string;
  work: string;
  log: (s: string) => void;
}): Promise<WeightRow[]> {
  const dbFile = join(opts.work, 'weight.db');
  const app = await startServer({ dist: opts.dist, dbFile });
  try {
    process.env.DATABASE_URL = `file:${dbFile}`;
    closeDb();
    const learner = await sessionFor('rep1@demo.test');
    const manager = await sessionFor('manager1@demo.test');
    closeDb();
    const { quizzes, modules, roleplays } = await catalogIds();
    const rows: WeightRow[] = [];
    const lesson = modules[0]!;
    rows.push({
      page: 'lesson',
      ...(await weigh(app.url, `/modules/${lesson}`, learner)),
      note: 'judgment cases are client:visible islands',
    });
    const answered = await answerCases(app.url, learner, `/modules/${lesson}`);
    rows.push({
      page: 'lesson, cases answered',
      ...(await weigh(app.url, `/modules/${lesson}`, learner)),
      note: `content only: ${answered}`,
    });
    const quiz = quizzes[0]!;
    const started = await startAction(app.url, learner, 'quiz.start', 'quiz', quiz);
    rows.push({
      page: 'quiz (open attempt)',
      ...(await weigh(app.url, `/quizzes/${quiz}`, learner)),
      ...(started >= 300 ? { note: `start answered ${started}` } : {}),
    });
    const rp = roleplays[0]!;
    const begun = await startAction(app.url, learner, 'roleplay.start', 'roleplay', rp);
    rows.push({
      page: 'role-play (open run)',
      ...(await weigh(app.url, `/roleplays/${rp}`, learner)),
      ...(begun >= 300 ? { note: `start answered ${begun}` } : {}),
    });
    const team = await weigh(app.url, '/team', manager);
    rows.push({
      page: 'team dashboard',
      ...team,
      ...(team.status !== 200 ? { note: `answered ${team.status}: page not built yet` } : {}),
    });
    return rows;
  } finally {
    await app.stop();
  }
}

/** Answers every judgment case on a lesson page (its first option), as the island would; says how many. */
async function answerCases(base: string, cookie: string, path: string): Promise<string> {
  const html = await (await fetch(base + path, { headers: { cookie } })).text();
  const forms = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .filter((f) => f.includes('name="case"'));
  let done = 0;
  for (const form of forms) {
    const id = /name="case" value="([^"]+)"/.exec(form)?.[1];
    const option = /name="option" value="([^"]+)"/.exec(form)?.[1];
    if (id && option && (await startAction(base, cookie, 'judgment.answer', 'case', id, { option })) === 200) done++;
  }
  return `${done} of ${forms.length} cases answered`;
}

/** Ids of the rep track's first module, quiz and role-play, from content/. */
async function catalogIds(): Promise<{ modules: string[]; quizzes: string[]; roleplays: string[] }> {
  const { loadContent } = await import('../../src/features/content/load');
  const content = await loadContent('content');
  const track = [...content.tracks.values()].map((t) => t.data).find((t) => t?.audience === 'rep');
  const modules = track?.modules ?? [...content.modules.keys()];
  const quizzes = track ? track.requires.flatMap((r) => ('quiz' in r ? [r.quiz] : [])) : [...content.quizzes.keys()];
  const roleplays = [...content.roleplays.values()].filter((r) => r.data?.audience === 'rep').map((r) => r.id);
  return { modules, quizzes, roleplays };
}
