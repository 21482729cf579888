/**
 * `npm run db:seed -- --large [--learners N] [--reset]`: a large generated organization for the scale checks in
 * `npm run bench` — by default 10,000 reps in 500 teams of 20 (each team with a manager), about 100 quiz attempts
 * per rep (~1,000,000) with their answers and per-standard results, role-play runs with their steps, certificates
 * with renewals and the odd revocation, onboarding, renewal and manual assignments, and the last three months of
 * quality evaluations (2 submitted phone evaluations a month per rep, by their manager, with every item scored).
 *
 * The records follow the real content and the real rules: questions are drawn and graded by the quiz engine's pure
 * core, role-plays are walked with the traversal functions, so reports read the data as they would read real use.
 * Spread: hire dates over four years (5% in the last month), a per-person ability, a per-question difficulty and a
 * small practice effect, attempts spread from hire date to now; the last attempt is sometimes still open or expired.
 *
 * Speed: rows are generated in JS for a batch of people, then written with multi-row INSERT … VALUES statements of
 * a fixed chunk size (one SQL text per table, so every full chunk is the same statement) inside one write
 * transaction per batch, on a single connection with a large page cache. On a libSQL server a batch is split into
 * transactions of at most SERVER_TRANSACTION_MS (it is a test database: a failure mid-way means starting again).
 */
import { randomInt } from 'node:crypto';
import { createClient, type Client, type InValue } from '@libsql/client';
import { fastId, Rows, TimeBoundedWriter } from './bulk-insert';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { databaseUrl, isEmbeddedUrl, migrateDb } from '../../../db/client';
import * as schema from '../../../db/schema';
import type { Quiz, Roleplay, Track } from '../../features/content/schema';
import { loadContent } from '../../features/content/load';
import { moduleVersions } from '../../features/content/version';
import {
  evaluationScore,
  monthOfDate,
  scorecardItems,
  type ItemValue,
  type QualityItemView,
} from '../../features/quality/quality';
import { seededRandom } from '../../lib/random';
import { drawQuestions, gradeAttempt, type Answers, type FrozenQuestion } from '../../features/quiz/quiz';
import { applyChoice, initialPosition, type RunPosition } from '../../features/roleplay/roleplay';
import { newRunSecrets } from '../../features/roleplay/reply-tokens.server';
import { now } from '../../lib/server/clock';
import { randomToken, sha256Hex } from '../../lib/server/ids';
import { hashPassword } from '../../lib/server/password';

const DAY = 86_400_000;
const TEAM_SIZE = 20;
const PEOPLE_PER_BATCH = 250;
/** Well inside sqld's 5-second limit on a write transaction that someone waits for. */
const SERVER_TRANSACTION_MS = 1000;
const BIG_TABLES = ['quiz_attempt', 'quiz_answer', 'standard_result', 'roleplay_run', 'roleplay_step'];

export interface LargeSeedOptions {
  learners: number;
  /** Everyone's password (one argon2 hash is shared: hashing is the slow part). */
  password: string;
  /** Average quiz attempts per rep (managers make a quarter of that on the manager quizzes). */
  attemptsPerLearner?: number;
  /** Empty every table first; otherwise the database must hold no organization. */
  reset?: boolean;
  log?: (line: string) => void;
}

export interface LargeSeedResult {
  ms: number;
  rows: Record<string, number>;
  /** Sign-ins that exist in every generated organization (all share the demo password). */
  logins: { admin: string; trainer: string; manager: string; learner: string };
}

