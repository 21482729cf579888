/**
 * People and records for e2e specs that work over HTTP (`request` contexts) against the built server: sign in as a
 * demo account, invite and register new people through the real invite pages, pass quizzes and play role-plays
 * through the real actions (the same multipart posts the islands send), and read the e2e database file for ids and
 * row counts (playwright.config.ts puts its path in E2E_DB_FILE).
 *
 * Answers come from content/ (as a learner who knows the material would answer) and from the attempt's frozen
 * question order in the database (what the page shows); role-play replies are picked by their words among the
 * replies the server offers (each with its token for that run and step); every write goes through the server.
 */
import { createClient, type Client } from '@libsql/client';
import { expect, type APIRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { loadValidContent, type Content } from '../../src/features/content/load';
import type { Roleplay } from '../../src/features/content/schema';
import { bestReplies } from './roleplay';

/** What these helpers need of Playwright's `playwright` fixture. */
type Playwright = { request: APIRequest };

export const DEMO_PASSWORD = 'frontline-demo-2026';
/** A password the strength rules accept, for people created by the tests. */
export const NEW_PASSWORD = 'lantern orbit velvet 9';

export const demo = {
  admin: 'admin@demo.test',
  trainer: 'trainer@demo.test',
  /** Manages Billing Support. */
  managerA: 'manager1@demo.test',
  /** Manages Technical Support. */
  managerB: 'manager2@demo.test',
} as const;
export const TEAM_A = 'Billing Support';
export const TEAM_B = 'Technical Support';

// ---------------------------------------------------------------------------------------------- database

let client: Client | undefined;

/** The e2e server's database file: for ids and counts (writes belong to the server, through its pages and actions). */
export function e2eDb(): Client {
  const file = process.env.E2E_DB_FILE;
  if (!file) throw new Error('E2E_DB_FILE is not set: run the specs through playwright.config.ts.');
  client ??= createClient({ url: `file:${file}` });
  return client;
}

export async function one<T = Record<string, unknown>>(sql: string, args: (string | number)[] = []): Promise<T> {
  const { rows } = await e2eDb().execute({ sql, args });
  if (!rows[0]) throw new Error(`no row for ${sql} ${JSON.stringify(args)}`);
  return rows[0] as T;
}

export async function teamId(name: string): Promise<string> {
  return String((await one('SELECT id FROM team WHERE name = ?', [name])).id);
}

export async function userId(email: string): Promise<string> {
  return String((await one('SELECT id FROM user WHERE email = ?', [email])).id);
}

/** Row count of every table, in one statement (so the counts are one consistent snapshot). */
export async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await e2eDb().execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
  );
  const names = rows.map((r) => String(r.name));
  const { rows: counts } = await e2eDb().execute(
    `SELECT ${names.map((n) => `(SELECT count(*) FROM "${n}") AS "${n}"`).join(', ')}`,
  );
  return Object.fromEntries(names.map((n) => [n, Number(counts[0]![n])]));
}

// ---------------------------------------------------------------------------------------------- HTTP

/**
 * A request context for one person. Every request carries the site's Origin, as a browser's same-site form post
 * does (cross-origin posts are refused), and redirects are not followed unless a call asks for it.
 */
export async function newClient(playwright: Playwright, baseURL: string): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL }, maxRedirects: 0 });
}

export async function signedIn(
  playwright: Playwright,
  baseURL: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<APIRequestContext> {
  const ctx = await newClient(playwright, baseURL);
  const res = await ctx.post('/login', { form: { email, password } });
  expect(res.status(), `sign in as ${email}`).toBe(303);
  return ctx;
}

/** Astro's action replies are devalue-encoded: a flat array whose first entry is the root, objects pointing by index. */
export function decodeActionReply(text: string): unknown {
  const flat = JSON.parse(text) as unknown[];
  const hydrate = (i: number): unknown => {
    const v = flat[i];
    if (Array.isArray(v)) return v.map((j) => hydrate(j as number));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, j]) => [k, hydrate(j as number)]));
    return v;
  };
  return hydrate(0);
}

/** Calls an action the way the islands do (FormData to /_actions/<name>); repeated names for multi-value fields. */
export async function callAction(
  ctx: APIRequestContext,
  name: string,
  fields: [string, string][],
): Promise<APIResponse> {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  return ctx.post(`/_actions/${name}`, { multipart: form, headers: { accept: 'application/json' } });
}

async function actionData<T>(ctx: APIRequestContext, name: string, fields: [string, string][]): Promise<T> {
  const res = await callAction(ctx, name, fields);
  const text = await res.text();
  expect(res.status(), `${name}: ${text}`).toBe(200);
  return decodeActionReply(text) as T;
}

