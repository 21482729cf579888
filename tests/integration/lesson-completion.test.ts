/**
 * Lesson completions against a real (throw-away) database with fake content: finishing records the module's
 * current content version once, however often or however many times at once it is posted; a new version of the
 * module is a new completion; unknown modules are refused; `lessonCompletions` reads them back, newest first.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '../../db/client';
import { lessonCompletionTable } from '../../db/schema';
import { completeLesson, LessonError, lessonCompletions } from '../../src/features/lesson/lesson.server';
import { moduleVersion } from '../../src/lib/server/catalog';
import { setClockOffset } from '../../src/lib/server/clock';
import { freshDb } from '../helpers/db';
import { fakeContent, resetFakeContent } from '../helpers/fake-catalog';
import { makeLearner, makeOrg } from '../helpers/quiz-world';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

let org: string;
let rep: string;

beforeAll(async () => {
  process.env.FRONTLINE_TEST_CLOCK = '1';
  await freshDb();
  org = await makeOrg();
});

beforeEach(async () => {
  rep = await makeLearner(org);
  for (const slug of ['greeting', 'listening']) {
    fakeContent.modules.push({
      slug,
      title: slug,
      summary: 'A lesson.',
      audience: 'rep',
      minutes: 10,
      standards: ['never-argue'],
      prerequisites: [],
      quiz: `${slug}-quiz`,
    });
  }
});

afterEach(() => {
  resetFakeContent();
  setClockOffset(0);
});

const rowsOf = async (userId: string) =>
  (await getDb().select().from(lessonCompletionTable)).filter((r) => r.userId === userId);

describe('completeLesson', () => {
  it('records the module and its current content version, at the server’s time', async () => {
    const before = Date.now();
    const completion = await completeLesson(rep, 'greeting');
    expect(completion).toMatchObject({ moduleId: 'greeting', contentVersion: await moduleVersion('greeting') });
    expect(completion.completedAt).toBeGreaterThanOrEqual(before);
    expect(await rowsOf(rep)).toHaveLength(1);
  });

  it('is idempotent: finishing again keeps the first completion and adds no row', async () => {
    const first = await completeLesson(rep, 'greeting');
    setClockOffset(60_000);
    const again = await completeLesson(rep, 'greeting');
    expect(again).toEqual(first);
    expect(await rowsOf(rep)).toHaveLength(1);
  });

  it('holds under a race: twenty posts at once make one row', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => completeLesson(rep, 'greeting')));
    expect(new Set(results.map((r) => r.completedAt)).size).toBe(1);
    expect(await rowsOf(rep)).toHaveLength(1);
  });

  it('records a new version of the lesson as a new completion, keeping the old one', async () => {
    await completeLesson(rep, 'greeting');
    fakeContent.versionSalt.greeting = 'edited';
    setClockOffset(60_000);
    await completeLesson(rep, 'greeting');
    const versions = (await lessonCompletions(rep, 'greeting')).map((c) => c.contentVersion);
    expect(versions).toEqual([await moduleVersion('greeting'), expect.any(String)]);
    expect(new Set(versions).size).toBe(2);
  });

  it('refuses a module that does not exist, and writes nothing', async () => {
    const error = await completeLesson(rep, 'no-such-lesson').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LessonError);
    expect((error as LessonError).code).toBe('NOT_FOUND');
    expect(await rowsOf(rep)).toEqual([]);
  });
});

describe('lessonCompletions', () => {
  it('lists only this user’s completions, newest first, optionally for one module', async () => {
    const other = await makeLearner(org, 'Otto Other');
    await completeLesson(rep, 'greeting');
    setClockOffset(60_000);
    await completeLesson(rep, 'listening');
    await completeLesson(other, 'greeting');
    expect((await lessonCompletions(rep)).map((c) => c.moduleId)).toEqual(['listening', 'greeting']);
    expect((await lessonCompletions(rep, 'greeting')).map((c) => c.moduleId)).toEqual(['greeting']);
    expect(await lessonCompletions(await makeLearner(org, 'Nia New'))).toEqual([]);
  });
});
