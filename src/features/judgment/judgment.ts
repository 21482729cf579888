/**
 * Judgment cases: pure rules. A learner picks an option (its content score is the automatic score) and, where the
 * case has a prompt, writes what they would do and why. The first answer is the one on record; answering again
 * after the reasoning is revealed is practice and never replaces it. Free-text answers on record go to a manager,
 * who rates each rubric criterion 1–5 and comments; a review, once given, is the answer's final score whatever the
 * automatic one was.
 *
 * Before answering, the browser gets only `publicCase` (labels, no reasoning or scores); after answering it gets
 * the reasoning for every option.
 */
import { z } from 'zod';
import type { JudgmentCase, RubricCriterion } from '../content/schema';

export interface PublicCase {
  id: string;
  title: string;
  situation: string;
  rule: string;
  options: { id: string; label: string }[];
  prompt?: string;
}

export function publicCase(c: JudgmentCase): PublicCase {
  return {
    id: c.id,
    title: c.title,
    situation: c.situation,
    rule: c.rule,
    options: c.options.map((o) => ({ id: o.id, label: o.label })),
    ...(c.prompt !== undefined ? { prompt: c.prompt } : {}),
  };
}

export interface RevealedOption {
  id: string;
  label: string;
  reasoning: string;
  /** The option of the answer just shown (the newest). */
  chosen: boolean;
  /** The option of the learner's first answer: the one on record. */
  onRecord: boolean;
  /** The option(s) with the case's highest score: named "strongest call", so no raw score is shown. */
  strongest: boolean;
}

/** What the learner sees after answering: each option's reasoning, the one chosen and the one on record marked. */
export function revealCase(c: JudgmentCase, chosenId: string, onRecordId: string = chosenId): RevealedOption[] {
  const top = Math.max(...c.options.map((o) => o.score));
  return c.options.map((o) => ({
    id: o.id,
    label: o.label,
    reasoning: o.reasoning,
    chosen: o.id === chosenId,
    onRecord: o.id === onRecordId,
    strongest: o.score === top,
  }));
}

export interface Verdict {
  /** `strongest`: the top-scoring call; `close`: the next best; `weaker`: any other. */
  tone: 'strongest' | 'close' | 'weaker';
  text: string;
}

/**
 * One line on how the learner's choice compares with the strongest call, read before the reasoning. Ranks by the
 * options' scores without showing them: the strongest, the next best ("close"), or a weaker call.
 */
export function verdictFor(c: JudgmentCase, chosenId: string): Verdict {
  const scores = [...new Set(c.options.map((o) => o.score))].sort((a, b) => b - a);
  const chosen = c.options.find((o) => o.id === chosenId);
  const strongest = c.options
    .filter((o) => o.score === scores[0])
    .map((o) => `“${o.label}”`)
    .join(' or ');
  if (!chosen || chosen.score === scores[0]) return { tone: 'strongest', text: 'You made the strongest call.' };
  if (chosen.score === scores[1])
    return { tone: 'close', text: `A defensible call, but not the strongest: that was ${strongest}.` };
  return { tone: 'weaker', text: `Not the strongest call: that was ${strongest}. See why below.` };
}

export const ANSWER_TEXT_MAX = 2000;
export const COMMENT_MAX = 2000;

export const ratingScale = [
  { value: 1, label: 'Poor' },
  { value: 2, label: 'Weak' },
  { value: 3, label: 'Adequate' },
  { value: 4, label: 'Good' },
  { value: 5, label: 'Excellent' },
] as const;

export function ratingLabel(value: number): string {
  return ratingScale.find((r) => r.value === value)?.label ?? String(value);
}

export type Ratings = Record<string, number>;

/** Ratings must cover exactly the case's rubric, each an integer 1–5. Returns a message for the reviewer, or null. */
export function checkRatings(c: JudgmentCase, ratings: Ratings): string | null {
  const wanted = c.rubric.map((r) => r.id);
  for (const id of wanted) {
    const v = ratings[id];
    if (v === undefined) return `Rate "${c.rubric.find((r) => r.id === id)!.label}".`;
    if (!Number.isInteger(v) || v < 1 || v > 5) return 'Each rating is a whole number from 1 to 5.';
  }
  const extra = Object.keys(ratings).find((k) => !wanted.includes(k));
  return extra ? `"${extra}" is not on this case's rubric.` : null;
}

/** Mean rating mapped onto 0–100: all 1s is 0, all 5s is 100. */
export function reviewScore(ratings: Ratings): number {
  const values = Object.values(ratings);
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.round(((mean - 1) / 4) * 100);
}

export interface CriterionExplanation {
  id: string;
  label: string;
  /** 1–5, or null when the review has no rating for it (a rubric changed since). */
  rating: number | null;
  /** "Good" */
  levelLabel: string | null;
  /** The rubric's words for that level. */
  descriptor: string | null;
}

export interface ReviewExplanation {
  criteria: CriterionExplanation[];
  /** Mean rating, 1–5. */
  mean: number;
  score: number;
  /** How the score follows from the ratings, in words. */
  formula: string;
}

/**
 * A reviewed score in words: per criterion, the level given and what that level means on the case's rubric, and
 * how the ratings make the score, so "25 / 100" never stands alone.
 */
export function explainReview(
  rubric: readonly Pick<RubricCriterion, 'id' | 'label' | 'levels'>[],
  ratings: Ratings,
): ReviewExplanation {
  const criteria = rubric.map((r) => {
    const rating = ratings[r.id] ?? null;
    return {
      id: r.id,
      label: r.label,
      rating,
      levelLabel: rating === null ? null : ratingLabel(rating),
      descriptor: rating === null ? null : (r.levels[rating - 1] ?? null),
    };
  });
  const values = Object.values(ratings);
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const score = reviewScore(ratings);
  const shown = Number.isInteger(mean) ? String(mean) : mean.toFixed(1);
  return {
    criteria,
    mean,
    score,
    formula: `Average rating ${shown} of 5, on a scale where 1 is 0 and 5 is 100: ${score} / 100.`,
  };
}

/** The score that counts: the manager's when reviewed, otherwise the option's automatic score. */
export function finalScore(autoScore: number | null, review: { ratings: Ratings } | null | undefined): number | null {
  return review ? reviewScore(review.ratings) : autoScore;
}

/** Free text is trimmed; blank counts as no text (and so is not queued for review). */
export const answerTextSchema = z
  .string()
  .max(ANSWER_TEXT_MAX, `Keep it under ${ANSWER_TEXT_MAX} characters.`)
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s))
  .optional();
