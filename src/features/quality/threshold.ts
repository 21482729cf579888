/**
 * The loop's rule, pure: a rep whose floor result on a standard for a month falls below the organisation's
 * `quality-floor` gets a coaching note for their manager and a remedial assignment of the module that teaches the
 * standard. A result needs at least `minApplicable` scored items to count, so one bad call in a thin month does not
 * send anyone back to training.
 */
import type { StandardResult } from './quality';

export const MIN_APPLICABLE = 3;

export interface RemedialNeed {
  standardId: string;
  percent: number;
  met: number;
  applicable: number;
  /** The module whose lesson teaches the standard; undefined when no module lists it (no assignment then). */
  moduleId: string | undefined;
}

/** `modulesByStandard`: standard id → the first module (in track order) that lists it. */
export function remedialNeeds(
  results: readonly StandardResult[],
  floorPercent: number,
  modulesByStandard: ReadonlyMap<string, string>,
  minApplicable = MIN_APPLICABLE,
): RemedialNeed[] {
  return results
    .filter((r) => r.applicable >= minApplicable && r.percent < floorPercent)
    .map((r) => ({
      standardId: r.standardId,
      percent: r.percent,
      met: r.met,
      applicable: r.applicable,
      moduleId: modulesByStandard.get(r.standardId),
    }));
}

/** The coaching note the manager reads: what was seen, against what floor, and what was assigned. */
export function coachingNote(
  repName: string,
  standardTitle: string,
  need: RemedialNeed,
  floorPercent: number,
  moduleTitle: string | undefined,
): string {
  const seen = `${repName} met "${standardTitle}" on ${need.met} of ${need.applicable} scored contacts this month (${need.percent}%), below the floor of ${floorPercent}%.`;
  const next = moduleTitle
    ? ` "${moduleTitle}" has been assigned to them. Talk it through with them this week: go over one of the contacts together and agree what they will do differently.`
    : ' No module teaches this standard yet: talk it through with them this week, using one of the contacts.';
  return seen + next;
}

export interface RemedialTodo {
  moduleId: string;
  /** The earliest due date among its open remedials (null: none set). */
  dueAt: number | null;
  standardIds: string[];
}

/**
 * The rep's open remedial assignments as lessons to revisit: those with a module, not done since they were made, one
 * per module (a module that teaches two weak standards is one lesson to read), the soonest due first.
 */
export function remedialTodos(
  rows: readonly { moduleId: string | null; dueAt: number | null; completedAt: number | null; standardId: string }[],
): RemedialTodo[] {
  const byModule = new Map<string, RemedialTodo>();
  for (const r of rows) {
    if (!r.moduleId || r.completedAt !== null) continue;
    const todo = byModule.get(r.moduleId) ?? { moduleId: r.moduleId, dueAt: r.dueAt, standardIds: [] };
    if (r.dueAt !== null && (todo.dueAt === null || r.dueAt < todo.dueAt)) todo.dueAt = r.dueAt;
    if (!todo.standardIds.includes(r.standardId)) todo.standardIds.push(r.standardId);
    byModule.set(r.moduleId, todo);
  }
  return [...byModule.values()].sort(
    (a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || a.moduleId.localeCompare(b.moduleId),
  );
}
