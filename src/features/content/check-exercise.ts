/**
 * QA calibration exercise rules beyond the schema: 3–5 contacts with unique ids, a scorecard of known standards, an
 * expert call (and reason) on every scorecard standard of every contact, a key that is not all one way, and a
 * lesson that actually leads to the exercise.
 */
import type { Content, Entry, Report } from './load';
import type { MdxElement } from './mdx';
import type { Exercise } from './schema';

export const MIN_CONTACTS = 3;
export const MAX_CONTACTS = 5;

/** `lessonElements`: the kit elements of each module's lesson (as scanned for the module checks). */
export function checkExercise(
  entry: Entry<Exercise>,
  content: Content,
  lessonElements: ReadonlyMap<string, readonly MdxElement[]>,
  report: Report,
): void {
  const ex = entry.data;
  if (!ex) return;
  if (!content.modules.has(ex.module)) {
    report(['module'], `unknown module "${ex.module}"`);
  } else {
    const shown = lessonElements.get(ex.module)?.some((el) => el.name === 'Exercise' && el.attributes.id === entry.id);
    if (shown === false) {
      report(['module'], `the lesson of module "${ex.module}" never shows this exercise: add <Exercise id="${entry.id}" /> to it`);
    }
  }

  const onCard = new Set<string>();
  ex.scorecard.forEach((s, i) => {
    if (onCard.has(s)) report(['scorecard', i], `standard "${s}" is on the scorecard twice`);
    else if (!content.standards.has(s)) report(['scorecard', i], `unknown standard "${s}"`);
    onCard.add(s);
  });

  if (ex.contacts.length < MIN_CONTACTS || ex.contacts.length > MAX_CONTACTS) {
    report(['contacts'], `the exercise has ${ex.contacts.length} contacts; give ${MIN_CONTACTS} to ${MAX_CONTACTS}`);
  }
  const contactIds = new Set<string>();
  const calls = new Set<string>();
  ex.contacts.forEach((c, i) => {
    if (contactIds.has(c.id)) report(['contacts', i, 'id'], `duplicate contact id "${c.id}"`);
    contactIds.add(c.id);
    // An unknown standard on the card is reported once, above, not again for every contact.
    const missing = [...onCard].filter((s) => content.standards.has(s) && !(s in c.expert));
    if (missing.length > 0) {
      report(['contacts', i, 'expert'], `contact "${c.id}" has no expert score for ${missing.map((s) => `"${s}"`).join(', ')}`);
    }
    for (const [s, call] of Object.entries(c.expert)) {
      if (!onCard.has(s)) report(['contacts', i, 'expert', s], `contact "${c.id}": "${s}" is not on the scorecard`);
      else calls.add(call.score);
    }
  });
  // A key that never says "not met" (or never "met") is passed by ticking one column: it calibrates nothing.
  for (const [score, words] of [
    ['not-met', 'not met'],
    ['met', 'met'],
  ] as const) {
    if (ex.contacts.length > 0 && !calls.has(score)) {
      report(['contacts'], `the expert never scores a standard "${words}": a one-sided key is passed by ticking one column`);
    }
  }
}
