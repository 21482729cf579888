/**
 * Submission load for the reliability tests and the bench: learners, each with a session (created by the real
 * session code) and open attempts on the real rep quizzes (drawn by the quiz engine, distinct quizzes per learner,
 * as the attempt policy allows), and for each attempt the multipart body the quiz island posts to `quiz.submit`.
 *
 * Works on DATABASE_URL in the calling process (migrate it first); the server is a separate process that reads the
 * same file. Content comes from content/, which must be what the server was built from (versions must agree).
 */
import type { InValue } from '@libsql/client';
import { fastId, Rows } from '../../src/cli/seed/bulk-insert';
import { getClient } from '../../db/client';
import type { Quiz } from '../../src/features/content/schema';
import { loadContent } from '../../src/features/content/load';
import { moduleVersions } from '../../src/features/content/version';
import { seededRandom } from '../../src/lib/random';
import { drawQuestions, gradeAttempt, type Answers } from '../../src/features/quiz/quiz';
import { createSession, generateSessionToken } from '../../src/lib/server/session';
import { hashPassword } from '../../src/lib/server/password';

export const SUBMIT_PATH = '/_actions/quiz.submit';

export interface PreparedSubmission {
  attemptId: string;
  userId: string;
  /** Session cookie value (cookie name `session`: the servers run with INSECURE_COOKIES=1). */
  token: string;
  contentType: string;
  body: string;
  /** What the server must store: one quiz_answer per question, one standard_result per standard tag. */
  expected: {
    score: number;
    answers: { questionId: string; chosen: string[]; correct: boolean; standards: string[] }[];
  };
}

export async function repQuizzes(): Promise<{ quizzes: Quiz[]; versions: Map<string, string> }> {
  const content = await loadContent('content');
  const quizzes = [...content.quizzes.values()]
    .flatMap((e) => (e.data ? [e.data] : []))
    .filter((q) => content.modules.get(q.module)?.data?.audience === 'rep')
    .sort((a, b) => a.id.localeCompare(b.id));
  return { quizzes, versions: moduleVersions(content) };
}

/** A new organization with `n` reps in teams of 20 (and no history); returns their user ids. */
export async function createLearners(n: number, label = 'load'): Promise<string[]> {
  const hash = await hashPassword(`${label}-unused-password`);
  const at = Date.now();
  const org = fastId();
  const teams = Array.from({ length: Math.ceil(n / 20) }, () => fastId());
  const users = Array.from({ length: n }, () => fastId());
  const organization = new Rows('organization', ['id', 'name', 'created_at']);
  const team = new Rows('team', ['id', 'organization_id', 'name', 'created_at']);
  const user = new Rows('user', [
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
  ]);
  const membership = new Rows('membership', ['user_id', 'team_id', 'kind', 'created_at']);
  organization.add(org, `${label} org ${org.slice(0, 6)}`, at);
  teams.forEach((id, i) => team.add(id, org, `${label} team ${i + 1}`, at));
  users.forEach((id, i) => {
    user.add(
      id,
      org,
      `${label}-${org.slice(0, 6)}-${i}@load.test`,
      `Load Learner ${i + 1}`,
      hash,
      'learner',
      'rep',
      '2025-01-01',
      1,
      at,
    );
    membership.add(id, teams[Math.floor(i / 20)]!, 'member', at);
  });
  const tx = await getClient().transaction('write');
  try {
    for (const rows of [organization, team, user, membership]) await rows.flush(tx);
    await tx.commit();
  } finally {
    tx.close();
  }
  return users;
}

/** Multipart/form-data exactly as a browser encodes the island's FormData. */
function multipart(fields: [string, string][]): { contentType: string; body: string } {
  const boundary = `----FrontlineBench${fastId()}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n` };
}

/**
 * For each user: one session and `perUser` open attempts (distinct quizzes), with bodies answering about 70% of
 * questions right. Returned in an interleaved order (user 1 quiz 1, user 2 quiz 1, …) so concurrent requests hit
 * different learners.
 */
