/**
 * What each demo person did, for history.ts to turn into records: quizzes passed or failed, role-plays played
 * well or badly, written answers to judgment cases (some reviewed), each so many days before the seed runs.
 *
 * rep1 and rep2 have no script: rep1 is on day one (the README's walkthrough starts from nothing), rep2 is two
 * months in, overdue and not started (the e2e specs read every lesson as rep2 before any answer, to find leaks).
 * The e2e specs play late-delivery-promise as rep2, rep3 and rep4 from a first run, so only rep5, rep6 and the two
 * managers have runs of it.
 *
 * The manager track starts with the frontline modules (train-managers-too), so each manager's script does those
 * first; the certification rules then give them the frontline certificate as well, as they would in real use.
 */
const HOUR_IN_DAYS = 1 / 24;

export type Step =
  | { quiz: string; pass: boolean; daysAgo: number }
  | { roleplay: string; good: boolean; daysAgo: number }
  | {
      case: string;
      option: number;
      text: string;
      daysAgo: number;
      review?: { by: string; rating: number; comment: string; daysAgo: number };
    };

const rep = [
  'greeting-and-attitude',
  'active-listening',
  'setting-expectations',
  'handling-complaints',
  'never-leave-hanging',
  'follow-up-touchpoints',
  'judgment-breaking-precedent',
].map((m) => `${m}-quiz`);
const mgr = [
  'hiring-methodically',
  'training-thoroughly',
  'writing-standards',
  'measuring-service',
  'monitoring-and-coaching',
  'listening-to-customers',
  'handling-escalations',
].map((m) => `${m}-quiz`);
/** Every quiz of a list passed, one every `gap` days from `from` days ago. */
const passAll = (quizzes: string[], from: number, gap: number): Step[] =>
  quizzes.map((quiz, i) => ({ quiz, pass: true, daysAgo: from - i * gap }));

/** The scripts, by email. Fractions of days keep a retry after a failure past the quiz's cooldown. */
export const demoScripts: Record<string, Step[]> = {
  // Certified on the manager track three months ago: the frontline part first, then the manager modules, after one
  // failed attempt and a bad first run; a practice role-play since.
  'manager1@demo.test': [
    ...passAll(rep, 126, 1),
    { roleplay: 'late-delivery-promise', good: true, daysAgo: 119 },
    { roleplay: 'abusive-caller', good: true, daysAgo: 118.8 },
    { roleplay: 'one-star-threat', good: true, daysAgo: 118.6 },
    { quiz: mgr[3]!, pass: false, daysAgo: 118 },
    ...passAll(mgr, 116, 3),
    { roleplay: 'results-huddle', good: true, daysAgo: 97.5 },
    { roleplay: 'escalated-customer', good: false, daysAgo: 97 },
    { roleplay: 'coaching-after-complaint', good: true, daysAgo: 96 },
    { roleplay: 'escalated-customer', good: true, daysAgo: 95 },
    { roleplay: 'peer-target', good: true, daysAgo: 40 },
  ],
  // Promoted three weeks ago: the frontline part done in the first week, part-way through the manager modules.
  'manager2@demo.test': [
    ...passAll(rep, 20, 1),
    { roleplay: 'late-delivery-promise', good: true, daysAgo: 13 },
    { roleplay: 'abusive-caller', good: true, daysAgo: 12.8 },
    { roleplay: 'one-star-threat', good: true, daysAgo: 12.6 },
    ...passAll(mgr.slice(0, 3), 11, 3),
    { roleplay: 'escalated-customer', good: false, daysAgo: 3 },
  ],
  // Mid-way, due in six days: a failed attempt, a retry after the cooldown that passed, a fresh failure yesterday;
  // a written answer (the by-the-book option, worth coaching) waits in Mia's review queue.
  'rep3@demo.test': [
    ...passAll(rep.slice(0, 2), 21, 3),
    { quiz: rep[3]!, pass: false, daysAgo: 9 },
    { quiz: rep[3]!, pass: true, daysAgo: 9 - 2 * HOUR_IN_DAYS },
    { roleplay: 'transfer-runaround', good: true, daysAgo: 7 },
    { roleplay: 'angry-billing-error', good: false, daysAgo: 4 },
    {
      case: 'handling-complaints-case',
      option: 0,
      text: 'He agreed to automatic renewal and the 14 days have passed, so the rule applies. I would explain the terms politely and cancel the next renewal so it cannot happen again.',
      daysAgo: 2,
    },
    { quiz: rep[2]!, pass: false, daysAgo: 1 },
  ],
  'rep4@demo.test': [{ quiz: rep[0]!, pass: true, daysAgo: 6 }],
  // Certified nearly three months ago, after a failed attempt and a bad first run; a reviewed written answer since.
  'rep5@demo.test': [
    { quiz: rep[4]!, pass: false, daysAgo: 92.5 },
    ...passAll(rep, 100, 2),
    { roleplay: 'late-delivery-promise', good: false, daysAgo: 86 },
    { roleplay: 'late-delivery-promise', good: true, daysAgo: 84 },
    { roleplay: 'abusive-caller', good: true, daysAgo: 83 },
    { roleplay: 'one-star-threat', good: true, daysAgo: 82 },
    {
      case: 'never-leave-hanging-case',
      option: 1,
      text: 'I would ask him first, point her to the collection desk in one sentence and turn straight back. If she had a follow-up, I would ask her to join the queue.',
      daysAgo: 80,
      review: {
        by: 'manager2@demo.test',
        rating: 4,
        comment:
          'Good: you kept him in control. Next time try a smile and the signs by the entrance, so he is not paused at all.',
        daysAgo: 78,
      },
    },
    { roleplay: 'angry-billing-error', good: true, daysAgo: 45 },
  ],
  // Certified two years ago, renewed last year, and now inside the 30-day renewal window.
  'rep6@demo.test': [
    ...passAll(rep, 725, 2),
    { roleplay: 'late-delivery-promise', good: true, daysAgo: 711 },
    { roleplay: 'abusive-caller', good: true, daysAgo: 710 },
    { roleplay: 'one-star-threat', good: true, daysAgo: 709 },
    ...passAll(rep, 372, 2),
    { roleplay: 'late-delivery-promise', good: true, daysAgo: 358 },
    { roleplay: 'abusive-caller', good: true, daysAgo: 357 },
    { roleplay: 'one-star-threat', good: true, daysAgo: 356 },
    { roleplay: 'angry-billing-error', good: false, daysAgo: 70 },
    { quiz: rep[3]!, pass: true, daysAgo: 33 },
  ],
};
