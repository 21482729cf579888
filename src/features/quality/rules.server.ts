/**
 * What the quality rules need from content, read once per request from the catalog: the scorecards, the standards
 * behind their items, the organisation's floor, remedial due time, monthly sample and calibration target
 * (content/organization.yaml), and which module teaches each standard (first in track order).
 */
import { listModules, listQualityScorecards, modulesTeaching, organization, standardsById } from '../../lib/server/catalog';
import type { QualityScorecard, Standard } from '../content/schema';
import { scorecardItems, type QualityItemView } from './quality';

export interface QualityRules {
  scorecards: QualityScorecard[];
  standards: ReadonlyMap<string, Standard>;
  itemsOf(card: QualityScorecard): QualityItemView[];
  floorPercent: number;
  remedialDays: number;
  samplePerRep: number;
  /** Calibration target in percent (the organisation's "9 of 10" is 90). */
  calibrationTarget: number;
  modulesByStandard: ReadonlyMap<string, string>;
  standardTitle(id: string): string;
  moduleTitle(id: string): string | undefined;
}

// Used when organization.yaml leaves a value out: the curriculum's own numbers.
const DEFAULTS = { floor: 80, remedialDays: 14, sample: 10, agreementOfTen: 9 };

export async function loadQualityRules(): Promise<QualityRules> {
  const [scorecards, standards, org, modules] = await Promise.all([listQualityScorecards(), standardsById(), organization(), listModules()]);
  const number = (name: string) => org?.values[name]?.number;
  const onCards = [...new Set(scorecards.flatMap((c) => c.items.map((i) => i.standard)))];
  const teaching = await Promise.all(onCards.map(async (s) => [s, (await modulesTeaching(s))[0]] as const));
  const moduleTitles = new Map(modules.map((m) => [m.slug, m.title]));
  return {
    scorecards,
    standards,
    itemsOf: (card) => scorecardItems(card, standards),
    floorPercent: number('quality-floor') ?? DEFAULTS.floor,
    remedialDays: number('remedial-due') ?? DEFAULTS.remedialDays,
    samplePerRep: number('qa-sample') ?? DEFAULTS.sample,
    calibrationTarget: 10 * (number('calibration-agreement') ?? DEFAULTS.agreementOfTen),
    modulesByStandard: new Map(teaching.filter((t): t is readonly [string, string] => t[1] !== undefined)),
    standardTitle: (id) => standards.get(id)?.title ?? id,
    moduleTitle: (id) => moduleTitles.get(id),
  };
}
