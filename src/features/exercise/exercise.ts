/**
 * The QA calibration exercise's pure core: what the browser may see before submitting, checking a learner's calls,
 * grading them against the expert's (agreement per item, per contact and overall) and what the review may show.
 * exercise.server.ts stores and loads; the attempt policy (maximum, cooldown) is ../attempts/policy.ts.
 *
 * Data shape. An item is one contact × one scorecard standard; the learner and the expert each call it met, not
 * met or not applicable, and they agree when the calls are the same. Agreement is the percent of items agreed,
 * rounded down, over the whole exercise and per contact.
 *
 * Lifecycle of an attempt: open → submitted (graded once), or open → content_changed (the module's material
 * changed while it was open; it does not count against the learner).
 */
import type { Channel, Exercise, ScorecardScore, Standard, TranscriptTurn } from '../content/schema';
import { agreementPercent, compareScores, scorecardOf, type ScorecardItem, type Scores } from '../scorecard/scorecard';

// ---------------------------------------------------------------------------------------------- what the browser gets

export interface PublicContact {
  id: string;
  channel: Channel;
  title: string;
  transcript: TranscriptTurn[];
}

export interface PublicExercise {
  id: string;
  title: string;
  passMark: number;
  instructions: string;
  scorecard: ScorecardItem[];
  contacts: PublicContact[];
}

/** Everything the exercise page shows before submission: the contacts and the scorecard. Never the expert's calls. */
export function toPublicExercise(exercise: Exercise, standards: ReadonlyMap<string, Standard>): PublicExercise {
  return {
    id: exercise.id,
    title: exercise.title,
    passMark: exercise.passMark,
    instructions: exercise.instructions,
    scorecard: scorecardOf(exercise.scorecard, standards),
    contacts: exercise.contacts.map((c) => ({
      id: c.id,
      channel: c.channel,
      title: c.title,
      transcript: c.transcript,
    })),
  };
}

// ---------------------------------------------------------------------------------------------- the learner's calls

/** Contact id → standard id → call. */
export type ExerciseScores = Record<string, Scores>;

export type ScoresCheck = { ok: true } | { ok: false; kind: 'unknown-item' | 'incomplete'; message: string };

