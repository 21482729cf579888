/**
 * Hostile input at every action (both ways in: the islands' /_actions/<name> and the no-JS form post to the page)
 * and every page form and endpoint that takes a body, with fast-check: fields missing, duplicated, of the wrong
 * type, huge, in odd unicode; ids that do not exist or belong to someone else; other content types; invalid JSON.
 *
 * The only acceptable answers: 2xx/3xx, or a 4xx that carries a message a person can read (never a stack trace);
 * never a 5xx. A refused request writes nothing: the row count of every table is the same before and after it
 * (except the sign-in throttle, which exists to count refusals).
 *
 * Bounded: a fixed seed and a few dozen runs per endpoint, no shrinking (a failure prints the request as sent).
 * Bodies stay under the action body limit; oversized bodies are the security spec's business.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import fc from 'fast-check';
import {
  callAction,
  certifyRep,
  createInviteLink,
  demo,
  e2eDb,
  invitePerson,
  newClient,
  NEW_PASSWORD,
  one,
  expertCalls,
  realContent,
  signedIn,
  startQuiz,
  startRoleplay,
  tableCounts,
  TEAM_A,
  TEAM_B,
  teamId,
  userId,
  writtenCase,
  type Person,
} from '../helpers/e2e-world';
import { actionNames, postRoutes } from '../helpers/routes';
import { signUnsubscribeToken } from '../../src/features/notifications/notifications';

const RUNS = 40;
const SEED = 20_261_123;
const YEAR = 365 * 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------- inputs

const nasty = fc.constantFrom(
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '[object Object]',
  '-1',
  '1e309',
  'NaN',
  '0x1F',
  '9007199254740993',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '\u0000',
  '\uFEFF',
  '\u202Eevil',
  '\uD800',
  '🙂'.repeat(40),
  'Ω≈ç√∫ 漢字 العربية',
  'a'.repeat(64),
  'a'.repeat(65),
  '%00%0d%0a',
  '\r\n\r\n--',
  '__proto__',
  'constructor',
);

/** Any string at all: short ones in every unicode flavour, numbers, known trouble, and huge ones (up to ~48 KB). */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer().map(String),
  fc.double().map(String),
  nasty,
  fc
    .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }), fc.integer({ min: 500, max: 12_000 }))
    .map(([s, n]) => s.repeat(n)),
);

type Fields = Record<string, fc.Arbitrary<string>>;
type Entries = [string, string][];

/** Known fields (each present or not, plausible or junk) plus stray and duplicated ones. */
function entriesFor(fields: Fields): fc.Arbitrary<Entries> {
  const names = Object.keys(fields);
  const known = fc.record(
    Object.fromEntries(
      names.map((n) => [n, fc.oneof({ weight: 4, arbitrary: fields[n]! }, { weight: 1, arbitrary: anyText })]),
    ),
    { requiredKeys: [] },
  );
  const strayName = fc.oneof(
    fc.constantFrom(...names, ...names.map((n) => `${n}[]`), 'score', 'correct', 'role', 'userId'),
    fc.string({ maxLength: 12 }),
  );
  // Half the time none, so that plausible posts get past parsing to the code behind it.
  const stray = fc.oneof(fc.constant([]), fc.array(fc.tuple(strayName, anyText), { minLength: 1, maxLength: 4 }));
  return fc.tuple(known, stray).map(([k, s]) => [...(Object.entries(k) as Entries), ...s]);
}

type Body =
  | { kind: 'multipart' | 'urlencoded' | 'text'; entries: Entries }
  | { kind: 'json'; value: unknown }
  | { kind: 'bad-json' | 'octets'; raw: string };

function bodyFor(fields: Fields): fc.Arbitrary<Body> {
  const entries = entriesFor(fields);
  const names = Object.keys(fields);
  const key =
    names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 });
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ kind: fc.constantFrom('multipart' as const, 'urlencoded' as const), entries }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), entries }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('json' as const),
        value: fc.oneof(fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })), fc.jsonValue({ maxDepth: 2 })),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constantFrom('bad-json' as const, 'octets' as const),
        raw: fc.oneof(
          fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"quiz":}'),
          fc.string({ unit: 'binary', maxLength: 60 }),
        ),
      }),
    },
  );
}