function tables() {
  return {
    organization: new Rows('organization', ['id', 'name', 'created_at']),
    team: new Rows('team', ['id', 'organization_id', 'name', 'created_at']),
    user: new Rows('user', [
      'id',
      'organization_id',
      'email',
      'name',
      'password_hash',
      'role',
      'job',
      'hire_date',
      'active',
      'created_at',
    ]),
    membership: new Rows('membership', ['user_id', 'team_id', 'kind', 'created_at']),
    quiz_attempt: new Rows('quiz_attempt', [
      'id',
      'user_id',
      'quiz_id',
      'module_id',
      'mode',
      'content_version',
      'seed',
      'questions',
      'started_at',
      'deadline_at',
      'submitted_at',
      'status',
      'score',
      'passed',
    ]),
    quiz_answer: new Rows('quiz_answer', ['attempt_id', 'question_id', 'chosen', 'correct', 'standards']),
    standard_result: new Rows('standard_result', ['id', 'user_id', 'standard_id', 'source', 'source_id', 'ok', 'at']),
    roleplay_run: new Rows('roleplay_run', [
      'id',
      'user_id',
      'roleplay_id',
      'content_version',
      'status',
      'node_id',
      'state',
      'step',
      'seed',
      'reply_key',
      'ending_id',
      'score',
      'started_at',
      'ended_at',
    ]),
    roleplay_step: new Rows('roleplay_step', ['run_id', 'step', 'node_id', 'choice_id', 'state_after', 'at']),
    certificate: new Rows('certificate', [
      'id',
      'code',
      'user_id',
      'track_id',
      'issued_at',
      'expires_at',
      'replaces_id',
      'module_versions',
      'revoked_at',
      'revoked_by',
      'revoke_reason',
    ]),
    certification_event: new Rows('certification_event', [
      'id',
      'user_id',
      'track_id',
      'certificate_id',
      'kind',
      'detail',
      'at',
    ]),
    quality_evaluation: new Rows('quality_evaluation', [
      'id',
      'organization_id',
      'rep_id',
      'team_id',
      'evaluator_id',
      'kind',
      'scorecard_id',
      'channel',
      'contact_date',
      'month',
      'reference',
      'status',
      'score',
      'created_at',
      'updated_at',
      'submitted_at',
      'acknowledged_at',
    ]),
    quality_score: new Rows('quality_score', ['evaluation_id', 'item_key', 'standard_id', 'value']),
    assignment: new Rows('assignment', [
      'id',
      'user_id',
      'track_id',
      'due_at',
      'mandatory',
      'kind',
      'certificate_id',
      'assigned_by',
      'created_at',
      'completed_at',
    ]),
  };
}
type Tables = ReturnType<typeof tables>;

/** What the generators (this one and the demo's history in history.ts) need from content/, per audience. */
export interface Catalog {
  quizzes: Record<'rep' | 'manager', Quiz[]>;
  roleplays: Record<'rep' | 'manager', Roleplay[]>;
  tracks: Record<'rep' | 'manager', Track[]>;
  moduleVersion: Map<string, string>;
  roleplayVersion: Map<string, string>;
  /** The phone scorecard and its items (what generated floor evaluations score), if content has one. */
  phone: { id: string; items: QualityItemView[] } | undefined;
}

export async function loadCatalog(): Promise<Catalog> {
  const content = await loadContent('content');
  const audienceOf = (moduleId: string) => content.modules.get(moduleId)?.data?.audience;
  const valid = <T>(m: Map<string, { data: T | undefined }>) =>
    [...m.values()].flatMap((e) => (e.data ? [e.data] : []));
  const quizzes = valid(content.quizzes);
  const roleplays = valid(content.roleplays);
  const tracks = valid(content.tracks);
  const by = <T>(items: T[], audience: (t: T) => string | undefined) => ({
    rep: items.filter((t) => audience(t) === 'rep'),
    manager: items.filter((t) => audience(t) === 'manager'),
  });
  // A job works on what its tracks cover as well as what is written for it: the manager track holds the frontline
  // modules (train-managers-too), so managers take the rep quizzes and role-plays of those modules too.
  const covered = (job: 'rep' | 'manager') =>
    new Set(tracks.filter((t) => t.audience === job).flatMap((t) => t.modules));
  const forJob = <T extends { module: string }>(items: T[], audience: (t: T) => string | undefined) => ({
    rep: items.filter((t) => audience(t) === 'rep' || covered('rep').has(t.module)),
    manager: items.filter((t) => audience(t) === 'manager' || covered('manager').has(t.module)),
  });
  return {
    quizzes: forJob(quizzes, (q) => audienceOf(q.module)),
    roleplays: forJob(roleplays, (r) => r.audience),
    tracks: by(tracks, (t) => t.audience),
    moduleVersion: moduleVersions(content),
    // The same hash roleplay.server.ts stores, so generated runs are not closed as "content changed".
    roleplayVersion: new Map(roleplays.map((r) => [r.id, sha256Hex(JSON.stringify(r)).slice(0, 16)])),
    phone: ((card) =>
      card && { id: card.id, items: scorecardItems(card, new Map(valid(content.standards).map((s) => [s.id, s]))) })(
      valid(content.scorecards).find((c) => c.channel === 'phone'),
    ),
  };
}

