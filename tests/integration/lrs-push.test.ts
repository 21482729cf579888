/**
 * The LRS outbox against a real LRS process (Learning Locker's `xapi-statements`, tests/helpers/lrs.ts), on the
 * demo organization's history: wrong credentials are refused and nothing is lost; the LRS killed in the middle of
 * a send and started again gets every statement not acknowledged before, and nothing twice; a statement re-sent
 * because its answer was lost is accepted, not a conflict; one statement the LRS refuses holds up only itself;
 * and `npm run xapi:push`, run with another SITE_URL, sends the same ids (no duplicates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import { getDb } from '../../db/client';
import { xapiStatementTable } from '../../db/schema';
import { seedDemoIfEmpty } from '../../src/cli/seed/demo';
import { loadValidContent, type Entry } from '../../src/features/content/load';
import { pushStatements } from '../../src/features/exports/lrs-push.server';
import type { LrsConfig } from '../../src/features/exports/xapi/config';
import { contentLookup, freezeMissingStatements } from '../../src/features/exports/xapi/freeze.server';
import type { Statement } from '../../src/features/exports/xapi/schema';
import { freshDb } from '../helpers/db';
import { startLrs, type TestLrs } from '../helpers/lrs';
import { runCli } from '../helpers/processes';

const IRI = 'https://academy.example';
let lrs: TestLrs;
let config: LrsConfig;
let total: number;

const dataOf = <T>(map: Map<string, Entry<T>>) => [...map.values()].flatMap((e) => (e.data ? [e.data] : []));
const rows = () =>
  getDb()
    .select({
      seq: xapiStatementTable.seq,
      id: xapiStatementTable.id,
      pushedAt: xapiStatementTable.pushedAt,
      pushError: xapiStatementTable.pushError,
      statement: xapiStatementTable.statement,
    })
    .from(xapiStatementTable);
/** Lets back-offs lapse now instead of waiting for them. */
const dueNow = () =>
  getDb().update(xapiStatementTable).set({ pushNextAt: null }).where(isNull(xapiStatementTable.pushedAt));

beforeAll(async () => {
  await freshDb();
  await seedDemoIfEmpty({ history: true });
  process.env.XAPI_ORGANIZATION_IRI = IRI;
  const content = await loadValidContent('content');
  const lookup = contentLookup({
    quizzes: dataOf(content.quizzes),
    roleplays: dataOf(content.roleplays),
    tracks: dataOf(content.tracks),
  });
  total = await freezeMissingStatements(getDb(), lookup, Date.now());
  expect(total).toBeGreaterThan(200);
  lrs = await startLrs();
  config = { endpoint: lrs.endpoint, username: lrs.key, password: lrs.secret, batchSize: 25 };
}, 120_000);
afterAll(async () => {
  delete process.env.XAPI_ORGANIZATION_IRI;
  await lrs?.stop();
});

