/**
 * The /trainer filter form: track, quiz, role-play, calibration exercise, team and a date range, read from the query string. Pure, so the
 * defaults and the refusals are unit-tested. A value that does not parse is reported (the page answers 400 with
 * the message) and replaced by its default, so the page still shows something sensible.
 */
import { z } from 'zod';
import { slugSchema } from '../content/schema';

const DAY = 24 * 60 * 60 * 1000;
export const DEFAULT_RANGE_DAYS = 90;
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));

export interface TrainerChoices {
  tracks: { id: string; quizzes: string[]; roleplays: string[]; exercises: string[] }[];
  teams: string[];
}

export interface TrainerFilters {
  track: string;
  quiz: string | undefined;
  roleplay: string | undefined;
  exercise: string | undefined;
  team: string | undefined;
  /** ISO dates, both included. */
  from: string;
  to: string;
  /** [fromMs, toMs) for queries: `to` runs to the end of its day. */
  range: { from: number; to: number };
  problems: string[];
}

const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);

export function readTrainerFilters(params: URLSearchParams, choices: TrainerChoices, at: number): TrainerFilters {
  const problems: string[] = [];
  const pickFrom = (name: string, allowed: readonly string[], label: string): string | undefined => {
    const value = params.get(name);
    if (value === null || value === '') return undefined;
    if (slugSchema.safeParse(value).success && allowed.includes(value)) return value;
    problems.push(`There is no such ${label}; showing the default instead.`);
    return undefined;
  };
  const trackId = pickFrom(
    'track',
    choices.tracks.map((x) => x.id),
    'track',
  );
  const track = choices.tracks.find((t) => t.id === trackId) ?? choices.tracks[0];
  // A quiz, role-play or exercise of another track is what the form sends right after the track changes: not an error.
  const within = (name: string, allowed: readonly string[]) => {
    const value = params.get(name);
    return value !== null && allowed.includes(value) ? value : allowed[0];
  };
  const quiz = within('quiz', track?.quizzes ?? []);
  const roleplay = within('roleplay', track?.roleplays ?? []);
  const exercise = within('exercise', track?.exercises ?? []);
  const teamValue = params.get('team');
  let team: string | undefined;
  if (teamValue) {
    if (choices.teams.includes(teamValue)) team = teamValue;
    else problems.push('There is no such team; showing every team instead.');
  }
  const date = (name: string, fallback: string) => {
    const value = params.get(name);
    if (value === null || value === '') return fallback;
    if (isoDate.safeParse(value).success) return value;
    problems.push(`“${name === 'from' ? 'From' : 'To'}” must be a date (YYYY-MM-DD).`);
    return fallback;
  };
  let from = date('from', dateOf(at - DEFAULT_RANGE_DAYS * DAY));
  let to = date('to', dateOf(at));
  if (from > to) {
    problems.push('“From” is after “To”; the dates were swapped.');
    [from, to] = [to, from];
  }
  return {
    track: track?.id ?? '',
    quiz,
    roleplay,
    exercise,
    team,
    from,
    to,
    range: { from: Date.parse(`${from}T00:00:00Z`), to: Date.parse(`${to}T00:00:00Z`) + DAY },
    problems,
  };
}

/** Words for item flags, for the trainer page. */
export const itemFlagLabels = {
  'too-easy': 'Too easy',
  'too-hard': 'Too hard',
  'wrong-beats-right': 'A wrong option beats the right one among strong learners',
  'low-discrimination': 'Low discrimination',
  'negative-discrimination': 'Negative discrimination',
} as const;
