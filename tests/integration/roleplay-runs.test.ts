/**
 * Role-play runs against a real (throw-away) database with fake content: a run played to an ending stores its
 * steps, score and standard results and re-decides certification; every refusal leaves the run exactly as it was;
 * a role-play edited mid-run closes the run as content_changed. Replies are picked as a person picks them: by their
 * text, among the replies the server's view of the run offers (each with its token for this run and step).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { getDb } from '../../db/client';
import {
  certificateTable,
  membershipTable,
  roleplayRunTable,
  roleplayStepTable,
  standardResultTable,
  teamTable,
  userTable,
} from '../../db/schema';
import type { Roleplay } from '../../src/features/content/schema';
import { replyOrder } from '../../src/features/roleplay/roleplay';
import {
  chooseReply,
  currentRun,
  getRun,
  overseenRuns,
  replayFrom,
  restartRun,
  RoleplayError,
  startRun,
  viewOf,
} from '../../src/features/roleplay/roleplay.server';
import { newId } from '../../src/lib/server/ids';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
import { addTrack, makeLearner, makeOrg } from '../helpers/quiz-world';
import { loadRoleplayFile } from '../helpers/roleplay';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

const fixture = loadRoleplayFile('tests/fixtures/roleplays/fixture-refund.yaml');
/** Choice id → the words on its button: the tests name replies by id for brevity, and press them by their words. */
const textOf = new Map(Object.values(fixture.nodes).flatMap((n) => n.choices.map((c) => [c.id, c.text] as const)));
let org: string;
let rep: string;

beforeAll(async () => {
  await freshDb();
  org = await makeOrg();
});

beforeEach(async () => {
  rep = await makeLearner(org);
  fakeContent.roleplays = [structuredClone(fixture)];
});

afterEach(() => resetFakeContent());

async function snapshot(runId: string) {
  const db = getDb();
  const [run] = await db.select().from(roleplayRunTable).where(eq(roleplayRunTable.id, runId));
  const steps = await db.select().from(roleplayStepTable).where(eq(roleplayStepTable.runId, runId));
  const standards = await db.select().from(standardResultTable).where(eq(standardResultTable.sourceId, runId));
  return { run, steps, standards };
}

async function refused(p: Promise<unknown>): Promise<RoleplayError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(RoleplayError);
  return e as RoleplayError;
}

/** The replies the player shows for a run right now: texts and tokens, in the run's order. */
async function offered(runId: string) {
  const found = await getRun(runId);
  return found ? (viewOf(fakeContent.roleplays[0] ?? fixture, found.run).node?.choices ?? []) : [];
}

/** The token of the reply with these words, as the player offers it now (or a made-up one when it is not offered). */
async function tokenFor(runId: string, choiceId: string): Promise<string> {
  const text = textOf.get(choiceId);
  return (await offered(runId)).find((c) => c.text === text)?.token ?? 'AAAAAAAAAAAAAAAA';
}

async function choose(runId: string, step: number, choiceId: string, userId = rep) {
  return chooseReply({ userId, runId, step, reply: await tokenFor(runId, choiceId) });
}