// ---------------------------------------------------------------------------------------------- people

export interface Person {
  id: string;
  email: string;
  name: string;
  ctx: APIRequestContext;
}

/**
 * The real invite flow over HTTP: `inviter` creates the invite on /team/invites, the new person accepts it on the
 * invite page and signs in. `hireDate` (YYYY-MM-DD) defaults to the form's default, today.
 */
export async function createInviteLink(
  inviter: APIRequestContext,
  input: { email: string; role?: string; teamId?: string; hireDate?: string },
): Promise<string> {
  const res = await inviter.post('/team/invites', {
    form: {
      email: input.email,
      role: input.role ?? 'learner',
      teamId: input.teamId ?? '',
      hireDate: input.hireDate ?? '',
    },
  });
  const html = await res.text();
  expect(res.status(), `invite ${input.email}`).toBe(201);
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(html)?.[1];
  if (!token) throw new Error(`no invite link on the page for ${input.email}`);
  return token;
}

export async function invitePerson(
  playwright: Playwright,
  baseURL: string,
  inviter: APIRequestContext,
  input: { name: string; teamId?: string; role?: string; hireDate?: string },
): Promise<Person> {
  const email = `${input.name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@demo.test`;
  const token = await createInviteLink(inviter, { ...input, email });
  const anon = await newClient(playwright, baseURL);
  const accepted = await anon.post(`/invite/${token}`, { form: { name: input.name, password: NEW_PASSWORD } });
  expect(accepted.status(), `accept invite for ${email}`).toBe(303);
  await anon.dispose();
  const ctx = await signedIn(playwright, baseURL, email, NEW_PASSWORD);
  return { id: await userId(email), email, name: input.name, ctx };
}

// ---------------------------------------------------------------------------------------------- learning records

let content: Content | undefined;
export async function realContent(): Promise<Content> {
  content ??= await loadValidContent('content');
  return content;
}

/** Starts an attempt (or resumes the open one) and returns its id. */
export async function startQuiz(ctx: APIRequestContext, quizId: string): Promise<string> {
  return (await actionData<{ attemptId: string }>(ctx, 'quiz.start', [['quiz', quizId]])).attemptId;
}

/** Answers every question of an open attempt (right or wrong) through quiz.submit; returns the reply. */
export async function submitQuiz(
  ctx: APIRequestContext,
  attemptId: string,
  right: boolean,
): Promise<{ passed: boolean; result: string }> {
  const row = await one<{ quiz_id: string; questions: string }>(
    'SELECT quiz_id, questions FROM quiz_attempt WHERE id = ?',
    [attemptId],
  );
  const quiz = (await realContent()).quizzes.get(row.quiz_id)!.data!;
  const fields: [string, string][] = [['attempt', attemptId]];
  for (const frozen of JSON.parse(row.questions) as { id: string; options: string[] }[]) {
    const q = quiz.questions.find((x) => x.id === frozen.id)!;
    const key =
      q.kind === 'ordering' ? q.options.map((o) => o.id) : q.options.filter((o) => o.correct).map((o) => o.id);
    const chosen = right ? key : [frozen.options.find((o) => !key.includes(o)) ?? frozen.options[0]!];
    const positions =
      q.kind === 'ordering' && !right
        ? [...frozen.options.keys()].reverse()
        : chosen.map((o) => frozen.options.indexOf(o));
    for (const p of positions) fields.push([`q.${frozen.id}`, String(p)]);
  }
  return actionData(ctx, 'quiz.submit', fields);
}

export async function passQuiz(ctx: APIRequestContext, quizId: string): Promise<string> {
  const attemptId = await startQuiz(ctx, quizId);
  expect((await submitQuiz(ctx, attemptId, true)).passed, `${quizId} passed`).toBe(true);
  return attemptId;
}

/** What the role-play actions say about an open run: its step and the replies offered (words + tokens). */
export interface OfferedView {
  run: { id: string; step: number };
  node?: { line: string; choices: { token: string; text: string }[] };
}

/** Starts a run (or resumes the open one) through roleplay.start; returns it with the replies it offers. */
export async function startRoleplay(
  ctx: APIRequestContext,
  roleplayId: string,
): Promise<{ runId: string; view: OfferedView }> {
  return actionData(ctx, 'roleplay.start', [['roleplay', roleplayId]]);
}

