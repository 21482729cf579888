/**
 * Calibration statistics, pure: several evaluators scored the same contact independently. Two calls on an item
 * agree when they are equal, or (scale items) both numbers at most one point apart: 4 against 5 is a matter of
 * taste, 2 against 4 is not. Agreement is over every pair of evaluators, per item and overall; the target is the
 * organisation's `calibration-agreement` (9 of 10). The item's consensus is its most common call (none on a tie);
 * an outlier is an evaluator whose calls match the consensus less often than the target.
 */
import type { ItemScale } from '../content/schema';
import type { ItemValue } from './quality';

export interface CalibrationItem {
  key: string;
  scale: ItemScale;
}

/** Evaluator id → item key → value. */
export type CalibrationCalls = ReadonlyMap<string, Readonly<Record<string, ItemValue>>>;

export function callsAgree(a: ItemValue, b: ItemValue): boolean {
  if (a === b) return true;
  if (a === 'na' || b === 'na') return false;
  const x = Number(a);
  const y = Number(b);
  return Number.isInteger(x) && Number.isInteger(y) && Math.abs(x - y) <= 1;
}

export interface ItemAgreement {
  key: string;
  agreeingPairs: number;
  pairs: number;
  /** Percent of pairs that agree, rounded down; undefined with fewer than two calls. */
  percent: number | undefined;
  /** The most common call; undefined on a tie or with no calls. */
  consensus: ItemValue | undefined;
}

export interface EvaluatorAgreement {
  evaluatorId: string;
  withConsensus: number;
  compared: number;
  percent: number | undefined;
  outlier: boolean;
}

export interface CalibrationResult {
  items: ItemAgreement[];
  overall: { agreeingPairs: number; pairs: number; percent: number | undefined };
  evaluators: EvaluatorAgreement[];
  /** Whether overall agreement reaches the target. */
  calibrated: boolean;
}

const pct = (n: number, d: number) => (d === 0 ? undefined : Math.floor((100 * n) / d));

function consensusOf(values: readonly ItemValue[]): ItemValue | undefined {
  const counts = new Map<ItemValue, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 0 || (sorted.length > 1 && sorted[0]![1] === sorted[1]![1])) return undefined;
  return sorted[0]![0];
}

/** `targetPercent`: e.g. 90 for "9 of 10". */
export function calibrationAgreement(
  items: readonly CalibrationItem[],
  calls: CalibrationCalls,
  targetPercent: number,
): CalibrationResult {
  const evaluators = [...calls.keys()].sort();
  let agreeing = 0;
  let total = 0;
  const perEvaluator = new Map(evaluators.map((e) => [e, { withConsensus: 0, compared: 0 }]));
  const itemResults = items.map(({ key }): ItemAgreement => {
    const given = evaluators.flatMap((e) => {
      const v = calls.get(e)?.[key];
      return v ? [{ e, v }] : [];
    });
    let agreeingPairs = 0;
    let pairs = 0;
    for (let i = 0; i < given.length; i++) {
      for (let j = i + 1; j < given.length; j++) {
        pairs += 1;
        if (callsAgree(given[i]!.v, given[j]!.v)) agreeingPairs += 1;
      }
    }
    agreeing += agreeingPairs;
    total += pairs;
    const consensus = consensusOf(given.map((g) => g.v));
    if (consensus !== undefined) {
      for (const { e, v } of given) {
        const t = perEvaluator.get(e)!;
        t.compared += 1;
        if (callsAgree(v, consensus)) t.withConsensus += 1;
      }
    }
    return { key, agreeingPairs, pairs, percent: pct(agreeingPairs, pairs), consensus };
  });
  const overallPercent = pct(agreeing, total);
  return {
    items: itemResults,
    overall: { agreeingPairs: agreeing, pairs: total, percent: overallPercent },
    evaluators: evaluators.map((evaluatorId) => {
      const t = perEvaluator.get(evaluatorId)!;
      const percent = pct(t.withConsensus, t.compared);
      return { evaluatorId, ...t, percent, outlier: percent !== undefined && percent < targetPercent };
    }),
    calibrated: overallPercent !== undefined && overallPercent >= targetPercent,
  };
}
