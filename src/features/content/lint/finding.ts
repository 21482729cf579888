/**
 * Authoring lint: what the assessment rules report. A finding is not a broken file (those are the checker's
 * problems and always fail); it is a way a learner could score without understanding — a key that is always the
 * longest option, true/false keys that are nearly all "False", a question pool too small to stop memorising.
 * Findings are warnings; `content:check --strict` makes those on certification content (scope.ts) errors.
 */
import type { Entry, Position, YamlPath } from '../load';

export const lintRules = [
  'true-false-balance',
  'longest-key',
  'throwaway-distractor',
  'longest-best-reply',
  'no-dilemma',
  'strongest-first',
  'small-pool',
  'recall-overlap',
] as const;
export type LintRule = (typeof lintRules)[number];

/** A rule's name for people (the health page). */
export const lintRuleLabels: Record<LintRule, string> = {
  'true-false-balance': 'True/false keys unbalanced',
  'longest-key': 'The key is the longest option',
  'throwaway-distractor': 'Throwaway distractor',
  'longest-best-reply': 'The best reply is the longest',
  'no-dilemma': 'No real dilemma',
  'strongest-first': 'Strongest call listed first',
  'small-pool': 'Question pool too small',
  'recall-overlap': 'Recall dressed as transfer',
};

/** What a finding is about, so the health page can show it next to that quiz, role-play, case or track. */
export interface Subject {
  kind: 'quiz' | 'roleplay' | 'case' | 'track';
  id: string;
}

export interface Finding extends Position {
  rule: LintRule;
  file: string;
  /** What is wrong, with the numbers behind it. */
  message: string;
  /** What an author can do about it. */
  suggestion: string;
  subject: Subject;
  /** On certification content (scope.ts): an error under `--strict`. */
  certification: boolean;
}

/** Every threshold in one place; content/README.md explains each (and how the overlap one was set). */
export const lintLimits = {
  /** Share of true/false keys that should be True, in a quiz and in a track. */
  trueShare: { min: 0.35, max: 0.65 },
  /** Above this share of keyed questions (or role-play nodes) where the key is the longest, it is a tell. */
  longestShare: 1 / 3,
  /** A wrong option shorter than this share of the key's length is a throwaway… */
  throwawayRatio: 0.5,
  /** …once the key is at least this many characters (short answers are short for every option). */
  throwawayMinKey: 40,
  /** A judgment case whose runner-up trails the strongest option by more than this has no dilemma. */
  dilemmaGap: 15,
  /** A certification quiz's pool must be at least this multiple of what it asks per attempt. */
  poolPerDraw: 1.5,
  /** Share of a scenario's word 5-grams found in one lesson or another case that makes it recall. */
  overlap: 0.3,
} as const;

/** Records a finding in one content file, at a YAML key (positioned like the checker's problems). */
export type Note = (where: YamlPath, rule: LintRule, message: string, suggestion: string) => void;

export function noteIn(entry: Entry<unknown>, subject: Subject, certification: boolean, out: Finding[]): Note {
  return (where, rule, message, suggestion) =>
    out.push({ rule, file: entry.file, ...entry.at(where), message, suggestion, subject, certification });
}

/** Length of an option or reply as a learner sees it: characters, with runs of white space counted once. */
export function shownLength(text: string): number {
  return text.trim().replace(/\s+/g, ' ').length;
}

/** Indexes of the longest texts (several when tied). */
export function longestIndexes(texts: readonly string[]): number[] {
  const lengths = texts.map(shownLength);
  const max = Math.max(...lengths);
  return lengths.flatMap((l, i) => (l === max ? [i] : []));
}

/**
 * The whole numbers of True keys out of `n` that fall within `trueShare`; when none do (n = 1 or 3), the ones
 * nearest an even split, so a small quiz is asked for balance it can actually reach.
 */
export function balancedTrueRange(n: number): { lo: number; hi: number } {
  const lo = Math.ceil(lintLimits.trueShare.min * n - 1e-9);
  const hi = Math.floor(lintLimits.trueShare.max * n + 1e-9);
  return lo <= hi ? { lo, hi } : { lo: Math.floor(n / 2), hi: Math.ceil(n / 2) };
}

export const percent = (x: number) => `${Math.round(100 * x)}%`;
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const range = (lo: number, hi: number) => (lo === hi ? String(lo) : `${lo}–${hi}`);
