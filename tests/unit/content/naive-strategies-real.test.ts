/**
 * Issue 13's yardstick on the real curriculum: the naive-strategy table /trainer/health shows (the same report,
 * computed from the same files) lets no strategy through any certification quiz, required role-play or case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadValidContent } from '~/features/content/load';
import { assessmentHealth, failingCertification, type HealthReport } from '~/features/reports/assessment-health';

let report: HealthReport;
beforeAll(async () => {
  report = assessmentHealth(await loadValidContent('content', 'content/'));
  // A thousand simulated attempts or runs per strategy for every quiz, role-play and case: seconds, not a budget.
}, 120_000);

describe('the real curriculum against naive strategies', () => {
  it('lets no naive strategy through any certification content', () => {
    const through = failingCertification(report).map((f) => `${f.kind} ${f.item.id}: ${f.item.through.join(', ')}`);
    expect(through).toEqual([]);
  });
});