/** Every call names a contact of the exercise and a standard on its scorecard, and every item has a call. */
export function checkScores(exercise: Exercise, scores: ExerciseScores): ScoresCheck {
  for (const [contactId, calls] of Object.entries(scores)) {
    const contact = exercise.contacts.find((c) => c.id === contactId);
    if (!contact)
      return { ok: false, kind: 'unknown-item', message: `Contact "${contactId}" is not part of this exercise.` };
    const off = Object.keys(calls).find((s) => !exercise.scorecard.includes(s));
    if (off) return { ok: false, kind: 'unknown-item', message: `"${off}" is not on the scorecard of this exercise.` };
  }
  const missing = exercise.contacts.flatMap((c) =>
    exercise.scorecard.filter((s) => !scores[c.id]?.[s]).map((s) => ({ c, s })),
  );
  if (missing.length > 0) {
    const first = missing[0]!;
    const which = `${missing.length === 1 ? 'One call is' : `${missing.length} calls are`} still missing`;
    return {
      ok: false,
      kind: 'incomplete',
      message: `${which} (the first in “${first.c.title}”). Score every standard on every contact, then send.`,
    };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------- grading

export interface GradedItem {
  contactId: string;
  standardId: string;
  score: ScorecardScore;
  /** The expert's call when the attempt was graded. */
  expert: ScorecardScore;
  agrees: boolean;
}

export interface Agreement {
  agreed: number;
  total: number;
  /** Percent, rounded down. */
  score: number;
}

export interface ExerciseGrade extends Agreement {
  items: GradedItem[];
  passed: boolean;
  /** Per contact, in the exercise's order. */
  contacts: (Agreement & { contactId: string })[];
}

/** Compares every call with the expert's. Call `checkScores` first; an item without a call is not expected here. */
export function gradeExercise(exercise: Exercise, scores: ExerciseScores): ExerciseGrade {
  const cardItems = exercise.scorecard.map((standardId) => ({ standardId }));
  const items = exercise.contacts.flatMap((c) => {
    const expert = Object.fromEntries(Object.entries(c.expert).map(([s, call]) => [s, call.score]));
    return compareScores(cardItems, scores[c.id] ?? {}, expert).map((x): GradedItem => ({
      contactId: c.id,
      standardId: x.standardId,
      score: x.mine,
      expert: x.theirs,
      agrees: x.agrees,
    }));
  });
  return { ...agreementOf(items, exercise.passMark), items };
}

/** Overall and per-contact agreement of graded items (as stored), contacts in first-seen order. */
export function agreementOf(items: readonly GradedItem[], passMark: number): Omit<ExerciseGrade, 'items'> {
  const tally = (xs: readonly GradedItem[]): Agreement => {
    const agreed = xs.filter((x) => x.agrees).length;
    return { agreed, total: xs.length, score: agreementPercent(agreed, xs.length) };
  };
  const contactIds = [...new Set(items.map((x) => x.contactId))];
  const overall = tally(items);
  return {
    ...overall,
    passed: overall.total > 0 && overall.score >= passMark,
    contacts: contactIds.map((contactId) => ({ contactId, ...tally(items.filter((x) => x.contactId === contactId)) })),
  };
}

// ---------------------------------------------------------------------------------------------- review

export interface ReviewItem {
  standardId: string;
  score: ScorecardScore;
  /** Present only in a full review. */
  expert?: ScorecardScore;
  agrees?: boolean;
  /** The expert's reason, when the exercise still makes the same call on this item. */
  reason?: string;
  /** Full review: the expert's call on this item has changed since the attempt was graded. */
  keyChanged?: boolean;
}

export interface ReviewContact extends Agreement {
  contactId: string;
  /** Undefined when the contact is no longer in the exercise. */
  contact?: PublicContact;
  items: ReviewItem[];
}

export interface ExerciseReview {
  /** `full`: the expert's call and reason beside each of the learner's. `agreement-only`: see `reviewFor`. */
  level: 'full' | 'agreement-only';
  contacts: ReviewContact[];
}

/**
 * What the result page may show of a graded attempt. `review: always`, or any attempt once the learner has passed
 * this exercise: the full review, every item with the expert's call and reason. `review: after-pass` before a pass:
 * agreement per contact and the learner's own calls, but not the expert's, nor which items agreed (with three
 * possible calls, knowing which ones differ gives most of the key away).
 */
export function reviewFor(
  exercise: Exercise,
  items: readonly GradedItem[],
  opts: { passedEver: boolean },
): ExerciseReview {
  const full = exercise.review === 'always' || opts.passedEver;
  const { contacts } = agreementOf(items, exercise.passMark);
  // In the exercise's order; what it no longer has goes last.
  const orderIn = (list: readonly string[], id: string) => (list.includes(id) ? list.indexOf(id) : list.length);
  const contactIds = exercise.contacts.map((c) => c.id);
  const rank = (contactId: string) => orderIn(contactIds, contactId);
  const cardRank = (standardId: string) => orderIn(exercise.scorecard, standardId);
  return {
    level: full ? 'full' : 'agreement-only',
    contacts: [...contacts]
      .sort((a, b) => rank(a.contactId) - rank(b.contactId))
      .map((agreement) => {
        const contact = exercise.contacts.find((c) => c.id === agreement.contactId);
        const mine = items
          .filter((x) => x.contactId === agreement.contactId)
          .sort((a, b) => cardRank(a.standardId) - cardRank(b.standardId));
        return {
          ...agreement,
          ...(contact
            ? {
                contact: {
                  id: contact.id,
                  channel: contact.channel,
                  title: contact.title,
                  transcript: contact.transcript,
                },
              }
            : {}),
          items: mine.map((x): ReviewItem => {
            if (!full) return { standardId: x.standardId, score: x.score };
            const now = contact?.expert[x.standardId];
            return {
              standardId: x.standardId,
              score: x.score,
              expert: x.expert,
              agrees: x.agrees,
              ...(now && now.score === x.expert ? { reason: now.reason } : {}),
              ...(now && now.score !== x.expert ? { keyChanged: true } : {}),
            };
          }),
        };
      }),
  };
}
