/**
 * Item analysis of a QA calibration exercise, for the trainer page. An item is one contact × one scorecard
 * standard. Per item, over the attempts given (the server passes each learner's FIRST submitted attempt: later ones
 * come after the learner has read the expert's reasons, so they measure memory rather than the item):
 * - agreement: the share of learners who made the expert's call (the key as it stands now);
 * - how the calls spread over met / not met / not applicable;
 * - the most common disagreement: the call made most often by those who differed (ties go to the order
 *   met, not met, not applicable), with how many made it.
 *
 * Flag: "low-agreement" when fewer than half made the expert's call: the transcript may be ambiguous, the key or its
 * reason may be wrong, or the item tests exactly the misunderstanding the exercise is there to fix — a trainer reads
 * the most common disagreement to tell which.
 */
import { scorecardScores, type ScorecardScore } from '../content/schema';

export interface CalibrationKey {
  contactId: string;
  standardId: string;
  expert: ScorecardScore;
}

export interface CalibrationAttempt {
  attemptId: string;
  calls: readonly { contactId: string; standardId: string; score: ScorecardScore }[];
}

export const calibrationFlagThresholds = { lowAgreementBelow: 0.5 } as const;
export type CalibrationFlag = 'low-agreement';

export interface CalibrationItemStats extends CalibrationKey {
  /** Attempts that made a call on the item. */
  n: number;
  agreed: number;
  /** agreed / n; null when nobody scored the item. */
  agreement: number | null;
  counts: Record<ScorecardScore, number>;
  commonDisagreement: { score: ScorecardScore; count: number } | null;
  flags: CalibrationFlag[];
}

const itemKey = (contactId: string, standardId: string) => `${contactId}\u0000${standardId}`;

/** One result per key, in the keys' order. Calls on items not in `keys` (older content) are ignored. */
export function analyzeCalibration(
  keys: readonly CalibrationKey[],
  attempts: readonly CalibrationAttempt[],
): CalibrationItemStats[] {
  const counts = new Map(
    keys.map((k) => [
      itemKey(k.contactId, k.standardId),
      Object.fromEntries(scorecardScores.map((s) => [s, 0])) as Record<ScorecardScore, number>,
    ]),
  );
  for (const attempt of attempts) {
    for (const call of attempt.calls) {
      const tally = counts.get(itemKey(call.contactId, call.standardId));
      if (tally) tally[call.score] += 1;
    }
  }
  return keys.map((key) => {
    const tally = counts.get(itemKey(key.contactId, key.standardId))!;
    const n = scorecardScores.reduce((sum, s) => sum + tally[s], 0);
    const agreed = tally[key.expert];
    const agreement = n === 0 ? null : agreed / n;
    const common = scorecardScores
      .filter((s) => s !== key.expert && tally[s] > 0)
      .reduce<{ score: ScorecardScore; count: number } | null>(
        (best, s) => (!best || tally[s] > best.count ? { score: s, count: tally[s] } : best),
        null,
      );
    const flags: CalibrationFlag[] =
      agreement !== null && agreement < calibrationFlagThresholds.lowAgreementBelow ? ['low-agreement'] : [];
    return { ...key, n, agreed, agreement, counts: { ...tally }, commonDisagreement: common, flags };
  });
}
