/**
 * The catalog's production cache (src/lib/server/catalog.ts): a built server reads each content collection from
 * Astro once per process, answers from an index by id, hands out frozen entries, and does not keep a failed read.
 * In dev every call goes to Astro, so edited content shows at once. Astro's content module is replaced by a fake
 * that counts its calls.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const astro = vi.hoisted(() => ({
  collections: 0,
  entries: 0,
  fail: false,
  quizzes: [] as { id: string; data: { id: string; title: string; questions: { id: string }[] } }[],
}));

const organization = {
  name: 'Org',
  currency: 'USD',
  locale: 'en-US',
  timeZone: 'UTC',
  values: { limit: { about: 'x', money: 30 } },
};

vi.mock('astro:content', () => ({
  getCollection: async (name: string) => {
    astro.collections++;
    if (astro.fail) throw new Error('content store unreadable');
    return name === 'quizzes' ? structuredClone(astro.quizzes) : [];
  },
  getEntry: async (name: string, id: string) => {
    if (name === 'organization') return { id, data: organization };
    astro.entries++;
    return name === 'quizzes' ? structuredClone(astro.quizzes.find((q) => q.id === id)) : undefined;
  },
  render: async () => ({ Content: null, headings: [] }),
}));

beforeEach(() => {
  vi.resetModules();
  Object.assign(astro, { collections: 0, entries: 0, fail: false });
  astro.quizzes = [
    { id: 'a', data: { id: 'a', title: 'Quiz A', questions: [{ id: 'q1' }] } },
    { id: 'b', data: { id: 'b', title: 'Quiz B', questions: [] } },
  ];
});

afterEach(() => vi.unstubAllEnvs());

const catalog = () => import('~/lib/server/catalog');

describe('the content catalog in a built server', () => {
  beforeEach(() => vi.stubEnv('PROD', true));

  it('reads a collection once and answers every lookup and list from it', async () => {
    const { getQuiz, listQuizzes } = await catalog();
    expect((await getQuiz('a'))?.title).toBe('Quiz A');
    expect((await getQuiz('b'))?.title).toBe('Quiz B');
    expect(await getQuiz('missing')).toBeUndefined();
    expect((await listQuizzes()).map((q) => q.id)).toEqual(['a', 'b']);
    expect(astro).toMatchObject({ collections: 1, entries: 0 });
  });

  it('hands out frozen entries, so no caller can change what the next one reads', async () => {
    const { getQuiz } = await catalog();
    const quiz = (await getQuiz('a'))!;
    expect(() => {
      (quiz as { title: string }).title = 'changed';
    }).toThrow(TypeError);
    expect(() => quiz.questions.push({ id: 'q2' } as never)).toThrow(TypeError);
    expect((await getQuiz('a'))?.title).toBe('Quiz A');
  });

  it("hands out the organisation's values in place of placeholders", async () => {
    astro.quizzes[0]!.data.title = 'Credits up to {{limit}}';
    const { getQuiz, listQuizzes } = await catalog();
    expect((await getQuiz('a'))?.title).toBe('Credits up to $30');
    expect((await listQuizzes())[0]?.title).toBe('Credits up to $30');
  });

  it('does not keep a failed read: the next call reads again', async () => {
    const { getQuiz } = await catalog();
    astro.fail = true;
    await expect(getQuiz('a')).rejects.toThrow('content store unreadable');
    astro.fail = false;
    expect((await getQuiz('a'))?.title).toBe('Quiz A');
    expect(astro.collections).toBe(2);
  });
});

describe('the content catalog in dev', () => {
  it('asks Astro on every call, so edited content shows at once', async () => {
    vi.stubEnv('PROD', false);
    const { getQuiz } = await catalog();
    expect((await getQuiz('a'))?.title).toBe('Quiz A');
    astro.quizzes[0]!.data.title = 'Quiz A, edited';
    expect((await getQuiz('a'))?.title).toBe('Quiz A, edited');
    expect(astro).toMatchObject({ collections: 0, entries: 2 });
    astro.quizzes[0]!.data.title = 'Up to {{limit}}';
    expect((await getQuiz('a'))?.title).toBe('Up to $30');
  });
});