/** Multipart as a browser writes it, but with names and values exactly as generated (so also malformed ones). */
function encode(body: Body): { headers: Record<string, string>; data: Buffer } {
  switch (body.kind) {
    case 'multipart': {
      const boundary = '----FrontlineFuzz7MA4YWxkTrZu0gW';
      const parts = body.entries.map(
        ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      );
      return {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        data: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
      };
    }
    case 'urlencoded':
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        data: Buffer.from(new URLSearchParams(body.entries).toString()),
      };
    case 'text':
      return {
        headers: { 'content-type': 'text/plain' },
        data: Buffer.from(body.entries.map(([k, v]) => `${k}=${v}`).join('\r\n')),
      };
    case 'json':
      return {
        headers: { 'content-type': 'application/json' },
        data: Buffer.from(JSON.stringify(body.value) ?? 'null'),
      };
    case 'bad-json':
      return { headers: { 'content-type': 'application/json' }, data: Buffer.from(body.raw) };
    case 'octets':
      return { headers: { 'content-type': 'application/octet-stream' }, data: Buffer.from(body.raw) };
  }
}

// ---------------------------------------------------------------------------------------------- checks

/** The message a person would read in a refusal, or null when there is none. */
function messageIn(status: number, contentType: string, text: string): string | null {
  if (contentType.includes('json')) {
    try {
      const j = JSON.parse(text) as {
        message?: unknown;
        error?: unknown;
        fields?: Record<string, unknown>;
        issues?: { message?: unknown }[];
      };
      const fromFields = Object.values(j.fields ?? {}).flat()[0];
      const found = [j.message, j.error, fromFields, j.issues?.[0]?.message].find(
        (m) => typeof m === 'string' && m.trim() !== '',
      );
      return (found as string | undefined) ?? null;
    } catch {
      return null;
    }
  }
  if (contentType.includes('html')) {
    // A form page re-rendered with a refusal shows it in an alert or next to a field; "not found"/"not allowed"
    // pages say so in their heading.
    const main = /<main[\s\S]*<\/main>/.exec(text)?.[0] ?? '';
    const spots = [...main.matchAll(/<(p|div)[^>]*(?:role="alert"|class="field-error")[^>]*>([\s\S]*?)<\/\1>/g)].map(
      (m) => m[2]!,
    );
    if ([403, 404, 405, 410].includes(status)) spots.push(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(main)?.[1] ?? '');
    const words = spots
      .map((s) =>
        s
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((s) => s !== '');
    return words ?? null;
  }
  return text.trim() || null;
}

const STACK = /\n\s+at .+:\d+:\d+|node_modules|file:\/\/|\.(?:ts|mjs):\d+/;

async function check(res: APIResponse, label: string, before: Record<string, number>, target: Target): Promise<void> {
  const status = res.status();
  const text = await res.text();
  const where = `${label} → ${status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`;
  expect(status, where).toBeLessThan(500);
  if (target.who !== 'anon') {
    // Still signed in: otherwise every later request would only test the sign-in redirect.
    expect(status, `${where}\n(signed out)`).not.toBe(401);
    expect(res.headers()['location'] ?? '', `${where}\n(sent to sign in)`).not.toMatch(/^\/login\b/);
  }
  if (status < 400) return;
  const message = messageIn(status, res.headers()['content-type'] ?? '', text);
  expect(message ?? '', `${where}\n(no message for a person)`).toMatch(/\p{L}{2,}/u);
  expect(message, where).not.toMatch(STACK);
  const after = await tableCounts();
  const changed = Object.keys(after).filter((t) => after[t] !== before[t] && !(target.mayChange ?? []).includes(t));
  expect(changed, `${where}\n(a refused request changed these tables)`).toEqual([]);
}

/** A person's unsubscribe token, signed with the site's stored secret (made here if no process made it yet). */
async function unsubscribeToken(userIdOf: string): Promise<string> {
  await e2eDb().execute({
    sql: "INSERT OR IGNORE INTO site_secret (name, value, created_at) VALUES ('unsubscribe', ?, ?)",
    args: [Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'), Date.now()],
  });
  const { rows } = await e2eDb().execute("SELECT value FROM site_secret WHERE name = 'unsubscribe'");
  return signUnsubscribeToken(new Uint8Array(Buffer.from(String(rows[0]!.value), 'base64url')), userIdOf);
}

// ---------------------------------------------------------------------------------------------- endpoints

interface Target {
  name: string;
  /** The route pattern posted to, and the action when it is one. */
  route: string;
  action?: string;
  who: Who;
  url: string;
  fields: Fields;
  /** Tables a refused request may legitimately write. */
  mayChange?: string[];
}
type Who = 'anon' | 'rep' | 'mgrA' | 'trainer' | 'admin' | 'account';

interface World {
  clients: Map<Who, APIRequestContext>;
  targets: Target[];
  editorialBefore: Map<string, number>;
}
let w: World;

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const JUNK_ID = 'zzzzzzzzzzzzzzzzzzzzzzzzzz';

test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const content = await realContent();
  const mgrA = await signedIn(playwright, base, demo.managerA);
  const admin = await signedIn(playwright, base, demo.admin);
  const [teamA, teamB] = [await teamId(TEAM_A), await teamId(TEAM_B)];
  const invite = (name: string) => invitePerson(playwright, base, mgrA, { name, teamId: teamA });
  // The rep who posts; another rep whose records are "someone else's"; one the admin edits; one who edits their account.
  const [rep, other, edited, holder]: Person[] = [
    await invite('Fay Fuzz'),
    await invite('Otto Other'),
    await invite('Eda Edited'),
    await invite('Acco Account'),
  ];

  const quizzes = [...content.quizzes.keys()];
  const roleplays = [...content.roleplays.keys()];
  const written = await writtenCase();
  const cases = [...content.cases.values()].map((c) => c.data!);
  const repAttempt = await startQuiz(rep.ctx, quizzes[0]!);
  const repQuestions = (
    JSON.parse(
      (await one<{ questions: string }>('SELECT questions FROM quiz_attempt WHERE id = ?', [repAttempt])).questions,
    ) as { id: string }[]
  ).map((q) => q.id);
  const started = await startRoleplay(rep.ctx, roleplays[0]!);
  const repRun = started.runId;
  // The tokens the player offers for the rep's run (and, below, made-up ones and tokens of someone else's run).
  const repTokens = started.view.node!.choices.map((c) => c.token);
  const { code, runs } = await certifyRep(other.ctx, other.id);
  const otherTokens = (await startRoleplay(other.ctx, roleplays[0]!)).view.node!.choices.map((c) => c.token);
  const otherAttempt = await startQuiz(other.ctx, quizzes[1]!);
  const exercises = [...content.exercises.keys()];
  const exerciseAttempt = async (person: Person) => {
    const res = await callAction(person.ctx, 'exercise.start', [['exercise', exercises[0]!]]);
    expect(res.status(), await res.text()).toBe(200);
    return String((await one("SELECT id FROM exercise_attempt WHERE user_id = ? AND status = 'open'", [person.id])).id);
  };
  const [repExercise, otherExercise] = [await exerciseAttempt(rep), await exerciseAttempt(other)];
  const calls = await expertCalls(exercises[0]!);
  for (const [person, text] of [
    [other, 'I would listen, then paraphrase.'],
    [rep, 'I would ask before fixing.'],
  ] as const) {
    const res = await callAction(person.ctx, 'judgment.answer', [
      ['case', written.caseId],
      ['option', written.optionId],
      ['text', text],
    ]);
    expect(res.status(), await res.text()).toBe(200);
  }
  const answers = (
    await e2eDb().execute({ sql: 'SELECT id FROM judgment_answer WHERE user_id IN (?, ?)', args: [rep.id, other.id] })
  ).rows.map((r) => String(r.id));
  const notices = (await e2eDb().execute('SELECT id FROM notice LIMIT 3')).rows.map((r) => String(r.id));
  const assignments = (await e2eDb().execute('SELECT id FROM assignment ORDER BY id LIMIT 3')).rows.map((r) =>
    String(r.id),
  );
  const versions = (await e2eDb().execute('SELECT module_id, version, editorial FROM content_version')).rows;
  const editorialBefore = new Map(versions.map((v) => [`${v.module_id}|${v.version}`, Number(v.editorial)]));
  const inviteToken = await createInviteLink(mgrA, { email: `fuzz.invitee.${Date.now()}@demo.test`, teamId: teamA });
  const choiceIds = Object.values(content.roleplays.get(roleplays[0]!)!.data!.nodes).flatMap((n) =>
    n.choices.map((c) => c.id),
  );
  const people = [rep.id, other.id, edited.id, await userId(demo.managerA), await userId('rep4@demo.test'), JUNK_ID];

  // A submitted quality evaluation of the rep's contact, for the acknowledgement form.
  const phone = content.scorecards.get('phone')!.data!;
  const scored = await mgrA.post('/quality/evaluate', {
    form: {
      rep: rep.id,
      channel: 'phone',
      contactDate: new Date().toISOString().slice(0, 10),
      reference: 'CALL-FUZZ',
      intent: 'submit',
      ...Object.fromEntries(phone.items.map((i) => [`item.${i.id ?? i.standard}`, i.scale === 'scale' ? '5' : 'yes'])),
    },
    maxRedirects: 0,
  });
  expect(scored.status(), await scored.text()).toBe(303);
  const repEvaluation = String(
    (await one<{ id: string }>('SELECT id FROM quality_evaluation WHERE rep_id = ?', [rep.id])).id,
  );
  const scheduled = await mgrA.post(`/quality/teams/${teamA}`, {
    form: {
      intent: 'calibration',
      rep: rep.id,
      channel: 'phone',
      contactDate: new Date().toISOString().slice(0, 10),
      reference: 'CALL-FUZZ-CAL',
      sessionDate: new Date().toISOString().slice(0, 10),
    },
    maxRedirects: 0,
  });
  expect(scheduled.status(), await scheduled.text()).toBe(303);
  const calibrationId = String(
    (await one<{ id: string }>('SELECT id FROM quality_calibration WHERE rep_id = ?', [rep.id])).id,
  );
  const id = (...real: string[]) => pick(...real, JUNK_ID, 'a', '0');
  const date = pick(
    '2030-01-31',
    '2026-02-30',
    '1999-12-31',
    '2026-13-01',
    '31/12/2030',
    new Date(Date.now() + 5 * 864e5).toISOString().slice(0, 10),
  );
  const quizFields: Fields = { quiz: pick(...quizzes, 'no-such-quiz', 'Quiz!') };
  const submitFields: Fields = {
    attempt: id(repAttempt, otherAttempt),
    ...Object.fromEntries(repQuestions.map((q) => [`q.${q}`, pick('0', '1', '2', '3', '7', '8', '-1', '1.5')])),
  };
  // Action, who posts, the page whose no-JS form posts it (URL and route pattern), plausible fields.
  const actionTargets: [string, Who, string, string, Fields][] = [
    ['quiz.start', 'rep', `/quizzes/${quizzes[0]}`, '/quizzes/[quiz]', quizFields],
    // Saving answers as they are given takes the submit's fields (and the same strict reader).
    ['quiz.save', 'rep', `/quizzes/${quizzes[0]}`, '/quizzes/[quiz]', submitFields],
    ['quiz.submit', 'rep', `/quizzes/${quizzes[0]}`, '/quizzes/[quiz]', submitFields],
    [
      'exercise.start',
      'rep',
      `/exercises/${exercises[0]}`,
      '/exercises/[exercise]',
      { exercise: pick(...exercises, 'no-such-exercise', 'Exercise!') },
    ],
    [
      'exercise.submit',
      'rep',
      `/exercises/${exercises[0]}`,
      '/exercises/[exercise]',
      {
        attempt: id(repExercise, otherExercise),
        ...Object.fromEntries(calls.map(([field]) => [field, pick('met', 'not-met', 'na', '', 'MET', 'n/a', '1')])),
        'score.no-such-contact.use-the-customer-name': pick('met', ''),
      },
    ],
    [
      'roleplay.start',
      'rep',
      `/roleplays/${roleplays[0]}`,
      '/roleplays/[roleplay]',
      { roleplay: pick(...roleplays, 'no-such-roleplay') },
    ],
    [
      'roleplay.choose',
      'rep',
      `/roleplays/${roleplays[0]}`,
      '/roleplays/[roleplay]',
      {
        run: id(repRun, runs[0]!),
        step: pick('0', '1', '-1', '1.5', '1e3', '99999999999'),
        // Tokens of this run, of another run, authored choice ids (which the server must not accept), junk.
        reply: pick(...repTokens, ...otherTokens, ...choiceIds.slice(0, 3), 'AAAAAAAAAAAAAAAA', 'no-such-reply'),
      },
    ],
    ['roleplay.abandon', 'rep', `/roleplays/${roleplays[0]}`, '/roleplays/[roleplay]', { run: id(repRun, runs[0]!) }],
    [
      'roleplay.replay',
      'rep',
      `/roleplays/${roleplays[0]}`,
      '/roleplays/[roleplay]',
      { run: id(repRun, runs[0]!), step: pick('0', '1', '-1', '2.5', '99999') },
    ],
    [
      'judgment.answer',
      'rep',
      `/modules/${written.module}?case=${written.caseId}`,
      '/modules/[module]',
      {
        case: pick(...cases.map((c) => c.id), 'no-such-case'),
        option: pick(...cases.flatMap((c) => c.options.map((o) => o.id))),
        text: pick('I would listen.', '', '  '),
      },
    ],
    [
      'lesson.complete',
      'rep',
      `/modules/${written.module}`,
      '/modules/[module]',
      { module: pick(...content.modules.keys(), 'no-such-module', 'Not A Slug!') },
    ],
    [
      'judgment.review',
      'mgrA',
      '/team/reviews',
      '/team/reviews',
      {
        answer: id(...answers),
        comment: pick('Well reasoned.', ''),
        ...Object.fromEntries(written.criteria.map((c) => [`rating.${c}`, pick('1', '3', '5', '0', '6', '2.5')])),
      },
    ],
    [
      'certification.revoke',
      'admin',
      `/certificates/${code}`,
      '/certificates/[code]',
      { code: pick(code, 'a'.repeat(32), JUNK_ID), reason: pick('Issued in error.', 'no', '') },
    ],
    [
      'certification.markEditorial',
      'trainer',
      '/trainer/content',
      '/trainer/content',
      {
        module: pick(...versions.map((v) => String(v.module_id)), 'no-such-module'),
        version: pick(...versions.map((v) => String(v.version)), 'deadbeef', 'XYZ'),
        editorial: pick('true', 'false', 'yes'),
      },
    ],
    [
      'assignments.assign',
      'mgrA',
      `/team?team=${teamA}`,
      '/team',
      {
        team: id(teamA, teamB),
        who: pick(...people),
        track: pick(...[...content.tracks.keys()], 'no-such-track'),
        due: date,
        priority: pick('mandatory', 'recommended', 'urgent'),
      },
    ],
    ['assignments.dismissNotice', 'rep', '/notices', '/notices', { notice: id(...notices) }],
    // One person at a time: "overdue" would remind the demo's overdue reps, whom other specs read (its own spec covers it).
    ['team.nudge', 'mgrA', `/team?team=${teamA}`, '/team', { team: id(teamA, teamB), who: pick(...people) }],
    // Never the count the confirmation would show, for the same reason: no real send to the demo's overdue reps.
    [
      'team.nudgeAllTeams',
      'mgrA',
      `/team?team=${teamA}`,
      '/team',
      { count: pick('', '0', '-3', '1.5', 'many', '99999', JUNK_ID) },
    ],
    [
      'team.extendDue',
      'mgrA',
      `/team/people/${rep.id}`,
      '/team/people/[user]',
      { assignment: id(...assignments), due: date, reason: pick('Back from leave', '') },
    ],
    [
      'attempts.allowAnother',
      'mgrA',
      `/team/people/${rep.id}`,
      '/team/people/[user]',
      { learner: pick(...people), quiz: pick(...quizzes, 'no-such-quiz', 'Quiz!') },
    ],
  ];
  const targets: Target[] = actionTargets.flatMap(([action, who, page, route, fields]) => [
    { name: `${action} (action call)`, route: '/_actions/[...path]', action, who, url: `/_actions/${action}`, fields },
    {
      name: `${action} (form post to ${route})`,
      route,
      action,
      who,
      url: `${page}${page.includes('?') ? '&' : '?'}_action=${action}`,
      fields,
    },
  ]);
  const roles = pick('learner', 'manager', 'trainer', 'admin', 'owner');
  targets.push(
    {
      name: 'sign-in form',
      route: '/login',
      who: 'anon',
      url: '/login',
      fields: {
        email: pick(demo.admin, 'rep1@demo.test', 'nobody@demo.test', 'not-an-email'),
        password: pick('wrong password', ''),
        next: pick('/team', '//evil.test', 'javascript:alert(1)'),
      },
      mayChange: ['throttle'],
    },
    {
      name: 'invite acceptance form',
      route: '/invite/[token]',
      who: 'anon',
      url: `/invite/${inviteToken}`,
      fields: { name: pick('Ina Invitee', ''), password: pick(NEW_PASSWORD, 'short', 'password') },
    },
    {
      name: 'invite form',
      route: '/team/invites',
      who: 'mgrA',
      url: '/team/invites',
      fields: {
        email: pick('new.person@demo.test', 'rep1@demo.test', 'not-an-email'),
        role: roles,
        teamId: id(teamA, teamB),
        hireDate: date,
      },
    },
    {
      name: 'bulk invite form',
      route: '/team/invites/bulk',
      who: 'mgrA',
      url: '/team/invites/bulk',
      fields: {
        list: pick(
          'new.bulk.person@demo.test',
          'rep1@demo.test',
          'not-an-email\nok.person@demo.test',
          'a@demo.test\na@demo.test',
          '',
        ),
        role: roles,
        teamId: id(teamA, teamB),
        hireDate: date,
      },
    },
    {
      name: 'forgot password form',
      route: '/forgot-password',
      who: 'anon',
      url: '/forgot-password',
      fields: { email: pick('rep1@demo.test', 'nobody@demo.test', 'not-an-email') },
    },
    {
      name: 'password reset form',
      route: '/reset-password/[token]',
      who: 'anon',
      url: `/reset-password/${'a'.repeat(32)}`,
      fields: { password: pick(NEW_PASSWORD, 'short') },
    },
    {
      name: 'admin user form',
      route: '/admin/users/[id]',
      who: 'admin',
      url: `/admin/users/${edited.id}`,
      fields: {
        intent: pick('update', 'deactivate', 'reactivate', 'delete'),
        role: roles,
        teamId: id(teamA, teamB),
        manages: id(teamA, teamB),
        hireDate: date,
      },
    },
    {
      name: 'account form',
      route: '/account',
      who: 'account',
      url: '/account',
      fields: {
        intent: pick('end-session', 'end-others', 'change-password', 'notifications', 'delete'),
        sessionId: id(),
        currentPassword: pick(NEW_PASSWORD, 'wrong'),
        newPassword: pick('river quartz amber 42', 'short'),
        email: pick('due', 'overdue', 'expired', 'sometimes'),
        frequency: pick('each', 'weekly', 'daily'),
      },
      mayChange: ['throttle'],
    },
    {
      // Drafts that pass are saved (a success may write); a refusal writes nothing.
      name: 'quality scorecard form',
      route: '/quality/evaluate',
      who: 'mgrA',
      url: '/quality/evaluate',
      fields: {
        evaluation: id(),
        rep: id(rep.id, other.id, await userId('rep4@demo.test')),
        channel: pick('phone', 'chat', 'email', 'fax'),
        contactDate: date,
        reference: pick('CALL-1', ''),
        link: pick('https://calls.example.test/1', 'javascript:alert(1)', ''),
        notes: pick('Customer called twice.', ''),
        intent: pick('draft', 'submit', 'publish'),
        'item.use-the-customer-name': pick('yes', 'no', 'na', '5', 'maybe'),
        'item.smile-in-your-voice': pick('1', '5', 'yes', 'na'),
        'comment.never-argue': pick('Calm throughout.', ''),
      },
    },
    {
      name: 'quality evaluation acknowledgement',
      route: '/quality/evaluations/[id]',
      who: 'rep',
      url: `/quality/evaluations/${repEvaluation}`,
      fields: { comment: pick('Read it, thanks.', '') },
    },
    {
      name: 'quality sampling plan',
      route: '/quality/teams/[team]',
      who: 'mgrA',
      url: `/quality/teams/${teamA}`,
      fields: {
        intent: pick('plan', 'calibration', 'other'),
        perRep: pick('10', '0', '51', 'ten', '3.5'),
        rep: id(rep.id, other.id, await userId('rep4@demo.test')),
        channel: pick('phone', 'fax'),
        contactDate: date,
        reference: pick('CALL-CAL', ''),
        sessionDate: date,
      },
    },
    {
      // A blind calibration score (drafts that pass are saved); the contact's facts may not be posted.
      name: 'quality calibration score',
      route: '/quality/calibrations/[id]',
      who: 'mgrA',
      url: `/quality/calibrations/${calibrationId}`,
      fields: {
        notes: pick('Calm call.', ''),
        intent: pick('draft', 'submit', 'agree'),
        rep: id(rep.id),
        'item.use-the-customer-name': pick('yes', 'no', 'na', '5', 'maybe'),
        'item.smile-in-your-voice': pick('1', '5', 'yes'),
      },
    },
    {
      name: 'LRS credentials form',
      route: '/admin/lrs-credentials',
      who: 'admin',
      url: '/admin/lrs-credentials',
      fields: {
        intent: pick('create', 'revoke', 'delete'),
        name: pick('Company LRS', ''),
        scope: pick('organization', 'teams', 'everyone'),
        teams: id(teamA, teamB),
        id: id(),
      },
    },
    {
      // Domains stay on fuzz.test: a provider for demo.test without passwords would stop the later specs' sign-ins.
      name: 'single sign-on providers form',
      route: '/admin/sso',
      who: 'admin',
      url: '/admin/sso',
      fields: {
        intent: pick('save', 'delete', 'other'),
        name: pick('Fuzz IdP', ''),
        issuer: pick('https://idp.fuzz.test', 'http://idp.fuzz.test', 'not a url'),
        clientId: pick('academy', ''),
        clientSecret: pick('secret', ''),
        domains: pick('fuzz.test', 'not_a_domain', ''),
        passwordsAllowed: pick('on', 'maybe'),
        createAccounts: pick('on', ''),
        defaultTeamId: id(teamA),
        id: id(),
      },
    },
    {
      name: 'SCIM tokens form',
      route: '/admin/scim-tokens',
      who: 'admin',
      url: '/admin/scim-tokens',
      fields: {
        intent: pick('create', 'revoke', 'delete'),
        name: pick('Entra ID', ''),
        scopes: pick('users', 'groups', 'everything'),
        id: id(),
      },
    },
    {
      // The one-click unsubscribe of RFC 8058: signed out, cross-site, whatever the body.
      name: 'one-click unsubscribe',
      route: '/unsubscribe/[token]',
      who: 'anon',
      url: `/unsubscribe/${await unsubscribeToken(await userId('rep2@demo.test'))}`,
      fields: { 'List-Unsubscribe': pick('One-Click', '') },
    },
    { name: 'sign-out', route: '/logout', who: 'anon', url: '/logout', fields: {} },
    {
      name: 'test clock',
      route: '/api/test/clock',
      who: 'anon',
      url: '/api/test/clock',
      fields: { offsetMs: pick('0', '1000', '-1', '1e20') },
    },
  );

  const clients = new Map<Who, APIRequestContext>([
    ['anon', await newClient(playwright, base)],
    ['rep', rep.ctx],
    ['mgrA', mgrA],
    ['trainer', await signedIn(playwright, base, demo.trainer)],
    ['admin', admin],
    ['account', holder.ctx],
  ]);
  w = { clients, targets, editorialBefore };
});

