/**
 * Folders point downwards (shared/STYLE.md, habit 10): a rule several features use lives below all of them, so no
 * feature folder reaches, directly or round a loop, a feature folder that reaches it back; and db/ (schema, client,
 * engine, migrations) knows nothing of src/. A failure names the files behind each wrong edge.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groupCycles, importEdges, type ImportEdge } from '../../helpers/import-graph';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const edges = importEdges(root, ['src', 'db']);
const featureOf = (path: string) => /^src\/features\/([^/]+)\//.exec(path)?.[1];

describe('the import graph', () => {
  it('is read (a scanner that finds nothing would pass everything)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: 'src/pages/learn.astro', to: 'src/features/progress/learn-status.ts' });
  });

  it('has no cycle between feature folders', () => {
    const report = groupCycles(edges, featureOf).map((folders) => ({
      folders,
      imports: edges
        .filter(
          (e) =>
            folders.includes(featureOf(e.from)!) &&
            folders.includes(featureOf(e.to)!) &&
            featureOf(e.from) !== featureOf(e.to),
        )
        .map((e) => `${e.from} → ${e.to}`),
    }));
    expect(report).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const loop: ImportEdge[] = [
      { from: 'src/features/a/a.ts', to: 'src/features/b/b.ts' },
      { from: 'src/features/b/b.ts', to: 'src/features/c/c.ts' },
      { from: 'src/features/c/c.ts', to: 'src/features/a/x.ts' },
    ];
    expect(groupCycles(loop, featureOf)).toEqual([['a', 'b', 'c']]);
  });

  it('has db/ import nothing from src/', () => {
    expect(edges.filter((e) => e.from.startsWith('db/') && e.to.startsWith('src/'))).toEqual([]);
  });
});