interface Person {
  id: string;
  job: 'rep' | 'manager';
  hiredAt: number;
  /** 0–1: how often this person gets a question right before practice. */
  ability: number;
  attempts: number;
  runs: number;
}

const difficulties = new Map<string, number>();
/** Per-question difficulty from its id: a fixed offset in [-0.25, 0.1]. */
function difficulty(quizId: string, questionId: string): number {
  const key = `${quizId}/${questionId}`;
  let d = difficulties.get(key);
  if (d === undefined) {
    d = -0.25 + 0.35 * seededRandom(Number.parseInt(sha256Hex(key).slice(0, 8), 16))();
    difficulties.set(key, d);
  }
  return d;
}

/** A plausible answer (as positions in the shown order) that is right with probability `p`. */
export function answerFor(quiz: Quiz, f: FrozenQuestion, p: number, random: () => number): number[] {
  const q = quiz.questions.find((x) => x.id === f.id)!;
  const pos = (ids: string[]) => ids.map((id) => f.options.indexOf(id));
  if (random() < 0.01) return [];
  const right = random() < p;
  if (q.kind === 'ordering') {
    const key = q.options.map((o) => o.id);
    if (right) return pos(key);
    const i = Math.floor(random() * (key.length - 1));
    [key[i], key[i + 1]] = [key[i + 1]!, key[i]!];
    return pos(key);
  }
  const key = q.options.filter((o) => o.correct).map((o) => o.id);
  const wrong = q.options.filter((o) => !o.correct).map((o) => o.id);
  if (right) return pos(key);
  const w = wrong[Math.floor(random() * wrong.length)]!;
  if (q.kind === 'multiple') return pos(random() < 0.5 && key.length > 1 ? key.slice(1) : [...key, w]);
  return pos([w]);
}

