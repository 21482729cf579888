/**
 * The module updates certificates owe, for many people at once (a page of the admin overview, the reminders job):
 * each certificate is matched with its own holder's passing re-takes only, and people without a certificate owe
 * nothing whatever they passed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../db/client';
import { certificateTable, contentVersionTable, quizAttemptTable } from '../../db/schema';
import { pendingUpdatesFrom, type UpdateFacts } from '../../src/features/certification/updates.server';
import { newId } from '../../src/lib/server/ids';
import { freshDb } from '../helpers/db';
import { makeLearner, makeOrg } from '../helpers/quiz-world';

const DAY = 86_400_000;
const now = Date.now();
const facts: UpdateFacts = {
  quizModule: new Map([['greeting-quiz', 'greeting']]),
  quizPassMark: new Map([['greeting-quiz', 80]]),
  versions: { greeting: 'v2' },
};
let people: { updated: string; owing: string; uncertified: string; failedRetake: string };
const certificateOf = new Map<string, string>();

async function certify(userId: string): Promise<void> {
  const id = newId();
  certificateOf.set(userId, id);
  await getDb()
    .insert(certificateTable)
    .values({
      id,
      code: newId(),
      userId,
      trackId: 'rep',
      issuedAt: now - 30 * DAY,
      expiresAt: now + 300 * DAY,
      moduleVersions: { greeting: 'v1' },
    });
}

async function pass(userId: string, version: string, score: number): Promise<void> {
  const at = now - 2 * DAY;
  await getDb()
    .insert(quizAttemptTable)
    .values({
      id: newId(),
      userId,
      quizId: 'greeting-quiz',
      moduleId: 'greeting',
      mode: 'certification',
      contentVersion: version,
      seed: 1,
      questions: [],
      startedAt: at - 60_000,
      submittedAt: at,
      status: 'submitted',
      score,
      passed: score >= 80,
    });
}

beforeAll(async () => {
  await freshDb();
  const org = await makeOrg();
  people = {
    updated: await makeLearner(org),
    owing: await makeLearner(org),
    uncertified: await makeLearner(org),
    failedRetake: await makeLearner(org),
  };
  await getDb()
    .insert(contentVersionTable)
    .values([
      { moduleId: 'greeting', version: 'v1', firstSeenAt: now - 60 * DAY },
      { moduleId: 'greeting', version: 'v2', firstSeenAt: now - 10 * DAY },
    ]);
  for (const p of [people.updated, people.owing, people.failedRetake]) await certify(p);
  await pass(people.updated, 'v2', 90);
  await pass(people.uncertified, 'v2', 95);
  await pass(people.failedRetake, 'v2', 50);
});

describe('pending module updates of many people', () => {
  it("matches each certificate with its own holder's re-takes", async () => {
    const updates = await pendingUpdatesFrom(Object.values(people), now, facts);
    expect([...updates.keys()].sort()).toEqual(
      [certificateOf.get(people.owing), certificateOf.get(people.failedRetake)].sort(),
    );
    expect(updates.get(certificateOf.get(people.owing)!)).toEqual([
      { moduleId: 'greeting', from: 'v1', to: 'v2', since: now - 10 * DAY },
    ]);
    // Asked about one at a time, each gets the same answer as in the crowd.
    for (const p of Object.values(people)) {
      const alone = await pendingUpdatesFrom([p], now, facts);
      expect([...alone.keys()]).toEqual([...updates.keys()].filter((c) => c === certificateOf.get(p)));
    }
  });
});
