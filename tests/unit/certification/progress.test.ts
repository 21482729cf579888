import { describe, expect, it } from 'vitest';
import { measureProgress, progressWords, type ProgressInput } from '~/features/certification/progress';

const DAY = 24 * 60 * 60 * 1000;
const T = Date.UTC(2026, 5, 1, 12);
const track = {
  modules: ['greet', 'listen', 'wrap'],
  requires: [{ quiz: 'greet-q' }, { quiz: 'listen-q' }, { roleplay: 'call', minScore: 70 }],
};
const moduleOf: ProgressInput['moduleOf'] = (kind, id) =>
  ({ 'greet-q': 'greet', 'listen-q': 'listen', call: 'listen' })[id] ?? (kind === 'exercise' ? 'wrap' : undefined);
const rules = { quizPassMark: () => 80, roleplayPassScore: () => 60, exercisePassMark: () => 90 };
const input = (over: Partial<ProgressInput> = {}): ProgressInput => ({
  track,
  results: { quizzes: [], roleplays: [] },
  rules,
  moduleOf,
  activity: [],
  certificates: [],
  at: T,
  ...over,
});
const state = (p: ReturnType<typeof measureProgress>) =>
  Object.fromEntries(p.modules.map((m) => [m.moduleId, m.state]));

describe('measureProgress (the one definition of progress)', () => {
  it('is nothing at all for a fresh learner', () => {
    const p = measureProgress(input());
    expect(p).toMatchObject({ done: 0, total: 3, renewal: false, started: false });
    expect(state(p)).toEqual({ greet: 'not-started', listen: 'not-started', wrap: 'not-started' });
  });

  it('calls a module with a lesson read, a case answered and a failed quiz "in progress", not "not started"', () => {
    const p = measureProgress(
      input({
        results: { quizzes: [{ quizId: 'greet-q', score: 40, contentVersion: 'v', at: T - DAY }], roleplays: [] },
        activity: [{ moduleId: 'greet', at: T - 2 * DAY }],
      }),
    );
    expect(p).toMatchObject({ done: 0, started: true });
    expect(state(p).greet).toBe('in-progress');
  });

  it('is done when every requirement the module holds is met; a module holding none once its lesson is read', () => {
    const p = measureProgress(
      input({
        results: {
          quizzes: [
            { quizId: 'greet-q', score: 90, contentVersion: 'v', at: T - DAY },
            { quizId: 'listen-q', score: 90, contentVersion: 'v', at: T - DAY },
          ],
          roleplays: [],
        },
        activity: [{ moduleId: 'wrap', at: T - DAY }],
      }),
    );
    expect(state(p)).toEqual({ greet: 'done', listen: 'in-progress', wrap: 'done' });
    expect(progressWords(p)).toBe('2 of 3 requirements met');
  });

  it('counts only the renewal cycle once renewal is open, and says so', () => {
    const cert = { issuedAt: T - 340 * DAY, expiresAt: T + 20 * DAY, revokedAt: null };
    const old = { quizzes: [{ quizId: 'greet-q', score: 90, contentVersion: 'v', at: T - 345 * DAY }], roleplays: [] };
    const p = measureProgress(
      input({ results: old, certificates: [cert], activity: [{ moduleId: 'greet', at: T - 345 * DAY }] }),
    );
    expect(p).toMatchObject({ done: 0, renewal: true, started: false });
    expect(progressWords(p)).toBe('0 of 3 requirements met for renewal');
    // While the certificate is simply valid, what it was earned with counts.
    expect(measureProgress(input({ results: old, certificates: [{ ...cert, expiresAt: T + 200 * DAY }] })).done).toBe(
      1,
    );
  });
});