function simulateQuizzes(t: Tables, c: Catalog, person: Person, at: number, random: () => number): Map<string, number> {
  const quizzes = c.quizzes[person.job];
  const firstPass = new Map<string, number>();
  if (quizzes.length === 0) return firstPass;
  const times = Array.from(
    { length: person.attempts },
    () => person.hiredAt + random() * (at - person.hiredAt - DAY),
  ).sort((a, b) => a - b);
  const tries = new Map<string, number>();
  times.forEach((startedAt, i) => {
    const quiz = quizzes[Math.floor(random() * quizzes.length)]!;
    const seed = Math.floor(random() * 2 ** 31);
    const frozen = drawQuestions(quiz, seed);
    const n = tries.get(quiz.id) ?? 0;
    tries.set(quiz.id, n + 1);
    const id = fastId();
    const last = i === times.length - 1;
    const status = last && random() < 0.1 ? 'open' : random() < 0.02 ? 'expired' : 'submitted';
    const start = status === 'open' ? at - 5 * 60_000 : Math.round(startedAt);
    const deadline = quiz.timeLimitMinutes ? start + quiz.timeLimitMinutes * 60_000 : null;
    const base = [
      id,
      person.id,
      quiz.id,
      quiz.module,
      quiz.mode,
      c.moduleVersion.get(quiz.module) ?? '',
      seed,
      JSON.stringify(frozen),
      start,
      deadline,
    ] as InValue[];
    if (status !== 'submitted') {
      t.quiz_attempt.add(...base, null, status, null, null);
      return;
    }
    const p = Math.min(0.99, Math.max(0.05, person.ability + Math.min(0.15, 0.05 * n)));
    const answers: Answers = {};
    for (const f of frozen)
      answers[f.id] = answerFor(quiz, f, Math.min(0.99, Math.max(0.05, p + difficulty(quiz.id, f.id))), random);
    const grade = gradeAttempt(quiz, frozen, answers);
    const submittedAt = start + Math.round((2 + random() * 15) * 60_000);
    t.quiz_attempt.add(...base, submittedAt, 'submitted', grade.score, grade.passed ? 1 : 0);
    for (const g of grade.questions) {
      t.quiz_answer.add(id, g.id, JSON.stringify(g.chosen), g.correct ? 1 : 0, JSON.stringify(g.standards));
      if (g.chosen.length === 0) continue;
      for (const s of g.standards)
        t.standard_result.add(fastId(), person.id, s, 'quiz', id, g.correct ? 1 : 0, submittedAt);
    }
    if (grade.passed && !firstPass.has(quiz.id)) firstPass.set(quiz.id, submittedAt);
  });
  return firstPass;
}

/** Role-play runs: the better reply with probability `ability`, else any; best score per role-play returned. */
function simulateRuns(
  t: Tables,
  c: Catalog,
  person: Person,
  at: number,
  random: () => number,
): Map<string, { score: number; at: number }[]> {
  const ended = new Map<string, { score: number; at: number }[]>();
  // A learner has at most one open run per role-play: another unfinished one was abandoned.
  const open = new Set<string>();
  const roleplays = c.roleplays[person.job];
  if (roleplays.length === 0) return ended;
  for (let r = 0; r < person.runs; r++) {
    const rp = roleplays[Math.floor(random() * roleplays.length)]!;
    const id = fastId();
    const startedAt = Math.round(person.hiredAt + random() * (at - person.hiredAt - DAY));
    let pos: RunPosition = initialPosition(rp);
    let step = 0;
    let time = startedAt;
    const standards: [string, boolean][] = [];
    let ending: { id: string; score: number } | undefined;
    const abandonAfter = random() < 0.08 ? 1 + Math.floor(random() * 3) : Infinity;
    while (!ending && step < 40 && step < abandonAfter) {
      const choices = rp.nodes[pos.nodeId]!.choices;
      const best = choices.find((ch) => ch.best);
      const choice = best && random() < person.ability ? best : choices[Math.floor(random() * choices.length)]!;
      const out = applyChoice(rp, pos, choice.id);
      if (!out.ok) break;
      time += Math.round(20_000 + random() * 60_000);
      t.roleplay_step.add(id, step, pos.nodeId, choice.id, JSON.stringify(out.state), time);
      for (const s of choice.honours) standards.push([s, true]);
      for (const s of choice.breaks) standards.push([s, false]);
      step++;
      if (out.next.kind === 'ending') ending = { id: out.next.id, score: out.next.ending.score };
      else pos = { nodeId: out.next.id, state: out.state };
    }
    const state = JSON.stringify(pos.state);
    const version = c.roleplayVersion.get(rp.id)!;
    const { seed, replyKey } = newRunSecrets(randomInt(0, 2 ** 32));
    if (!ending) {
      const status = open.has(rp.id) ? 'abandoned' : 'open';
      open.add(rp.id);
      t.roleplay_run.add(
        id,
        person.id,
        rp.id,
        version,
        status,
        pos.nodeId,
        state,
        step,
        seed,
        replyKey,
        null,
        null,
        startedAt,
        status === 'open' ? null : time,
      );
      continue;
    }
    t.roleplay_run.add(
      id,
      person.id,
      rp.id,
      version,
      'ended',
      pos.nodeId,
      state,
      step,
      seed,
      replyKey,
      ending.id,
      ending.score,
      startedAt,
      time,
    );
    for (const [s, ok] of standards) t.standard_result.add(fastId(), person.id, s, 'roleplay', id, ok ? 1 : 0, time);
    ended.set(rp.id, [...(ended.get(rp.id) ?? []), { score: ending.score, at: time }]);
  }
  return ended;
}