async function setClock(ctx: APIRequestContext, offsetMs: number) {
  expect((await ctx.post('/api/test/clock', { data: { offsetMs } })).status()).toBe(200);
}

test.afterAll(async () => {
  if (!w) return;
  const anon = w.clients.get('anon')!;
  await setClock(anon, 0);
  // Put back any editorial marks the fuzzing flipped (through the real action).
  const { rows } = await e2eDb().execute('SELECT module_id, version, editorial FROM content_version');
  for (const r of rows) {
    const was = w.editorialBefore.get(`${r.module_id}|${r.version}`);
    if (was === undefined || was === Number(r.editorial)) continue;
    const res = await callAction(w.clients.get('trainer')!, 'certification.markEditorial', [
      ['module', String(r.module_id)],
      ['version', String(r.version)],
      ['editorial', was ? 'true' : 'false'],
    ]);
    expect(res.status()).toBe(200);
  }
  for (const ctx of w.clients.values()) await ctx.dispose();
});

test('every action (as action call and as form post) and every route that takes a body has a fuzz target', () => {
  const actions = actionNames();
  expect(actions.length).toBeGreaterThan(5);
  for (const action of actions) {
    const ways = w.targets
      .filter((t) => t.action === action)
      .map((t) => (t.route === '/_actions/[...path]' ? 'call' : 'form'));
    expect(ways.sort(), `fuzz targets for ${action}`).toEqual(['call', 'form']);
  }
  const routes = new Set(w.targets.map((t) => t.route));
  expect(
    postRoutes().filter((r) => !routes.has(r)),
    'routes that read a body but are not fuzzed',
  ).toEqual([]);
});

