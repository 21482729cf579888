/**
 * Lint rules for a judgment case. It must be a dilemma: when the strongest option is also the longest label, or
 * the runner-up trails it by a wide margin, the case tests reading, not judgment. And since a case shows its options
 * in the order written (judgment.ts `publicCase`), the strongest must not come first.
 */
import type { Entry } from '../load';
import type { JudgmentCase } from '../schema';
import { lintLimits, longestIndexes, noteIn, type Finding } from './finding';

export function lintCase(entry: Entry<JudgmentCase>, certification: boolean): Finding[] {
  const c = entry.data;
  if (!c) return [];
  const out: Finding[] = [];
  const note = noteIn(entry, { kind: 'case', id: c.id }, certification, out);
  const top = Math.max(...c.options.map((o) => o.score));
  const strongest = c.options.flatMap((o, i) => (o.score === top ? [i] : []));
  const longest = longestIndexes(c.options.map((o) => o.label)).find((i) => strongest.includes(i));
  if (longest !== undefined) {
    note(
      ['options', longest, 'label'],
      'no-dilemma',
      `the strongest option "${c.options[longest]!.id}" (score ${top}) is also the longest label: a learner can pick it by its length`,
      'give a weaker option an equally full and reasoned label (what a sensible rep might really do), or shorten the strongest one',
    );
  }
  if (strongest.includes(0)) {
    note(
      ['options', 0, 'id'],
      'strongest-first',
      `the strongest option "${c.options[0]!.id}" is listed first, and cases show their options in the order written: "always the first" picks it`,
      'move it further down the list, e.g. after an option that sounds just as reasonable',
    );
  }
  const others = c.options.map((o, i) => ({ o, i })).filter(({ o }) => o.score < top);
  const second = others.sort((a, b) => b.o.score - a.o.score)[0];
  if (strongest.length === 1 && second && top - second.o.score > lintLimits.dilemmaGap) {
    note(
      ['options', second.i, 'score'],
      'no-dilemma',
      `the runner-up "${second.o.id}" scores ${second.o.score}, ${top - second.o.score} points behind the strongest option: no real dilemma`,
      `make a second option a defensible call (within ${lintLimits.dilemmaGap} points of the strongest), so the case weighs two good instincts against each other`,
    );
  }
  return out;
}
