/** The quality rules (rules.ts) from the site's content collections, read per request. */
import { listModules, listQualityScorecards, listTracks, organization, standardsById } from '../../lib/server/catalog';
import { buildQualityRules, modulesInTrackOrder, type QualityRules } from './rules';

export type { QualityRules };

export async function loadQualityRules(): Promise<QualityRules> {
  const [scorecards, standards, org, modules, tracks] = await Promise.all([
    listQualityScorecards(),
    standardsById(),
    organization(),
    listModules(),
    listTracks(),
  ]);
  return buildQualityRules({
    scorecards,
    standards,
    organization: org,
    modules: modulesInTrackOrder(
      modules,
      tracks.flatMap((t) => t.modules),
    ),
  });
}