describe('pushing to a real LRS', () => {
  it('keeps everything when the LRS refuses the credentials', async () => {
    const report = await pushStatements({ ...config, password: 'wrong' });
    expect(report.sent).toBe(0);
    expect(report.error).toMatch(/401/);
    expect(report.pending).toBe(total);
    const all = await rows();
    expect(all.every((r) => r.pushedAt === null)).toBe(true);
    expect(all.filter((r) => r.pushError?.includes('401'))).toHaveLength(config.batchSize);
    expect(await lrs.statements()).toEqual([]);
  });

  it('survives the LRS being killed in the middle of a send: after its restart it gets the rest, once each', async () => {
    await dueNow();
    let calls = 0;
    let heldBeforeKill: string[] = [];
    const send: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls < 4) return fetch(input, init);
      // The fourth batch: the LRS dies while the request is in flight.
      heldBeforeKill = (await lrs.statements()).map((s) => s.id);
      const inFlight = fetch(input, init);
      inFlight.catch(() => undefined); // its failure is the push's to handle, after the kill
      await lrs.kill();
      return inFlight;
    };
    const first = await pushStatements(config, { send });
    expect(first.error).toBeDefined();
    expect(heldBeforeKill).toHaveLength(3 * config.batchSize);
    const afterKill = await rows();
    const acknowledged = afterKill.filter((r) => r.pushedAt !== null).map((r) => r.id);
    const waiting = afterKill.filter((r) => r.pushedAt === null).map((r) => r.id);
    // Acknowledged: the three batches the LRS held, and the fourth only if its answer beat the kill.
    expect(acknowledged.slice(0, 3 * config.batchSize).sort()).toEqual([...heldBeforeKill].sort());
    expect([3, 4].map((n) => n * config.batchSize)).toContain(acknowledged.length);

    await lrs.restart();
    await dueNow();
    const second = await pushStatements(config);
    expect(second.error).toBeUndefined();
    expect(second).toMatchObject({ sent: waiting.length, rejected: 0, pending: 0 });
    // The restarted LRS (its memory store starts empty) holds exactly what was not acknowledged before: nothing
    // lost, nothing sent twice.
    const held = (await lrs.statements()).map((s) => s.id);
    expect(held.sort()).toEqual([...waiting].sort());
    expect(new Set(held).size).toBe(held.length);
  });

  it('re-sends a statement whose answer was lost, and the LRS takes it as the same statement', async () => {
    const held = await lrs.statements();
    const again = (await rows())
      .filter((r) => held.some((h) => h.id === r.id))
      .slice(0, 10)
      .map((r) => r.seq);
    await getDb().update(xapiStatementTable).set({ pushedAt: null }).where(inArray(xapiStatementTable.seq, again));
    const report = await pushStatements(config);
    expect(report).toMatchObject({ sent: 10, rejected: 0, pending: 0 });
    expect(report.error).toBeUndefined();
    expect(await lrs.statements()).toHaveLength(held.length);
  });

  it('sends around a statement the LRS refuses, and keeps that one with the reason', async () => {
    // Five statements to send; the LRS already holds a different statement under the id of the third.
    const five = (await rows()).filter((r) => r.pushedAt !== null).slice(-5);
    await getDb()
      .update(xapiStatementTable)
      .set({ pushedAt: null })
      .where(
        inArray(
          xapiStatementTable.seq,
          five.map((r) => r.seq),
        ),
      );
    const clash = five[2]!;
    // Held by the LRS as it stood before the restart? Only if acknowledged then; post its conflicting twin now.
    const twin = {
      ...(clash.statement as Statement),
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    };
    const auth = `Basic ${Buffer.from(`${lrs.key}:${lrs.secret}`).toString('base64')}`;
    const existing = (await lrs.statements()).some((s) => s.id === clash.id);
    if (!existing) {
      const res = await fetch(`${lrs.endpoint}/statements`, {
        method: 'POST',
        headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
        body: JSON.stringify([twin]),
      });
      expect(res.status).toBe(200);
    } else {
      // It holds ours already: make ours the different one.
      await getDb().update(xapiStatementTable).set({ statement: twin }).where(eq(xapiStatementTable.seq, clash.seq));
    }
    const report = await pushStatements(config);
    expect(report).toMatchObject({ sent: 4, rejected: 1 });
    expect(report.error).toBeUndefined();
    const [kept] = await getDb().select().from(xapiStatementTable).where(eq(xapiStatementTable.seq, clash.seq));
    expect(kept!.pushedAt).toBeNull();
    expect(kept!.pushError).toMatch(/409/);
    expect(kept!.pushNextAt! - Date.now()).toBeGreaterThan(23 * 60 * 60_000);
  });

  it('`npm run xapi:push` with another SITE_URL sends the same ids, so the LRS gets no duplicates', async () => {
    const before = await lrs.statements();
    const held = new Set(before.map((s) => s.id));
    const some = (await rows())
      .filter((r) => held.has(r.id))
      .slice(0, 7)
      .map((r) => r.seq);
    await getDb().update(xapiStatementTable).set({ pushedAt: null }).where(inArray(xapiStatementTable.seq, some));
    const count = async () =>
      (
        await getDb()
          .select({ n: sql<number>`count(*)` })
          .from(xapiStatementTable)
      )[0]!.n;
    const statementsBefore = await count();
    const endpoint = new URL(lrs.endpoint);
    endpoint.username = lrs.key;
    endpoint.password = lrs.secret;
    const run = await runCli('xapi-push.ts', [], {
      DATABASE_URL: process.env.DATABASE_URL!,
      XAPI_LRS_URL: endpoint.href,
      SITE_URL: 'http://localhost:4321',
      XAPI_ORGANIZATION_IRI: '',
    });
    expect(run.output).toMatch(/7 statement\(s\) sent, 0 refused by the LRS, 1 waiting/);
    expect(run.code).toBe(0);
    expect(await count()).toBe(statementsBefore);
    const after = await lrs.statements();
    expect(after).toHaveLength(before.length);
    expect(after.filter((s) => s.object.id.startsWith('http://localhost'))).toEqual([]);
  });
});
