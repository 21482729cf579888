import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, planWorkers } from '~/cli/workers';

describe('planWorkers (WEB_CONCURRENCY)', () => {
  it('runs one process unless asked, and N against a libSQL server', () => {
    expect(planWorkers(undefined, 'libsql://db.example')).toEqual({ count: 1 });
    expect(planWorkers(' ', 'http://127.0.0.1:8080')).toEqual({ count: 1 });
    expect(planWorkers('3', 'http://127.0.0.1:8080')).toEqual({ count: 3 });
  });

  it('keeps the embedded file to one process and says why', () => {
    const plan = planWorkers('4', 'file:data/frontline.db');
    expect(plan.count).toBe(1);
    expect(plan.note).toMatch(/WEB_CONCURRENCY=4 ignored: several app processes need a libSQL server/);
    expect(planWorkers('1', 'file:data/frontline.db')).toEqual({ count: 1 });
  });

  it('refuses what is not a count, with the range', () => {
    for (const bad of ['0', '-1', '2.5', 'two', String(MAX_WORKERS + 1)]) {
      expect(() => planWorkers(bad, 'libsql://db.example')).toThrow(
        `WEB_CONCURRENCY must be a whole number of app processes from 1 to ${MAX_WORKERS}, not "${bad}".`,
      );
    }
  });
});