function addMonths(t: number, months: number): number {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

interface Ctx {
  t: Tables;
  c: Catalog;
  at: number;
  adminId: string;
  random: () => number;
}

/**
 * Certificates for each track whose every requirement was met (issued when the last one was), renewed near expiry
 * by most people, the odd one revoked; with the onboarding and renewal assignments they answer. Every track is
 * decided, as the real rules do: a manager who has done the frontline part of the manager track holds the frontline
 * certificate too.
 */
function certify(
  x: Ctx,
  person: Person,
  passes: Map<string, number>,
  runs: Map<string, { score: number; at: number }[]>,
): void {
  const { t, c, at, random } = x;
  for (const track of [...c.tracks.rep, ...c.tracks.manager]) {
    const met = track.requires.map((req) => {
      if ('quiz' in req) return passes.get(req.quiz);
      // Generated histories make no calibration exercise attempts, so a track that requires one is never met here.
      if ('exercise' in req) return undefined;
      const rp = c.roleplays[person.job].find((r) => r.id === req.roleplay);
      const min = req.minScore ?? rp?.passScore ?? 101;
      return (runs.get(req.roleplay) ?? []).filter((r) => r.score >= min).sort((a, b) => a.at - b.at)[0]?.at;
    });
    const certifiedAt = met.every((m) => m !== undefined) ? Math.max(...(met as number[])) : undefined;
    const versions = JSON.stringify(Object.fromEntries(track.modules.map((m) => [m, c.moduleVersion.get(m) ?? ''])));
    let firstIssued: number | undefined;
    let previous: { id: string; expiresAt: number } | undefined;
    let issuedAt = certifiedAt;
    while (issuedAt !== undefined && issuedAt <= at) {
      const id = fastId();
      const expiresAt = addMonths(issuedAt, track.validityMonths);
      const revoked = random() < 0.003;
      t.certificate.add(
        id,
        randomToken(20),
        person.id,
        track.id,
        issuedAt,
        expiresAt,
        previous?.id ?? null,
        versions,
        revoked ? issuedAt + DAY : null,
        revoked ? x.adminId : null,
        revoked ? 'Issued in error' : null,
      );
      t.certification_event.add(fastId(), person.id, track.id, id, previous ? 'renewed' : 'issued', null, issuedAt);
      if (revoked)
        t.certification_event.add(
          fastId(),
          person.id,
          track.id,
          id,
          'revoked',
          JSON.stringify({ reason: 'Issued in error' }),
          issuedAt + DAY,
        );
      if (previous)
        t.assignment.add(
          fastId(),
          person.id,
          track.id,
          previous.expiresAt,
          1,
          'renewal',
          previous.id,
          null,
          previous.expiresAt - 30 * DAY,
          issuedAt,
        );
      firstIssued ??= issuedAt;
      previous = { id, expiresAt };
      if (revoked) break;
      issuedAt = random() < 0.85 ? expiresAt - Math.round(random() * 25 * DAY) : undefined;
    }
    // A renewal notice that is still open: the certificate expires within 30 days (or has) and was not renewed.
    if (previous && previous.expiresAt - 30 * DAY <= at && (issuedAt === undefined || issuedAt > at)) {
      t.assignment.add(
        fastId(),
        person.id,
        track.id,
        previous.expiresAt,
        1,
        'renewal',
        previous.id,
        null,
        previous.expiresAt - 30 * DAY,
        null,
      );
    }
    if (track.mandatory && track.audience === person.job) {
      t.assignment.add(
        fastId(),
        person.id,
        track.id,
        person.hiredAt + track.dueDays * DAY,
        1,
        'onboarding',
        null,
        null,
        person.hiredAt,
        firstIssued ?? null,
      );
    }
  }
}

/** Every tenth team's manager assigned a track (the first recommended one, else a refresher of the first) to the team. */
function manualTrack(c: Catalog): Track | undefined {
  return c.tracks.rep.find((tr) => !tr.mandatory) ?? c.tracks.rep[0];
}

function addPerson(
  x: Ctx,
  person: Person,
  org: string,
  teamId: string,
  email: string,
  name: string,
  passwordHash: string,
): void {
  const { t } = x;
  const role = person.job === 'manager' ? 'manager' : 'learner';
  const hireDate = new Date(person.hiredAt).toISOString().slice(0, 10);
  t.user.add(person.id, org, email, name, passwordHash, role, person.job, hireDate, 1, person.hiredAt);
  t.membership.add(person.id, teamId, person.job === 'manager' ? 'manager' : 'member', person.hiredAt);
  const passes = simulateQuizzes(t, x.c, person, x.at, x.random);
  const runs = simulateRuns(t, x.c, person, x.at, x.random);
  certify(x, person, passes, runs);
}

/** Generated floor evaluations: the curriculum samples 10 contacts per rep a month; 2 a month for 3 months keeps generation quick. */
const EVALUATED_MONTHS = 3;
const EVALUATIONS_PER_MONTH = 2;

/** A rep's last months of submitted phone evaluations by their manager; each item met about as often as their quizzes. */
function evaluate(x: Ctx, rep: Person, org: string, teamId: string, evaluatorId: string): void {
  const { t, c, at, random } = x;
  if (!c.phone) return;
  const { id: scorecardId, items } = c.phone;
  for (let back = EVALUATED_MONTHS - 1; back >= 0; back--) {
    const monthStart = new Date(addMonths(at, -back));
    for (let n = 0; n < EVALUATIONS_PER_MONTH; n++) {
      const day = new Date(
        Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth(), 1 + Math.floor(random() * 27)),
      );
      const time = Math.min(at, day.getTime() + 14 * 3_600_000);
      if (time < rep.hiredAt) continue;
      const date = day.toISOString().slice(0, 10);
      const values = items.map((item) => {
        const roll = random();
        if (roll < 0.1) return 'na';
        const met = roll < 0.1 + 0.9 * Math.min(0.98, rep.ability + 0.15);
        return item.scale === 'scale'
          ? met
            ? String(4 + Math.floor(random() * 2))
            : String(1 + Math.floor(random() * 3))
          : met
            ? 'yes'
            : 'no';
      }) as ItemValue[];
      const id = fastId();
      t.quality_evaluation.add(
        id,
        org,
        rep.id,
        teamId,
        evaluatorId,
        'floor',
        scorecardId,
        'phone',
        date,
        monthOfDate(date),
        `CALL-${id.slice(0, 8)}`,
        'submitted',
        evaluationScore(values) ?? null,
        time,
        time,
        time,
        random() < 0.7 ? time + DAY : null,
      );
      items.forEach((item, i) => t.quality_score.add(id, item.key, item.standardId, values[i]!));
    }
  }
}

