/**
 * The LRS outbox: frozen statements (`xapi_statement`) not yet accepted by the LRS at XAPI_LRS_URL are POSTed to
 * its Statements resource in batches, oldest first, with Basic credentials.
 *
 * - Claim, then send: a batch is claimed (push_next_at moved a lease ahead) before it is sent, so two pushes at once
 *   (the server's schedule and a cron run) never send the same batch together; a claim left by a crash lapses.
 * - Idempotent: a statement keeps its id and content forever, so sending it again (the answer to an earlier send
 *   was lost) is accepted by the LRS as the same statement, not a conflict.
 * - The LRS down, or refusing the credentials: the batch goes back with a back-off (30 s, doubling, at most an
 *   hour) and the run stops. A batch the LRS rejects as content (400, 409) is sent one statement at a time, so one
 *   bad statement holds up only itself: it is kept with the LRS's answer and tried again a day later.
 */
import { and, asc, count, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { xapiStatementTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { loadValidContent, type Entry } from '../content/load';
import type { LrsConfig } from './xapi/config';
import { contentLookup, freezeMissingStatements } from './xapi/freeze.server';
import type { Statement } from './xapi/schema';

const LEASE_MS = 2 * 60_000;
const REJECTED_RETRY_MS = 24 * 60 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface PushReport {
  /** Statements the LRS accepted. */
  sent: number;
  /** Statements the LRS refused as content (kept, retried in a day). */
  rejected: number;
  /** Set when the LRS could not be reached or refused the request as a whole; the run stopped there. */
  error?: string;
  /** Statements still waiting. */
  pending: number;
}

interface Claimed {
  seq: number;
  statement: Statement;
  pushAttempts: number;
}

const t = xapiStatementTable;
const due = (at: number) => and(isNull(t.pushedAt), or(isNull(t.pushNextAt), lte(t.pushNextAt, at)));

async function claim(at: number, size: number): Promise<Claimed[]> {
  const db = getDb();
  const next = db.select({ seq: t.seq }).from(t).where(due(at)).orderBy(asc(t.seq)).limit(size);
  const rows = await db
    .update(t)
    .set({ pushNextAt: at + LEASE_MS })
    .where(and(inArray(t.seq, next), due(at)))
    .returning({ seq: t.seq, statement: t.statement, pushAttempts: t.pushAttempts });
  return rows.map((r) => ({ ...r, statement: r.statement as Statement })).sort((a, b) => a.seq - b.seq);
}

type Outcome = { ok: true } | { ok: false; content: boolean; message: string };

async function post(config: LrsConfig, statements: Statement[], send: typeof fetch): Promise<Outcome> {
  let res: Response;
  try {
    res = await send(`${config.endpoint}/statements`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(statements),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, content: false, message: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
  const body = (await res.text()).slice(0, 500);
  if (res.ok) return { ok: true };
  return {
    ok: false,
    content: res.status === 400 || res.status === 409,
    message: `LRS answered ${res.status}: ${body}`,
  };
}

async function markSent(seqs: number[], at: number) {
  await getDb().update(t).set({ pushedAt: at, pushNextAt: null, pushError: null }).where(inArray(t.seq, seqs));
}

async function giveBack(items: Claimed[], at: number, message: string, retryInMs: (attempts: number) => number) {
  for (const item of items) {
    const attempts = item.pushAttempts + 1;
    await getDb()
      .update(t)
      .set({ pushAttempts: attempts, pushNextAt: at + retryInMs(attempts), pushError: message })
      .where(eq(t.seq, item.seq));
  }
}

/** Sends every due statement, batch by batch, until none is left or the LRS fails. */
export async function pushStatements(config: LrsConfig, options: { send?: typeof fetch } = {}): Promise<PushReport> {
  const send = options.send ?? fetch;
  const report: PushReport = { sent: 0, rejected: 0, pending: 0 };
  for (;;) {
    const at = now();
    const batch = await claim(at, config.batchSize);
    if (batch.length === 0) break;
    const outcome = await post(
      config,
      batch.map((b) => b.statement),
      send,
    );
    if (outcome.ok) {
      await markSent(
        batch.map((b) => b.seq),
        now(),
      );
      report.sent += batch.length;
      continue;
    }
    if (!outcome.content) {
      await giveBack(batch, now(), outcome.message, backoffMs);
      report.error = outcome.message;
      break;
    }
    // The LRS refused something in the batch: find what, one statement at a time.
    for (const item of batch) {
      const one = await post(config, [item.statement], send);
      if (one.ok) {
        await markSent([item.seq], now());
        report.sent += 1;
      } else if (one.content) {
        await giveBack([item], now(), one.message, () => REJECTED_RETRY_MS);
        report.rejected += 1;
      } else {
        await giveBack(
          batch.filter((b) => b.seq >= item.seq),
          now(),
          one.message,
          backoffMs,
        );
        report.error = one.message;
        break;
      }
    }
    if (report.error) break;
  }
  const [left] = await getDb().select({ n: count() }).from(t).where(isNull(t.pushedAt));
  report.pending = left?.n ?? 0;
  return report;
}

/**
 * What `npm run xapi:push` and the server's schedule run: freeze the statements of records that have none yet (with
 * the content folder's content), then push. Never two at once in one process.
 */
let running: Promise<PushReport & { frozen: number }> | undefined;
export function freezeAndPush(config: LrsConfig, contentDir = 'content'): Promise<PushReport & { frozen: number }> {
  running ??= (async () => {
    const content = await loadValidContent(contentDir);
    const lists = <T>(map: Map<string, Entry<T>>) => [...map.values()].flatMap((e) => (e.data ? [e.data] : []));
    const frozen = await freezeMissingStatements(
      getDb(),
      contentLookup({
        quizzes: lists(content.quizzes),
        roleplays: lists(content.roleplays),
        tracks: lists(content.tracks),
        exercises: lists(content.exercises),
        scorecards: lists(content.scorecards),
        standards: lists(content.standards),
      }),
      now(),
    );
    return { frozen, ...(await pushStatements(config)) };
  })().finally(() => {
    running = undefined;
  });
  return running;
}
