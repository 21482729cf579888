/**
 * The catalog functions the quality rules read, from the real content/ folder (Astro's collections are not
 * available under vitest):  vi.mock('../../src/lib/server/catalog', () => import('../helpers/quality-catalog'));
 */
import { loadContent } from '../../src/features/content/load';
import type { QualityScorecard, Standard } from '../../src/features/content/schema';

const content = loadContent('content');
const dataOf = async <T>(kind: 'scorecards' | 'standards' | 'modules' | 'tracks') =>
  [...(await content)[kind].values()].flatMap((e) => (e.data ? [{ id: e.id, data: e.data as T }] : []));

export async function listQualityScorecards(): Promise<QualityScorecard[]> {
  return (await dataOf<QualityScorecard>('scorecards')).map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id));
}
export async function standardsById(): Promise<Map<string, Standard>> {
  return new Map((await dataOf<Standard>('standards')).map((e) => [e.id, e.data]));
}
export async function organization() {
  return (await content).organization?.data;
}
export async function listModules() {
  return (await dataOf<{ title: string; standards: string[] }>('modules')).map((e) => ({ slug: e.id, ...e.data }));
}
export async function listTracks() {
  return (await dataOf<{ modules: string[] }>('tracks')).map((e) => e.data);
}