describe('a run played to its end', () => {
  it('stores each step, the ending and score, and one standard result per honoured or broken standard', async () => {
    const run = await startRun(rep, 'fixture-refund');
    expect(run).toMatchObject({ status: 'open', nodeId: 'opening', state: { anger: 6, trust: 2 }, step: 0 });

    const first = await choose(run.id, 0, 'apologise');
    expect(first).toMatchObject({
      kind: 'next',
      view: {
        run: { step: 1, status: 'open' },
        node: { line: 'So what are you going to do about it?' },
        meters: [
          { name: 'anger', value: 4 },
          { name: 'trust', value: 4 },
        ],
      },
    });
    // Only words travel: the next node's replies carry tokens and texts; no choice or node id, nothing graded.
    if (first.kind === 'next') {
      const json = JSON.stringify(first.view);
      expect(json).not.toMatch(/effects|honours|breaks|feedback|score"?:\s*\d|"next"|"id":"listening"/);
      for (const id of ['refund', 'manager']) expect(json).not.toContain(`"${id}"`);
    }

    const last = await choose(run.id, 1, 'refund');
    expect(last).toMatchObject({ kind: 'ended', run: { status: 'ended', endingId: 'resolved', score: 100, step: 2 } });

    const { run: stored, steps, standards } = await snapshot(run.id);
    expect(stored).toMatchObject({
      status: 'ended',
      endingId: 'resolved',
      score: 100,
      step: 2,
      state: { anger: 1, trust: 7 },
    });
    expect(stored!.endedAt).toBeTypeOf('number');
    expect(steps.map((s) => [s.step, s.nodeId, s.choiceId, s.stateAfter])).toEqual([
      [0, 'opening', 'apologise', { anger: 4, trust: 4 }],
      [1, 'listening', 'refund', { anger: 1, trust: 7 }],
    ]);
    expect(standards.map((s) => [s.standardId, s.ok, s.source]).sort()).toEqual([
      ['listen-without-interrupting', true, 'roleplay'],
      ['set-clear-expectations', true, 'roleplay'],
      ['use-the-customer-name', true, 'roleplay'],
    ]);
  });

  it('records broken standards as not ok on a bad ending', async () => {
    const run = await startRun(rep, 'fixture-refund');
    expect(await choose(run.id, 0, 'blame')).toMatchObject({ kind: 'ended', run: { endingId: 'lost', score: 0 } });
    const { standards } = await snapshot(run.id);
    expect(standards.map((s) => [s.standardId, s.ok])).toEqual([['never-argue', false]]);
  });

  it('re-decides certification in the same transaction: a track requiring the role-play is certified at its score', async () => {
    addTrack({
      id: 'practice-track',
      modules: ['handling-complaints'],
      requires: [{ roleplay: 'fixture-refund', minScore: 70 }],
    });
    fakeContent.modules.push({
      slug: 'handling-complaints',
      title: 'Handling complaints',
      summary: 'A module.',
      audience: 'rep',
      minutes: 10,
      standards: ['never-argue'],
      prerequisites: [],
      quiz: 'handling-complaints-quiz',
    });
    const certificates = () => getDb().select().from(certificateTable).where(eq(certificateTable.userId, rep));

    const low = await startRun(rep, 'fixture-refund');
    await choose(low.id, 0, 'apologise');
    await choose(low.id, 1, 'manager'); // escalated: 40, below 70
    expect(await certificates()).toHaveLength(0);

    const high = await startRun(rep, 'fixture-refund');
    await choose(high.id, 0, 'apologise');
    await choose(high.id, 1, 'refund'); // resolved: 100
    expect((await certificates()).map((c) => c.trackId)).toEqual(['practice-track']);
  });

  it('keeps every run: a replay is a new run', async () => {
    const a = await startRun(rep, 'fixture-refund');
    await choose(a.id, 0, 'blame');
    const b = await startRun(rep, 'fixture-refund');
    expect(b.id).not.toBe(a.id);
    expect((await snapshot(a.id)).run).toMatchObject({ status: 'ended' });
    expect((await snapshot(b.id)).run).toMatchObject({ status: 'open', step: 0 });
  });
});

describe('refusals leave the run unchanged', () => {
  it('refuses a replayed step', async () => {
    const run = await startRun(rep, 'fixture-refund');
    await choose(run.id, 0, 'policy');
    const before = await snapshot(run.id);
    const e = await refused(choose(run.id, 0, 'apologise'));
    expect(e).toMatchObject({ code: 'CONFLICT', reason: 'replayed' });
    expect(await snapshot(run.id)).toEqual(before);
    // A step from the future is refused the same way.
    expect(await refused(choose(run.id, 5, 'refund'))).toMatchObject({ code: 'CONFLICT' });
    expect(await snapshot(run.id)).toEqual(before);
  });

  it('refuses a reply not offered at the current node', async () => {
    const run = await startRun(rep, 'fixture-refund');
    const before = await snapshot(run.id);
    expect(await refused(choose(run.id, 0, 'refund'))).toMatchObject({ code: 'BAD_REQUEST', reason: 'not_offered' });
    expect(await snapshot(run.id)).toEqual(before);
  });

  it("refuses someone else's run as if it did not exist", async () => {
    const run = await startRun(rep, 'fixture-refund');
    const other = await makeLearner(org, 'Otto Other');
    const before = await snapshot(run.id);
    expect(await refused(choose(run.id, 0, 'apologise', other))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(choose('no-such-run', 0, 'apologise'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshot(run.id)).toEqual(before);
  });

  it('refuses a reply to a finished run', async () => {
    const run = await startRun(rep, 'fixture-refund');
    await choose(run.id, 0, 'blame');
    const before = await snapshot(run.id);
    expect(await refused(choose(run.id, 1, 'apologise'))).toMatchObject({ code: 'CONFLICT', reason: 'finished' });
    expect(await snapshot(run.id)).toEqual(before);
  });

  it('refuses an unknown role-play', async () => {
    expect(await refused(startRun(rep, 'no-such-roleplay'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets exactly one of two simultaneous replies to the same step through', async () => {
    const run = await startRun(rep, 'fixture-refund');
    const outcomes = await Promise.allSettled([choose(run.id, 0, 'apologise'), choose(run.id, 0, 'policy')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
    const { run: stored, steps } = await snapshot(run.id);
    expect(stored!.step).toBe(1);
    expect(steps).toHaveLength(1);
  });
});

describe('content changed while a run is open', () => {
  function edit(change: (r: Roleplay) => void) {
    const r = structuredClone(fixture);
    change(r);
    fakeContent.roleplays = [r];
  }

  it('closes the run as content_changed on the next reply, writes no step, and a new run can start', async () => {
    const run = await startRun(rep, 'fixture-refund');
    await choose(run.id, 0, 'apologise');
    edit((r) => (r.endings.resolved!.score = 90));
    expect(await choose(run.id, 1, 'refund')).toMatchObject({ kind: 'content_changed' });
    const { run: stored, steps, standards } = await snapshot(run.id);
    expect(stored).toMatchObject({ status: 'content_changed', step: 1, endingId: null, score: null });
    expect(steps).toHaveLength(1);
    expect(standards).toHaveLength(0);
    // Closed for good: a later reply is refused as finished.
    expect(await refused(choose(run.id, 1, 'refund'))).toMatchObject({ code: 'CONFLICT', reason: 'finished' });

    const again = await startRun(rep, 'fixture-refund');
    await choose(again.id, 0, 'apologise');
    expect(await choose(again.id, 1, 'refund')).toMatchObject({ kind: 'ended', run: { score: 90 } });
  });

  it('closes it when the learner comes back to the page, and when the role-play is removed', async () => {
    const run = await startRun(rep, 'fixture-refund');
    edit((r) => (r.nodes.opening!.line = 'A reworded opening line.'));
    const r = fakeContent.roleplays[0]!;
    expect(await currentRun(rep, r)).toMatchObject({ closed: { id: run.id, status: 'content_changed' } });
    expect((await snapshot(run.id)).run).toMatchObject({ status: 'content_changed' });
    expect(await currentRun(rep, r)).toEqual({});

    const second = await startRun(rep, 'fixture-refund');
    fakeContent.roleplays = [];
    expect(await choose(second.id, 0, 'apologise')).toMatchObject({ kind: 'content_changed' });
    expect((await snapshot(second.id)).run).toMatchObject({ status: 'content_changed' });
  });
});

describe("a manager's view of runs", () => {
  it("lists the runs of their own team's members only; an admin sees the organization's", async () => {
    const db = getDb();
    const teamA = newId();
    const teamB = newId();
    await db.insert(teamTable).values([
      { id: teamA, organizationId: org, name: `A-${teamA}`, createdAt: 0 },
      { id: teamB, organizationId: org, name: `B-${teamB}`, createdAt: 0 },
    ]);
    const staff = async (role: 'manager' | 'admin', team?: string) => {
      const id = newId();
      await db.insert(userTable).values({
        id,
        organizationId: org,
        email: `${id}@example.test`,
        name: role,
        passwordHash: 'x',
        role,
        createdAt: 0,
      });
      if (team) await db.insert(membershipTable).values({ userId: id, teamId: team, kind: 'manager', createdAt: 0 });
      return { id, role, organizationId: org };
    };
    const managerA = await staff('manager', teamA);
    const admin = await staff('admin');
    const other = await makeLearner(org, 'Bea');
    await db.insert(membershipTable).values([
      { userId: rep, teamId: teamA, kind: 'member', createdAt: 0 },
      { userId: other, teamId: teamB, kind: 'member', createdAt: 0 },
    ]);
    const mine = await startRun(rep, 'fixture-refund');
    const theirs = await startRun(other, 'fixture-refund');

    const seenBy = async (v: typeof managerA) => (await overseenRuns(v, 1000)).map((r) => r.id);
    expect(await seenBy(managerA)).toEqual([mine.id]);
    expect((await overseenRuns(managerA))[0]).toMatchObject({ learnerName: 'Rita Rep', status: 'open' });
    expect(await seenBy(admin)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await overseenRuns({ id: rep, role: 'learner', organizationId: org })).toEqual([]);
  });
});

describe('reply order and tokens', () => {
  it('stores a seed per run; the order and tokens read the same on every load and follow replyOrder(seed, step)', async () => {
    const run = await startRun(rep, 'fixture-refund');
    const stored = (await snapshot(run.id)).run!;
    expect(stored.seed).toBe(run.seed);
    expect(stored.replyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const first = await offered(run.id);
    expect(await offered(run.id)).toEqual(first);
    expect(first.map((c) => c.text)).toEqual(
      replyOrder(stored.seed, 0, fixture.nodes.opening!.choices).map((c) => c.text),
    );

    await choose(run.id, 0, 'apologise');
    const second = await offered(run.id);
    expect(second.map((c) => c.text)).toEqual(
      replyOrder(stored.seed, 1, fixture.nodes.listening!.choices).map((c) => c.text),
    );
    // Resuming (starting again while it is open) is the same run with the same order and tokens.
    expect((await startRun(rep, 'fixture-refund')).id).toBe(run.id);
    expect(await offered(run.id)).toEqual(second);
  });

  it('gives every run its own tokens: no token of one run names a reply of another', async () => {
    const a = await startRun(rep, 'fixture-refund');
    const other = await makeLearner(org, 'Tara Token');
    const b = await startRun(other, 'fixture-refund');
    const tokensA = (await offered(a.id)).map((c) => c.token);
    const tokensB = (await offered(b.id)).map((c) => c.token);
    expect(new Set([...tokensA, ...tokensB]).size).toBe(6);
    for (const t of [...tokensA, ...tokensB]) expect(t).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('refuses a token from another run, or from another step of this run, with a 400 and nothing written', async () => {
    const run = await startRun(rep, 'fixture-refund');
    const other = await makeLearner(org, 'Olga Other');
    const theirs = await startRun(other, 'fixture-refund');
    const before = await snapshot(run.id);
    const foreign = await tokenFor(theirs.id, 'apologise');
    expect(await refused(chooseReply({ userId: rep, runId: run.id, step: 0, reply: foreign }))).toMatchObject({
      code: 'BAD_REQUEST',
      reason: 'not_offered',
    });
    expect(await snapshot(run.id)).toEqual(before);

    const stepZero = await tokenFor(run.id, 'apologise');
    await chooseReply({ userId: rep, runId: run.id, step: 0, reply: stepZero });
    const moved = await snapshot(run.id);
    // Step 0's token, sent as an answer to step 1, names nothing at step 1.
    const e = await refused(chooseReply({ userId: rep, runId: run.id, step: 1, reply: stepZero }));
    expect(e).toMatchObject({ code: 'BAD_REQUEST', reason: 'not_offered' });
    expect(e.message).toContain('not one of those offered');
    expect(await snapshot(run.id)).toEqual(moved);
  });
});

describe('one open run per role-play', () => {
  it('resumes the open run however many starts arrive at once', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, () => startRun(rep, 'fixture-refund')));
    expect(new Set(runs.map((r) => r.id)).size).toBe(1);
    const open = await getDb().select().from(roleplayRunTable).where(eq(roleplayRunTable.userId, rep));
    expect(open.filter((r) => r.status === 'open')).toHaveLength(1);
  });

  it('is enforced by the database: a second open run of the same role-play cannot be inserted', async () => {
    const run = await startRun(rep, 'fixture-refund');
    const { run: row } = await snapshot(run.id);
    const second = await getDb()
      .insert(roleplayRunTable)
      .values({ ...row!, id: newId() })
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(String(second?.cause ?? second)).toMatch(
      /UNIQUE constraint failed: roleplay_run\.user_id, roleplay_run\.roleplay_id/,
    );
    // An ended run next to an open one is fine.
    await expect(
      getDb()
        .insert(roleplayRunTable)
        .values({ ...row!, id: newId(), status: 'ended' }),
    ).resolves.toBeDefined();
  });

  it('abandons the open run and starts over when the learner asks, keeping the abandoned run and its steps', async () => {
    const run = await startRun(rep, 'fixture-refund');
    await choose(run.id, 0, 'policy');
    const fresh = await restartRun(rep, run.id);
    expect(fresh.id).not.toBe(run.id);
    expect(fresh).toMatchObject({ status: 'open', step: 0, nodeId: 'opening', practice: false });
    const { run: old, steps } = await snapshot(run.id);
    expect(old).toMatchObject({ status: 'abandoned' });
    expect(old!.endedAt).toBeTypeOf('number');
    expect(steps).toHaveLength(1);
    expect((await currentRun(rep, fixture)).run?.id).toBe(fresh.id);
    // Not twice, and never someone else's.
    expect(await refused(restartRun(rep, run.id))).toMatchObject({ code: 'CONFLICT', reason: 'finished' });
    expect(await refused(restartRun(await makeLearner(org, 'Nosy Neighbour'), fresh.id))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('practice runs (replay from here)', () => {
  async function ended(choices: string[]) {
    const run = await startRun(rep, 'fixture-refund');
    for (const [i, id] of choices.entries()) await choose(run.id, i, id);
    return run;
  }

  it('start at the node and state of the chosen reply, are flagged, and never count', async () => {
    addTrack({
      id: 'refund-track',
      modules: ['handling-complaints'],
      requires: [{ roleplay: 'fixture-refund', minScore: 70 }],
    });
    fakeContent.modules.push({
      slug: 'handling-complaints',
      title: 'Handling complaints',
      summary: 'A module.',
      audience: 'rep',
      minutes: 10,
      standards: ['never-argue'],
      prerequisites: [],
      quiz: 'handling-complaints-quiz',
    });
    // policy (anger 9, trust 1), then manager: escalated at 40.
    const first = await ended(['policy', 'manager']);
    const practice = await replayFrom(rep, first.id, 1);
    expect(practice).toMatchObject({
      practice: true,
      status: 'open',
      nodeId: 'listening',
      state: { anger: 9, trust: 1 },
      origin: { run: first.id, step: 1, nodeId: 'listening', state: { anger: 9, trust: 1 } },
    });
    // From step 0 it starts where the run started.
    await choose(practice.id, 0, 'refund');
    const fromStart = await replayFrom(rep, first.id, 0);
    expect(fromStart).toMatchObject({ nodeId: 'opening', state: { anger: 6, trust: 2 }, practice: true });
    // A perfect practice run: resolved at 100, yet no standard results and no certificate.
    await choose(fromStart.id, 0, 'apologise');
    expect(await choose(fromStart.id, 1, 'refund')).toMatchObject({
      kind: 'ended',
      run: { score: 100, practice: true },
    });
    expect((await snapshot(fromStart.id)).standards).toEqual([]);
    expect(await getDb().select().from(certificateTable).where(eq(certificateTable.userId, rep))).toEqual([]);
    // The same run, played for real, certifies.
    await ended(['apologise', 'refund']);
    expect(
      (await getDb().select().from(certificateTable).where(eq(certificateTable.userId, rep))).map((c) => c.trackId),
    ).toEqual(['refund-track']);
  });

  it("set an open practice run aside, but not an open run that counts; only the learner's own finished runs", async () => {
    const first = await ended(['blame']);
    const a = await replayFrom(rep, first.id, 0);
    const b = await replayFrom(rep, first.id, 0);
    expect((await snapshot(a.id)).run).toMatchObject({ status: 'abandoned' });
    expect((await snapshot(b.id)).run).toMatchObject({ status: 'open', practice: true });

    await restartRun(rep, b.id);
    expect(await refused(replayFrom(rep, first.id, 0))).toMatchObject({ code: 'CONFLICT', reason: 'run_open' });
    expect(await refused(replayFrom(await makeLearner(org, 'Peeky Pete'), first.id, 0))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(replayFrom(rep, first.id, 5))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuse a run of an older version of the role-play', async () => {
    const first = await ended(['blame']);
    const changed = structuredClone(fixture);
    changed.nodes.opening!.line = 'Reworded.';
    fakeContent.roleplays = [changed];
    expect(await refused(replayFrom(rep, first.id, 0))).toMatchObject({ code: 'CONFLICT', reason: 'content_changed' });
  });
});