export async function openAttempts(userIds: string[], perUser: number, seed = 1): Promise<PreparedSubmission[]> {
  const { quizzes, versions } = await repQuizzes();
  if (perUser > quizzes.length)
    throw new Error(`only ${quizzes.length} rep quizzes: at most that many open attempts per learner`);
  const random = seededRandom(seed);
  const at = Date.now();
  const attempts = new Rows('quiz_attempt', [
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
  ]);
  const out: PreparedSubmission[][] = Array.from({ length: perUser }, () => []);
  for (const userId of userIds) {
    const token = generateSessionToken();
    await createSession(token, userId, { userAgent: 'frontline-load' });
    const offset = Math.floor(random() * quizzes.length);
    for (let k = 0; k < perUser; k++) {
      const quiz = quizzes[(offset + k) % quizzes.length]!;
      const qseed = Math.floor(random() * 2 ** 31);
      const frozen = drawQuestions(quiz, qseed);
      const id = fastId();
      const deadline = quiz.timeLimitMinutes ? at + quiz.timeLimitMinutes * 60_000 : null;
      attempts.add(
        ...([
          id,
          userId,
          quiz.id,
          quiz.module,
          quiz.mode,
          versions.get(quiz.module)!,
          qseed,
          JSON.stringify(frozen),
          at,
          deadline,
          null,
          'open',
          null,
          null,
        ] as InValue[]),
      );
      const answers: Answers = {};
      const fields: [string, string][] = [['attempt', id]];
      for (const f of frozen) {
        const q = quiz.questions.find((x) => x.id === f.id)!;
        const right =
          q.kind === 'ordering' ? q.options.map((o) => o.id) : q.options.filter((o) => o.correct).map((o) => o.id);
        // Wrong: the order as shown (never the right one) or one wrong option.
        const wrong = q.kind === 'ordering' ? f.options : [f.options.find((o) => !right.includes(o)) ?? f.options[0]!];
        const chosen = random() < 0.7 ? right : wrong;
        answers[f.id] = chosen.map((o) => f.options.indexOf(o));
        for (const p of answers[f.id]!) fields.push([`q.${f.id}`, String(p)]);
      }
      const grade = gradeAttempt(quiz, frozen, answers);
      out[k]!.push({
        attemptId: id,
        userId,
        token,
        ...multipart(fields),
        expected: {
          score: grade.score,
          answers: grade.questions.map((g) => ({
            questionId: g.id,
            chosen: g.chosen,
            correct: g.correct,
            standards: g.standards,
          })),
        },
      });
    }
  }
  const tx = await getClient().transaction('write');
  try {
    await attempts.flush(tx);
    await tx.commit();
  } finally {
    tx.close();
  }
  return out.flat();
}

/** The request a browser makes for one submission (the island's `actions.quiz.submit(form)`). */
export function submitRequest(baseUrl: string, s: PreparedSubmission): RequestInit & { url: string } {
  return {
    url: `${baseUrl}${SUBMIT_PATH}`,
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': s.contentType,
      cookie: `session=${s.token}`,
      origin: baseUrl,
    },
    body: s.body,
  };
}

export type Outcome = { attemptId: string; status: number; body: string } | { attemptId: string; error: string };

/**
 * Posts every submission with at most `concurrency` in flight, round-robin over `baseUrls` (several app processes).
 * A request that fails at the network level (server gone) is recorded as an error, not thrown. `onOutcome` can
 * stop the run early by returning false (requests already sent still settle).
 */
export async function submitAll(
  baseUrls: string[],
  subs: PreparedSubmission[],
  concurrency: number,
  onOutcome?: (o: Outcome, done: Outcome[]) => boolean | void,
): Promise<Outcome[]> {
  const done: Outcome[] = [];
  let next = 0;
  let stopped = false;
  const worker = async (w: number) => {
    while (!stopped && next < subs.length) {
      const s = subs[next++]!;
      const { url, ...init } = submitRequest(baseUrls[w % baseUrls.length]!, s);
      let o: Outcome;
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        o = { attemptId: s.attemptId, status: res.status, body: await res.text() };
      } catch (e) {
        o = { attemptId: s.attemptId, error: String((e as Error).cause ?? e) };
      }
      done.push(o);
      if (onOutcome?.(o, done) === false) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return done;
}

export interface StoredAttempt {
  id: string;
  status: string;
  score: number | null;
  answers: number;
  questions: number;
  standardRows: number;
}

/** What the database holds for these attempts (read with the caller's DATABASE_URL client). */
export async function storedAttempts(ids: string[]): Promise<Map<string, StoredAttempt>> {
  const out = new Map<string, StoredAttempt>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const { rows } = await getClient().execute({
      sql: `SELECT q.id, q.status, q.score, json_array_length(q.questions) AS questions,
              (SELECT count(*) FROM quiz_answer a WHERE a.attempt_id = q.id) AS answers,
              (SELECT count(*) FROM standard_result r WHERE r.source = 'quiz' AND r.source_id = q.id) AS standard_rows
            FROM quiz_attempt q WHERE q.id IN (${chunk.map(() => '?').join(',')})`,
      args: chunk,
    });
    for (const r of rows) {
      out.set(String(r.id), {
        id: String(r.id),
        status: String(r.status),
        score: r.score === null ? null : Number(r.score),
        answers: Number(r.answers),
        questions: Number(r.questions),
        standardRows: Number(r.standard_rows),
      });
    }
  }
  return out;
}
