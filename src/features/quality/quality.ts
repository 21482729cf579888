/**
 * Quality scoring of real contacts against the standards, pure. A scorecard (content/scorecards/<channel>.yaml)
 * lists items, each measuring one rep standard; `scorecardItems` turns it into what the scorer sees (the question,
 * the standard's measure, why and when to bend it). An evaluation gives each item a value:
 *   yes-no items  'yes' | 'no' | 'na'        scale items  '1' … '5' | 'na'
 * 'na' (the contact gave the item no occasion) counts for nothing. An item is *met* when it is 'yes' or a scale
 * value of 4 or more; a score is the percent of applicable points (yes = 1, no = 0, scale v = (v − 1) / 4).
 * Floor results per standard are the percent of applicable items met, over a rep's submitted evaluations.
 */
import type { ItemScale, QualityScorecard, Standard } from '../content/schema';

export interface QualityItemView {
  /** Unique on its scorecard (the standard's id unless the author gave one). */
  key: string;
  standardId: string;
  scale: ItemScale;
  /** The question the scorer answers. */
  ask: string;
  title: string;
  standard: string;
  measure: string;
  why: string;
  bend: string;
}

/** What the scorer sees, in the author's order; an item of an unknown standard is left out (the checker reports it). */
export function scorecardItems(
  card: Pick<QualityScorecard, 'items'>,
  standards: ReadonlyMap<string, Standard>,
): QualityItemView[] {
  return card.items.flatMap((item) => {
    const s = standards.get(item.standard);
    if (!s) return [];
    return [
      {
        key: item.id ?? item.standard,
        standardId: s.id,
        scale: item.scale,
        ask: item.ask ?? `${s.title}: was the standard met?`,
        title: s.title,
        standard: s.standard,
        measure: s.measure,
        why: s.why,
        bend: s.bend,
      },
    ];
  });
}

export const yesNoValues = ['yes', 'no', 'na'] as const;
export const scaleValues = ['1', '2', '3', '4', '5', 'na'] as const;
export type ItemValue = (typeof yesNoValues)[number] | (typeof scaleValues)[number];

export const valueLabels: Record<ItemValue, string> = {
  yes: 'Yes',
  no: 'No',
  na: 'Not applicable',
  '1': '1 poor',
  '2': '2',
  '3': '3',
  '4': '4',
  '5': '5 excellent',
};

export function valuesFor(scale: ItemScale): readonly ItemValue[] {
  return scale === 'scale' ? scaleValues : yesNoValues;
}

export function isValueFor(scale: ItemScale, value: string): value is ItemValue {
  return (valuesFor(scale) as readonly string[]).includes(value);
}

/** Points of one value in 0..1, or undefined for not applicable. */
export function pointsOf(value: ItemValue): number | undefined {
  if (value === 'na') return undefined;
  if (value === 'yes') return 1;
  if (value === 'no') return 0;
  return (Number(value) - 1) / 4;
}

export function isMet(value: ItemValue): boolean | undefined {
  if (value === 'na') return undefined;
  if (value === 'yes' || value === 'no') return value === 'yes';
  return Number(value) >= 4;
}

/** Percent of applicable points, rounded down (a shown 90 is at least 90); undefined when nothing applied. */
export function evaluationScore(values: readonly ItemValue[]): number | undefined {
  const points = values.map(pointsOf).filter((p): p is number => p !== undefined);
  if (points.length === 0) return undefined;
  return Math.floor((100 * points.reduce((a, b) => a + b, 0)) / points.length + 1e-9);
}

export interface ScoredItem {
  standardId: string;
  value: ItemValue;
}

export interface StandardResult {
  standardId: string;
  met: number;
  applicable: number;
  /** Percent met, rounded down. */
  percent: number;
}

/** Per standard: items met of those that applied, over any number of evaluations; standards never applicable are left out. */
export function standardResults(items: readonly ScoredItem[]): StandardResult[] {
  const tally = new Map<string, { met: number; applicable: number }>();
  for (const { standardId, value } of items) {
    const met = isMet(value);
    if (met === undefined) continue;
    const t = tally.get(standardId) ?? { met: 0, applicable: 0 };
    t.applicable += 1;
    if (met) t.met += 1;
    tally.set(standardId, t);
  }
  return [...tally]
    .map(([standardId, t]) => ({ standardId, ...t, percent: Math.floor((100 * t.met) / t.applicable) }))
    .sort((a, b) => a.standardId.localeCompare(b.standardId));
}

/** A calendar month, YYYY-MM, in UTC. */
export function monthOf(t: number): string {
  return new Date(t).toISOString().slice(0, 7);
}

export function monthOfDate(isoDate: string): string {
  return isoDate.slice(0, 7);
}