test('every action and form endpoint answers hostile input with 2xx/3xx or a readable 4xx, and refusals write nothing', async () => {
  test.setTimeout(300_000);
  const failures: string[] = [];
  for (const [i, target] of w.targets.entries()) {
    const ctx = w.clients.get(target.who)!;
    // Sign-in failures count against this machine's address: make them in the past, so their throttling window is
    // long over when the other specs sign in.
    if (target.name === 'sign-in form') await setClock(ctx, -YEAR);
    try {
      await fc.assert(
        fc.asyncProperty(bodyFor(target.fields), async (body) => {
          const { headers, data } = encode(body);
          const before = await tableCounts();
          const res = await ctx.fetch(target.url, {
            method: 'POST',
            headers: { accept: 'application/json, text/html', ...headers },
            data,
            maxRedirects: 0,
          });
          await check(res, `${target.name} ${body.kind} ${JSON.stringify(body).slice(0, 300)}`, before, target);
        }),
        { numRuns: RUNS, seed: SEED + i, endOnFailure: true },
      );
    } catch (e) {
      // Every endpoint gets its turn; the failures are reported together.
      failures.push(`${target.name}: ${String((e as Error).cause ?? e).slice(0, 1500)}`);
    } finally {
      if (target.name === 'sign-in form' || target.name === 'test clock') await setClock(w.clients.get('anon')!, 0);
    }
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
});