const firstNames = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Iris',
  'Jonas',
  'Kemi',
  'Luca',
  'Maya',
  'Nils',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
];
const lastNames = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Mensah',
  'Novak',
  'Okafor',
  'Patel',
  'Rossi',
  'Silva',
  'Tanaka',
  'Weber',
];

/** A connection of our own, so the large page cache stays warm from batch to batch; refuses a non-empty database. */
async function openEmpty(reset: boolean): Promise<Client> {
  const client = createClient({ url: databaseUrl(), concurrency: 1 });
  if (isEmbeddedUrl(databaseUrl())) {
    // This connection only (a server neither accepts these nor keeps them between requests): the generator writes
    // parents before children (tests/unit/cli/seed/large.test.ts runs PRAGMA foreign_key_check on its output), and
    // a crash mid-way leaves a test database to throw away anyway.
    await client.execute('PRAGMA cache_size = -262144');
    await client.execute('PRAGMA foreign_keys = OFF');
    await client.execute('PRAGMA synchronous = OFF');
  }
  if (reset) {
    const names = Object.values(schema).flatMap((table) => (is(table, SQLiteTable) ? [getTableName(table)] : []));
    // Foreign keys (on for a server) are checked at commit, so the tables can be emptied in any order.
    await client.batch(['PRAGMA defer_foreign_keys = ON', ...names.map((n) => `DELETE FROM "${n}"`)], 'write');
  }
  const found = await client.execute('SELECT (SELECT count(*) FROM organization) + (SELECT count(*) FROM user) AS n');
  if (Number(found.rows[0]!.n) > 0) {
    client.close();
    throw new Error(`${databaseUrl()} already has data; add --reset to replace it with the large organization.`);
  }
  return client;
}

