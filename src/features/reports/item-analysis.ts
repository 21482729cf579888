/**
 * Classical item analysis of quiz questions over certification attempts, for the trainer page.
 *
 * Per question, over the attempts that were asked it (questions may be drawn from a pool, so not every attempt has
 * every question):
 * - facility: share answered correctly;
 * - discrimination D = facility in the upper group − facility in the lower group, where the groups are the top and
 *   bottom 27 % of those attempts by total score (Kelley's 27 %, rounded, at least one attempt each; ties at the cut
 *   are broken by attempt id so the result is reproducible). Needs at least two attempts;
 * - point-biserial correlation between answering correctly and the attempt's total score (the total includes the
 *   item itself, the usual uncorrected form). Null when every answer or every score is the same;
 * - how often each option was picked, overall and in each group.
 *
 * Flags use D (Ebel's rule of thumb: below 0.2 is poor) and the facility cut-offs in `itemFlagThresholds`.
 * "wrong-beats-right" means that in the upper group some wrong option was picked more often than a right one; it
 * needs a keyed question (ordering questions have no single right option, so they never get it).
 */

export interface ItemKey {
  questionId: string;
  /** Every option, in display order. */
  optionIds: readonly string[];
  /** The right options; empty for ordering questions. */
  correctOptionIds: readonly string[];
}

export interface AttemptResponses {
  attemptId: string;
  /** Total score (the attempt's percent). */
  score: number;
  answers: readonly { questionId: string; chosen: readonly string[]; correct: boolean }[];
}

export const itemFlagThresholds = { tooEasyAbove: 0.9, tooHardBelow: 0.3, lowDiscriminationBelow: 0.2 } as const;

/**
 * Below this many attempts a question's statistics are noise (with 4 attempts the upper and lower groups are one
 * attempt each, so D is −1, 0 or 1): they are shown, marked "too few to judge", and their flags are not raised.
 * 30 is the usual floor for classical item statistics.
 */
export const MIN_ATTEMPTS_TO_JUDGE = 30;

/** "n=4, too few to judge", or null when `n` attempts are enough. */
export function tooFewNote(n: number): string | null {
  return n < MIN_ATTEMPTS_TO_JUDGE ? `n=${n}, too few to judge` : null;
}
export const itemFlags = [
  'too-easy',
  'too-hard',
  'wrong-beats-right',
  'low-discrimination',
  'negative-discrimination',
] as const;
export type ItemFlag = (typeof itemFlags)[number];

export interface OptionStats {
  optionId: string;
  correct: boolean;
  picks: number;
  /** picks / attempts asked the question. */
  share: number;
  upperPicks: number;
  lowerPicks: number;
}

export interface ItemStats {
  questionId: string;
  /** Attempts that were asked the question. */
  n: number;
  facility: number | null;
  /** Attempts in each of the upper and lower groups (0 when n < 2). */
  groupSize: number;
  upperFacility: number | null;
  lowerFacility: number | null;
  discrimination: number | null;
  pointBiserial: number | null;
  /** Keyed options first in display order, then any id no longer in the question (older content). */
  options: OptionStats[];
  flags: ItemFlag[];
}

interface Response {
  attemptId: string;
  score: number;
  chosen: readonly string[];
  correct: boolean;
}

const share = (count: number, of: number) => (of === 0 ? 0 : count / of);

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Point-biserial r = (M1 − M0) / s · √(p·q), with s the population standard deviation of the scores. */
function pointBiserial(responses: readonly Response[]): number | null {
  const right = responses.filter((r) => r.correct).map((r) => r.score);
  const wrong = responses.filter((r) => !r.correct).map((r) => r.score);
  if (right.length === 0 || wrong.length === 0) return null;
  const scores = responses.map((r) => r.score);
  const m = mean(scores);
  const sd = Math.sqrt(mean(scores.map((x) => (x - m) ** 2)));
  if (sd === 0) return null;
  const p = right.length / responses.length;
  return ((mean(right) - mean(wrong)) / sd) * Math.sqrt(p * (1 - p));
}

/** The flags of one item from its statistics (shared with the tally-based analysis, item-tally.ts). */
export function itemFlagsFor(
  facility: number | null,
  discrimination: number | null,
  groupSize: number,
  options: readonly OptionStats[],
): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (facility !== null && facility > itemFlagThresholds.tooEasyAbove) flags.push('too-easy');
  if (facility !== null && facility < itemFlagThresholds.tooHardBelow) flags.push('too-hard');
  const right = options.filter((o) => o.correct);
  const wrong = options.filter((o) => !o.correct);
  if (groupSize > 0 && right.length > 0 && wrong.length > 0) {
    const leastRight = Math.min(...right.map((o) => o.upperPicks));
    if (wrong.some((o) => o.upperPicks > leastRight)) flags.push('wrong-beats-right');
  }
  if (discrimination !== null && discrimination < 0) flags.push('negative-discrimination');
  else if (discrimination !== null && discrimination < itemFlagThresholds.lowDiscriminationBelow) {
    flags.push('low-discrimination');
  }
  return flags;
}

function analyzeItem(key: ItemKey, responses: Response[]): ItemStats {
  const n = responses.length;
  const ranked = [...responses].sort((a, b) => b.score - a.score || a.attemptId.localeCompare(b.attemptId));
  const groupSize = n < 2 ? 0 : Math.max(1, Math.round(0.27 * n));
  const upper = ranked.slice(0, groupSize);
  const lower = groupSize === 0 ? [] : ranked.slice(n - groupSize);
  const facilityOf = (rs: Response[]) =>
    rs.length === 0 ? null : share(rs.filter((r) => r.correct).length, rs.length);
  const facility = facilityOf(responses);
  const upperFacility = facilityOf(upper);
  const lowerFacility = facilityOf(lower);
  const discrimination = upperFacility === null || lowerFacility === null ? null : upperFacility - lowerFacility;

  const correct = new Set(key.correctOptionIds);
  const ids = [...key.optionIds];
  for (const r of responses) for (const id of r.chosen) if (!ids.includes(id)) ids.push(id);
  const count = (rs: Response[], id: string) => rs.filter((r) => r.chosen.includes(id)).length;
  const options = ids.map((optionId) => ({
    optionId,
    correct: correct.has(optionId),
    picks: count(responses, optionId),
    share: share(count(responses, optionId), n),
    upperPicks: count(upper, optionId),
    lowerPicks: count(lower, optionId),
  }));

  const flags = itemFlagsFor(facility, discrimination, groupSize, options);

  return {
    questionId: key.questionId,
    n,
    facility,
    groupSize,
    upperFacility,
    lowerFacility,
    discrimination,
    pointBiserial: pointBiserial(responses),
    options,
    flags,
  };
}

/** One result per key, in the keys' order. Answers to questions not in `keys` are ignored. */
export function analyzeItems(keys: readonly ItemKey[], attempts: readonly AttemptResponses[]): ItemStats[] {
  const byQuestion = new Map<string, Response[]>(keys.map((k) => [k.questionId, []]));
  for (const attempt of attempts) {
    for (const answer of attempt.answers) {
      byQuestion.get(answer.questionId)?.push({
        attemptId: attempt.attemptId,
        score: attempt.score,
        chosen: answer.chosen,
        correct: answer.correct,
      });
    }
  }
  return keys.map((key) => analyzeItem(key, byQuestion.get(key.questionId) ?? []));
}
