/**
 * A scorecard: standards a contact is scored against, each called met, not met or not applicable. The items are the
 * standards themselves (what to do, and the `measure` that says what counts), so any list of standard ids makes a
 * scorecard: the QA calibration exercise scores a few transcripts on one and compares them with an expert's calls;
 * scoring real contacts can use the same items, form fields and comparison. Pure.
 *
 * Form fields: one radio group per contact and standard, named `score.<contact id>.<standard id>` with the value
 * `met`, `not-met` or `na`. Ids are kebab-case, so the name splits back unambiguously at its dots.
 */
import { scorecardScores, slugSchema, type ScorecardScore, type Standard } from '../content/schema';

export { scorecardScores, type ScorecardScore };

export interface ScorecardItem {
  standardId: string;
  /** The standard's short name (the item's label). */
  title: string;
  /** What to do. */
  standard: string;
  /** How it is measured: what a scorer looks for. */
  measure: string;
}

/** Standard id → the call made. */
export type Scores = Record<string, ScorecardScore>;

export const scoreLabels: Record<ScorecardScore, string> = { met: 'Met', 'not-met': 'Not met', na: 'Not applicable' };

/** The scorecard's items, in the order given; an id with no standard behind it is left out (the checker reports it). */
export function scorecardOf(standardIds: readonly string[], standards: ReadonlyMap<string, Standard>): ScorecardItem[] {
  return standardIds.flatMap((id) => {
    const s = standards.get(id);
    return s ? [{ standardId: id, title: s.title, standard: s.standard, measure: s.measure }] : [];
  });
}

const FIELD_PREFIX = 'score.';

export function scoreField(contactId: string, standardId: string): string {
  return `${FIELD_PREFIX}${contactId}.${standardId}`;
}

/** The contact and standard a field name addresses, or undefined when it is not a score field. */
export function parseScoreField(name: string): { contactId: string; standardId: string } | undefined {
  if (!name.startsWith(FIELD_PREFIX)) return undefined;
  const [contactId, standardId, ...rest] = name.slice(FIELD_PREFIX.length).split('.');
  if (rest.length > 0 || !slugSchema.safeParse(contactId).success || !slugSchema.safeParse(standardId).success)
    return undefined;
  return { contactId: contactId!, standardId: standardId! };
}

export function isScore(value: unknown): value is ScorecardScore {
  return (scorecardScores as readonly unknown[]).includes(value);
}

export interface ComparedItem {
  standardId: string;
  mine: ScorecardScore;
  theirs: ScorecardScore;
  agrees: boolean;
}

/** Two scorers' calls on the same contact, item by item (in the scorecard's order; items either left out are skipped). */
export function compareScores(
  items: readonly Pick<ScorecardItem, 'standardId'>[],
  mine: Scores,
  theirs: Scores,
): ComparedItem[] {
  return items.flatMap(({ standardId }) => {
    const a = mine[standardId];
    const b = theirs[standardId];
    return a && b ? [{ standardId, mine: a, theirs: b, agrees: a === b }] : [];
  });
}

/** Percent agreement, rounded down, so a shown 90 really is at least 90. Nothing compared: 0. */
export function agreementPercent(agreed: number, total: number): number {
  return total === 0 ? 0 : Math.floor((100 * agreed) / total);
}