/**
 * Runs `fill` with the big tables' secondary indexes dropped, then builds them again (also when `fill` fails): one
 * sorted build is far cheaper than millions of inserts at random places in each index.
 */
async function withoutIndexes(client: Client, fill: () => Promise<void>): Promise<void> {
  const list = BIG_TABLES.map((n) => `'${n}'`).join(',');
  const { rows } = await client.execute(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list})`,
  );
  for (const row of rows) await client.execute(`DROP INDEX "${String(row.name)}"`);
  try {
    await fill();
  } finally {
    for (const row of rows) await client.execute(String(row.sql));
  }
}

/** Attempt counts are tenure-weighted and uneven, then scaled so that the average is `mean`. */
function makePeople(n: number, job: Person['job'], mean: number, at: number, random: () => number): Person[] {
  const people = Array.from({ length: n }, (): Person => {
    const hiredAt = at - Math.round((random() < 0.05 ? random() * 30 : 30 + random() * 1430) * DAY);
    const tenure = Math.min(1, (at - hiredAt) / (365 * DAY));
    const ability = 0.45 + 0.5 * Math.sqrt(random());
    return {
      id: fastId(),
      job,
      hiredAt,
      ability,
      attempts: (0.2 + tenure) * (0.4 + 1.2 * random()),
      runs: Math.floor(random() * 11),
    };
  });
  const sum = people.reduce((s, p) => s + p.attempts, 0);
  for (const p of people) p.attempts = Math.max(1, Math.round((p.attempts * mean * n) / sum));
  return people;
}

/** Generates the organization into DATABASE_URL (already migrated). */
export async function seedLarge(options: LargeSeedOptions): Promise<LargeSeedResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const learners = options.learners;
  const catalog = await loadCatalog();
  if (catalog.quizzes.rep.length === 0) throw new Error('content/ has no valid rep quizzes to generate attempts from.');
  const passwordHash = await hashPassword(options.password);
  const client = await openEmpty(options.reset ?? false);
  const random = seededRandom(20_260_101);
  const at = now();
  const t = tables();
  const x: Ctx = { t, c: catalog, at, adminId: fastId(), random };
  const org = fastId();
  const teamIds = Array.from({ length: Math.ceil(learners / TEAM_SIZE) }, () => fastId());
  const manual = manualTrack(catalog);
  const reps = makePeople(learners, 'rep', options.attemptsPerLearner ?? 100, at, random);
  const managers = makePeople(teamIds.length, 'manager', (options.attemptsPerLearner ?? 100) / 4, at, random);
  // One transaction per batch of people on the embedded file; on a server, transactions of at most a second.
  const budget = isEmbeddedUrl(databaseUrl()) ? Infinity : SERVER_TRANSACTION_MS;
  const write = async () => {
    const tx = new TimeBoundedWriter(client, budget);
    try {
      for (const rows of Object.values(t)) await rows.flush(tx);
      await tx.commit();
    } finally {
      tx.close();
    }
  };

  try {
    await withoutIndexes(client, async () => {
      const long = at - 1500 * DAY;
      t.organization.add(org, 'Large Generated Org', long);
      t.user.add(x.adminId, org, 'admin@large.test', 'Ada Admin', passwordHash, 'admin', null, null, 1, long);
      t.user.add(fastId(), org, 'trainer@large.test', 'Theo Trainer', passwordHash, 'trainer', null, null, 1, long);
      teamIds.forEach((id, i) => t.team.add(id, org, `Team ${String(i + 1).padStart(3, '0')}`, long));
      managers.forEach((m, i) =>
        addPerson(
          x,
          m,
          org,
          teamIds[i]!,
          `manager${i + 1}@large.test`,
          `${firstNames[i % 20]} ${lastNames[(i * 7) % 20]}`,
          passwordHash,
        ),
      );
      await write();
      for (let from = 0; from < learners; from += PEOPLE_PER_BATCH) {
        for (let i = from; i < Math.min(learners, from + PEOPLE_PER_BATCH); i++) {
          const team = i % teamIds.length;
          addPerson(
            x,
            reps[i]!,
            org,
            teamIds[team]!,
            `rep${i + 1}@large.test`,
            `${firstNames[i % 20]} ${lastNames[Math.floor(i / 20) % 20]}`,
            passwordHash,
          );
          evaluate(x, reps[i]!, org, teamIds[team]!, managers[team]!.id);
          if (manual && team % 10 === 3) {
            t.assignment.add(
              fastId(),
              reps[i]!.id,
              manual.id,
              at + 21 * DAY,
              0,
              'manual',
              null,
              managers[team]!.id,
              at - 7 * DAY,
              null,
            );
          }
        }
        await write();
        log(
          `  ${Math.min(learners, from + PEOPLE_PER_BATCH)}/${learners} learners, ${t.quiz_attempt.written} attempts (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
      log(`  building indexes…`);
    });
    if (isEmbeddedUrl(databaseUrl())) await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    client.close();
  }
  return {
    ms: performance.now() - started,
    rows: Object.fromEntries(Object.entries(t).map(([name, rows]) => [name, rows.written])),
    logins: {
      admin: 'admin@large.test',
      trainer: 'trainer@large.test',
      manager: 'manager1@large.test',
      learner: 'rep1@large.test',
    },
  };
}