/** Sends the reply with these words, as offered now; returns the next view, or undefined when the run ended. */
export async function sayReply(
  ctx: APIRequestContext,
  view: OfferedView,
  text: string,
): Promise<OfferedView | undefined> {
  const reply = view.node?.choices.find((c) => c.text === text);
  if (!reply)
    throw new Error(
      `"${text.slice(0, 60)}" is not among the replies offered: ${view.node?.choices.map((c) => c.text.slice(0, 30)).join(' | ')}`,
    );
  const out = await actionData<{ kind: 'next'; view: OfferedView } | { kind: 'ended' }>(ctx, 'roleplay.choose', [
    ['run', view.run.id],
    ['step', String(view.run.step)],
    ['reply', reply.token],
  ]);
  return out.kind === 'next' ? out.view : undefined;
}

/** Plays a role-play from its start to its best ending, picking each reply by its words; returns the run id. */
export async function playBest(ctx: APIRequestContext, roleplayId: string): Promise<string> {
  const roleplay: Roleplay = (await realContent()).roleplays.get(roleplayId)!.data!;
  let { runId, view } = await startRoleplay(ctx, roleplayId);
  // A run left open part-way is abandoned: the best path starts at the beginning.
  if (view.run.step !== 0)
    ({ runId, view } = await actionData<{ runId: string; view: OfferedView }>(ctx, 'roleplay.abandon', [
      ['run', runId],
    ]));
  let current: OfferedView | undefined = view;
  for (const text of bestReplies(roleplay)) {
    if (!current) throw new Error(`${roleplayId}: the run ended before "${text.slice(0, 40)}"`);
    current = await sayReply(ctx, current, text);
  }
  expect(current, `${roleplayId} ended`).toBeUndefined();
  return runId;
}

/** The expert's calls on every item of an exercise, as `score.<contact>.<standard>` form fields. */
export async function expertCalls(exerciseId: string): Promise<[string, string][]> {
  const exercise = (await realContent()).exercises.get(exerciseId)!.data!;
  return exercise.contacts.flatMap((c) =>
    exercise.scorecard.map((s) => [`score.${c.id}.${s}`, c.expert[s]!.score] as [string, string]),
  );
}

/** The call a careless scorer makes instead of the expert's. */
export const otherCall = (call: string) => (call === 'met' ? 'not-met' : 'met');

/**
 * Starts a calibration exercise and sends calls through exercise.start / exercise.submit: the expert's on every
 * item except the first `differ` ones. Returns the attempt id and the reply.
 */
export async function scoreExercise(
  ctx: APIRequestContext,
  exerciseId: string,
  differ = 0,
): Promise<{ attemptId: string; score: number; passed: boolean; result: string }> {
  const { attemptId } = await actionData<{ attemptId: string }>(ctx, 'exercise.start', [['exercise', exerciseId]]);
  const calls = (await expertCalls(exerciseId)).map(([k, v], i): [string, string] => [
    k,
    i < differ ? otherCall(v) : v,
  ]);
  const reply = await actionData<{ score: number; passed: boolean; result: string }>(ctx, 'exercise.submit', [
    ['attempt', attemptId],
    ...calls,
  ]);
  return { attemptId, ...reply };
}

/** Passes every requirement of the rep track; returns the certificate code and the ids of what was done. */
export async function certifyRep(
  ctx: APIRequestContext,
  userIdOf: string,
): Promise<{ code: string; attempts: string[]; runs: string[] }> {
  const track = [...(await realContent()).tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;
  const attempts: string[] = [];
  const runs: string[] = [];
  for (const r of track.requires) {
    if ('quiz' in r) attempts.push(await passQuiz(ctx, r.quiz));
    else if ('roleplay' in r) runs.push(await playBest(ctx, r.roleplay));
    else expect((await scoreExercise(ctx, r.exercise)).passed, `${r.exercise} passed`).toBe(true);
  }
  const cert = await one<{ code: string }>(
    'SELECT code FROM certificate WHERE user_id = ? AND track_id = ? AND revoked_at IS NULL',
    [userIdOf, track.id],
  );
  return { code: cert.code, attempts, runs };
}

/** A judgment case with a free-text prompt, its first option and the module that shows it. */
export async function writtenCase(): Promise<{ caseId: string; optionId: string; module: string; criteria: string[] }> {
  const c = await realContent();
  for (const [slug, entry] of c.modules) {
    for (const m of entry.text.matchAll(/<JudgmentCase id="([^"]+)"/g)) {
      const found = c.cases.get(m[1]!)?.data;
      if (found?.prompt)
        return {
          caseId: found.id,
          optionId: found.options[0]!.id,
          module: slug,
          criteria: found.rubric.map((r) => r.id),
        };
    }
  }
  throw new Error('no judgment case with a prompt in any lesson');
}
