/**
 * Quality scorecard rules beyond the schema: every item measures a known rep standard (reps' contacts are what is
 * scored), item ids are unique on their card (a standard scored twice needs an `id` per item), and each channel
 * has at most one scorecard, so an evaluator never has to guess which one applies.
 */
import type { Content, Entry, Report } from './load';

export function checkScorecards(content: Content, reporter: (entry: Entry<unknown>) => Report): void {
  const byChannel = new Map<string, string>();
  for (const entry of [...content.scorecards.values()].sort((a, b) => a.file.localeCompare(b.file))) {
    const card = entry.data;
    if (!card) continue;
    const report = reporter(entry);
    const first = byChannel.get(card.channel);
    if (first) report(['channel'], `channel "${card.channel}" already has a scorecard: ${first}`);
    else byChannel.set(card.channel, entry.file);
    const keys = new Set<string>();
    card.items.forEach((item, i) => {
      const standard = content.standards.get(item.standard);
      if (!standard) report(['items', i, 'standard'], `unknown standard "${item.standard}"`);
      else if (standard.data && standard.data.audience !== 'rep') {
        report(['items', i, 'standard'], `standard "${item.standard}" is for managers: a scorecard scores reps' contacts`);
      }
      const key = item.id ?? item.standard;
      if (keys.has(key)) {
        report(['items', i], item.id ? `duplicate item id "${key}"` : `standard "${key}" has two items: give each an id`);
      }
      keys.add(key);
    });
  }
}