/** `npm run db:seed -- --large [--learners N] [--reset]`; returns the exit code. */
export async function seedLargeCli(args: string[], password: string): Promise<number> {
  const at = args.indexOf('--learners');
  const learners = at >= 0 ? Number(args[at + 1]) : 10_000;
  const known = args.filter((a, i) => a === '--large' || a === '--reset' || (at >= 0 && (i === at || i === at + 1)));
  if (known.length !== args.length || !Number.isInteger(learners) || learners < 1) {
    console.error(`Invalid options "${args.join(' ')}". Usage: npm run db:seed -- --large [--learners N] [--reset]`);
    return 2;
  }
  await migrateDb();
  console.log(`Generating an organization of ${learners} learners into ${databaseUrl()}…`);
  const out = await seedLarge({
    learners,
    password,
    reset: args.includes('--reset'),
    log: (line) => console.log(line),
  }).catch((e: Error) => e);
  if (out instanceof Error) {
    console.error(out.message);
    return 1;
  }
  for (const [table, n] of Object.entries(out.rows)) console.log(`  ${table.padEnd(20)} ${n.toLocaleString('en')}`);
  console.log(
    `Done in ${(out.ms / 1000).toFixed(1)} s. Sign-ins (password ${password}): ${Object.values(out.logins).join(', ')}`,
  );
  return 0;
}
