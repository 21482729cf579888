/**
 * What the quality rules need from content, built from plain data (the site reads it from the catalog,
 * rules.server.ts; the demo seed from content/ directly): the scorecards, the standards behind their items, the
 * organisation's floor, remedial due time, monthly sample and calibration target (content/organization.yaml), and
 * which module teaches each standard (the first in track order).
 */
import type { Organization } from '../content/organization';
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

export interface QualitySources {
  scorecards: QualityScorecard[];
  standards: ReadonlyMap<string, Standard>;
  organization: Organization | undefined;
  /** Modules with the standards they list, in track order (first teaches first). */
  modules: { slug: string; title: string; standards: readonly string[] }[];
}

export function buildQualityRules({ scorecards, standards, organization, modules }: QualitySources): QualityRules {
  const number = (name: string) => organization?.values[name]?.number;
  const teaching = new Map<string, string>();
  for (const m of modules) for (const s of m.standards) if (!teaching.has(s)) teaching.set(s, m.slug);
  const moduleTitles = new Map(modules.map((m) => [m.slug, m.title]));
  return {
    scorecards,
    standards,
    itemsOf: (card) => scorecardItems(card, standards),
    floorPercent: number('quality-floor') ?? DEFAULTS.floor,
    remedialDays: number('remedial-due') ?? DEFAULTS.remedialDays,
    samplePerRep: number('qa-sample') ?? DEFAULTS.sample,
    calibrationTarget: 10 * (number('calibration-agreement') ?? DEFAULTS.agreementOfTen),
    modulesByStandard: teaching,
    standardTitle: (id) => standards.get(id)?.title ?? id,
    moduleTitle: (id) => moduleTitles.get(id),
  };
}

/** Modules in track order (those in no track after, by slug), as `buildQualityRules` wants them. */
export function modulesInTrackOrder<M extends { slug: string }>(
  modules: readonly M[],
  trackModules: readonly string[],
): M[] {
  const rank = (slug: string) => (trackModules.includes(slug) ? trackModules.indexOf(slug) : trackModules.length);
  return [...modules].sort((a, b) => rank(a.slug) - rank(b.slug) || a.slug.localeCompare(b.slug));
}
