/**
 * Item analysis from tallies (the `item_tally` table: per question, attempt score and option, how many answered,
 * answered correctly and picked the option) instead of from every attempt's answers — the same statistics as
 * item-analysis.ts, read in time that does not grow with the number of attempts.
 *
 * Everything but the 27 % groups is exact. The groups are taken by score as there, but attempts tied on the score
 * at a group's edge are taken in proportion (a fraction of that score's answers and picks) where the per-attempt
 * analysis breaks the tie by attempt id: with no tie at the edge both give the same numbers.
 */
import { itemFlagsFor, type ItemKey, type ItemStats } from './item-analysis';

export interface TallyRow {
  questionId: string;
  score: number;
  /** '' for the question itself. */
  optionId: string;
  answers: number;
  correct: number;
}

interface Bucket {
  score: number;
  n: number;
  correct: number;
  picks: Map<string, number>;
}

/** Share of each bucket in a group of `size` answers taken from the first buckets in `order`. */
function groupShares(order: Bucket[], size: number): Map<Bucket, number> {
  const shares = new Map<Bucket, number>();
  let left = size;
  for (const b of order) {
    if (left <= 0) break;
    const take = Math.min(b.n, left);
    shares.set(b, take / b.n);
    left -= take;
  }
  return shares;
}

function analyzeTallies(key: ItemKey, rows: TallyRow[]): ItemStats {
  const buckets = new Map<number, Bucket>();
  const bucket = (score: number) => {
    let b = buckets.get(score);
    if (!b) buckets.set(score, (b = { score, n: 0, correct: 0, picks: new Map() }));
    return b;
  };
  for (const r of rows) {
    const b = bucket(r.score);
    if (r.optionId === '') {
      b.n += r.answers;
      b.correct += r.correct;
    } else b.picks.set(r.optionId, (b.picks.get(r.optionId) ?? 0) + r.answers);
  }
  const all = [...buckets.values()].filter((b) => b.n > 0);
  const n = all.reduce((s, b) => s + b.n, 0);
  const right = all.reduce((s, b) => s + b.correct, 0);
  const groupSize = n < 2 ? 0 : Math.max(1, Math.round(0.27 * n));
  const upper = groupShares(
    [...all].sort((a, b) => b.score - a.score),
    groupSize,
  );
  const lower = groupShares(
    [...all].sort((a, b) => a.score - b.score),
    groupSize,
  );
  const inGroup = (g: Map<Bucket, number>, of: (b: Bucket) => number) => [...g].reduce((s, [b, f]) => s + f * of(b), 0);
  const facility = n === 0 ? null : right / n;
  const upperFacility = groupSize === 0 ? null : inGroup(upper, (b) => b.correct) / groupSize;
  const lowerFacility = groupSize === 0 ? null : inGroup(lower, (b) => b.correct) / groupSize;
  const discrimination = upperFacility === null || lowerFacility === null ? null : upperFacility - lowerFacility;

  const ids = [...key.optionIds];
  for (const b of all) for (const id of b.picks.keys()) if (!ids.includes(id)) ids.push(id);
  const keyed = new Set(key.correctOptionIds);
  const picksOf = (b: Bucket, id: string) => b.picks.get(id) ?? 0;
  const options = ids.map((optionId) => {
    const picks = all.reduce((s, b) => s + picksOf(b, optionId), 0);
    return {
      optionId,
      correct: keyed.has(optionId),
      picks,
      share: n === 0 ? 0 : picks / n,
      upperPicks: Math.round(inGroup(upper, (b) => picksOf(b, optionId))),
      lowerPicks: Math.round(inGroup(lower, (b) => picksOf(b, optionId))),
    };
  });
  return {
    questionId: key.questionId,
    n,
    facility,
    groupSize,
    upperFacility,
    lowerFacility,
    discrimination,
    pointBiserial: pointBiserial(all, n, right),
    options,
    flags: itemFlagsFor(facility, discrimination, groupSize, options),
  };
}

/** r = (M1 − M0) / s · √(p·q) from per-score counts: exactly what the per-attempt form computes. */
function pointBiserial(all: Bucket[], n: number, right: number): number | null {
  const wrong = n - right;
  if (right === 0 || wrong === 0) return null;
  const mean = all.reduce((s, b) => s + b.score * b.n, 0) / n;
  const sd = Math.sqrt(all.reduce((s, b) => s + b.n * (b.score - mean) ** 2, 0) / n);
  if (sd === 0) return null;
  const m1 = all.reduce((s, b) => s + b.score * b.correct, 0) / right;
  const m0 = all.reduce((s, b) => s + b.score * (b.n - b.correct), 0) / wrong;
  const p = right / n;
  return ((m1 - m0) / sd) * Math.sqrt(p * (1 - p));
}

/** One result per key, in the keys' order; rows of questions not in `keys` are ignored. */
export function analyzeItemTallies(keys: readonly ItemKey[], rows: readonly TallyRow[]): ItemStats[] {
  const byQuestion = new Map<string, TallyRow[]>(keys.map((k) => [k.questionId, []]));
  for (const r of rows) byQuestion.get(r.questionId)?.push(r);
  return keys.map((k) => analyzeTallies(k, byQuestion.get(k.questionId) ?? []));
}
