/**
 * Word n-gram overlap between two texts, for the "recall dressed as transfer" rule: a quiz scenario or a judgment
 * case that copies long runs of words from a lesson (or from another case) tests memory of the wording, not whether
 * the learner can apply the standard to a situation they have not met.
 *
 * Texts are compared as lower-case words (letters, digits and inner apostrophes; Markdown, MDX tags and
 * punctuation dropped). `containment` is the share of the first text's n-grams that also occur in the second,
 * which suits a short scenario against a long lesson; `jaccard` is symmetric, for two texts of similar size.
 */

export const NGRAM = 5;

/** The words of a text, lower-cased, with typographic apostrophes made straight. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[’‘]/g, "'").match(/[a-z0-9]+(?:'[a-z0-9]+)*/g) ?? [];
}

/** The set of word n-grams of a text (a text shorter than n words has none). */
export function ngrams(text: string, n = NGRAM): Set<string> {
  const words = wordsOf(text);
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

/** Share of `a`'s n-grams that are also in `b` (0 when `a` has none). */
export function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / a.size;
}

/** |a ∩ b| / |a ∪ b| (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The longest run of words of `a` that appears word for word in `b`, for the message an author reads. */
export function longestSharedRun(a: string, b: string, n = NGRAM): string {
  const wa = wordsOf(a);
  const gb = ngrams(b, n);
  let best = '';
  let start = -1;
  for (let i = 0; i + n <= wa.length + 1; i++) {
    const hit = i + n <= wa.length && gb.has(wa.slice(i, i + n).join(' '));
    if (hit && start < 0) start = i;
    if (!hit && start >= 0) {
      const run = wa.slice(start, i - 1 + n).join(' ');
      if (run.length > best.length) best = run;
      start = -1;
    }
  }
  return best;
}

/** A lesson's prose without frontmatter, MDX tags and Markdown markers. */
export function lessonProse(mdx: string): string {
  return mdx
    .replace(/^---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[#*_`>|]/g, ' ');
}
