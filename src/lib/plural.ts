/**
 * Counts in words: "1 run", "3 runs", "1 minute", "2 people". English plural rules come from Intl.PluralRules, so
 * 0 and fractions read "0 runs", "1.5 hours" as people write them; irregular plurals are passed in.
 */
const rules = new Intl.PluralRules('en-US');
const numbers = new Intl.NumberFormat('en-US');

/** `n` with the noun in the form its number takes: countOf(1, 'run') = "1 run"; countOf(2, 'person', 'people'). */
export function countOf(n: number, one: string, other = `${one}s`): string {
  return `${numbers.format(n)} ${rules.select(n) === 'one' ? one : other}`;
}
