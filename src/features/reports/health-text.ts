/** Sentences and cells of the assessment health page, from the report's figures. */
import { strategyLabels, type Leak, type Strategy, type StrategyResult } from './naive-strategies';
import { formatShare } from '../progress/status-tone';

/** "always the longest passes 100 % of runs; at random passes 3.9 % of runs" — the strategies that get through. */
export function throughText(results: readonly StrategyResult[], what: 'attempts' | 'runs'): string {
  return results
    .filter((r) => r.getsThrough)
    .map((r) => `${strategyLabels[r.strategy].toLowerCase()} passes ${formatShare(r.passRate)} of ${what}`)
    .join('; ');
}

/** "Always the longest (100 %), Always “False” (100 %)" — who gets a question or point right, and how often. */
export function leakText(leak: Leak | undefined): string {
  if (!leak) return '';
  return (Object.entries(leak.rates) as [Strategy, number][])
    .map(([s, rate]) => `${strategyLabels[s]} (${formatShare(rate)})`)
    .join(', ');
}

/** A long prompt or label cut to `n` characters for a table cell. */
export function shorten(text: string, n = 110): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
