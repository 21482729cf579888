/** What the quiz player (QuizIsland) and its no-JS form (PlainQuizForm) share: props, field names, hints. */
import type { Answers, PublicQuestion, PublicQuiz, ReviewQuestion } from './quiz';

export interface QuizIslandProps {
  quiz: PublicQuiz;
  attemptId: string;
  /** Form actions for the no-JS posts (the page URL with the action's query string). */
  submitAction: string;
  saveAction: string;
  /** Deadline and the server's clock when the page was rendered, for the countdown (null: untimed). */
  deadlineAt: number | null;
  serverNow: number;
  /** A practice attempt: each answer is checked on its own and answered with its feedback. */
  practice?: boolean;
  /** A refusal from a no-JS post, shown above the form. */
  error?: string;
  /** The answers to show chosen: those saved on the server, or those a refused no-JS post carried. */
  prefill?: Answers;
  /** Practice: the feedback of every question already answered. */
  feedback?: Record<string, ReviewQuestion>;
}

export const answerFieldName = (q: PublicQuestion) => `q.${q.id}`;
export const isOrdering = (q: PublicQuestion) => q.kind === 'ordering';
export const kindHint: Record<PublicQuestion['kind'], string> = {
  single: 'Choose one answer.',
  scenario: 'Choose one answer.',
  'true-false': 'True or false?',
  multiple: 'Select all that apply.',
  ordering: 'Put the items in the right order.',
};
