/**
 * A team's monthly results for the huddle, pure: per standard, the month's floor result, the months before it (the
 * trend), and who did best and worst (shown only when the manager chooses to name people). Also the team's
 * strongest and weakest standards of the month, which the huddle opens with. Results need scored items: a standard
 * nobody had occasion to apply in a month has no result for it (not 0 %).
 */
import { standardResults, type ItemValue, type StandardResult } from './quality';

export interface ScoredTeamItem {
  repId: string;
  month: string;
  standardId: string;
  value: ItemValue;
}

export interface StandardRow {
  standardId: string;
  /** Month → result (undefined: nothing scored that month). */
  byMonth: Record<string, StandardResult | undefined>;
  current: StandardResult | undefined;
  /** Percentage points since the previous month with a result; undefined without both. */
  change: number | undefined;
  best: { repId: string; percent: number } | undefined;
  worst: { repId: string; percent: number } | undefined;
}

export interface TeamResults {
  rows: StandardRow[];
  /** The month's highest and lowest standards (by percent, then id); undefined when nothing was scored. */
  strongest: StandardRow | undefined;
  weakest: StandardRow | undefined;
}

/** `months` oldest first, the last being the month shown; `standardIds` the order of the rows. */
export function teamResults(
  items: readonly ScoredTeamItem[],
  months: readonly string[],
  standardIds: readonly string[],
): TeamResults {
  const current = months.at(-1);
  const perMonth = new Map(
    months.map((m) => [m, new Map(standardResults(items.filter((i) => i.month === m)).map((r) => [r.standardId, r]))]),
  );
  const thisMonth = items.filter((i) => i.month === current);
  const reps = [...new Set(thisMonth.map((i) => i.repId))].sort();
  const perRep = new Map(
    reps.map((rep) => [
      rep,
      new Map(standardResults(thisMonth.filter((i) => i.repId === rep)).map((r) => [r.standardId, r])),
    ]),
  );

  const rows = standardIds.map((standardId): StandardRow => {
    const byMonth = Object.fromEntries(months.map((m) => [m, perMonth.get(m)!.get(standardId)]));
    const now = current ? byMonth[current] : undefined;
    const before = months
      .slice(0, -1)
      .reverse()
      .map((m) => byMonth[m])
      .find((r) => r !== undefined);
    const ranked = reps
      .flatMap((repId) => {
        const r = perRep.get(repId)!.get(standardId);
        return r ? [{ repId, percent: r.percent }] : [];
      })
      .sort((a, b) => b.percent - a.percent || a.repId.localeCompare(b.repId));
    return {
      standardId,
      byMonth,
      current: now,
      change: now && before ? now.percent - before.percent : undefined,
      best: ranked[0],
      // A tie is no "worst": with everyone at 100 % nobody is named as last.
      worst: ranked.length > 1 && ranked.at(-1)!.percent < ranked[0]!.percent ? ranked.at(-1) : undefined,
    };
  });
  const scored = rows
    .filter((r) => r.current)
    .sort((a, b) => b.current!.percent - a.current!.percent || a.standardId.localeCompare(b.standardId));
  return { rows, strongest: scored[0], weakest: scored.length > 1 ? scored.at(-1) : undefined };
}

/** The `count` months ending with `month` (YYYY-MM), oldest first. */
export function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1)).toISOString().slice(0, 7),
  );
}
