/**
 * Quiz rules beyond the schema: each question kind has a well-formed key, the pool is big enough for its draw,
 * and every id points at something that exists.
 */
import type { Content, Entry, Report } from './load';
import type { Quiz } from './schema';

export const MIN_QUESTIONS = 6;
export const MIN_DRAW_POOL = 8;

export function checkQuiz(entry: Entry<Quiz>, content: Content, report: Report): void {
  const quiz = entry.data;
  if (!quiz) return;
  if (!content.modules.has(quiz.module)) report(['module'], `unknown module "${quiz.module}"`);

  const pool = quiz.questions.length;
  if (quiz.draw !== undefined && quiz.draw > pool) {
    report(['draw'], `draw is ${quiz.draw} but the pool has only ${pool} questions`);
  } else if ((quiz.draw ?? pool) < MIN_QUESTIONS) {
    report(quiz.draw === undefined ? ['questions'] : ['draw'], `the quiz asks ${quiz.draw ?? pool} questions; it needs at least ${MIN_QUESTIONS}`);
  } else if (quiz.draw !== undefined && pool < MIN_DRAW_POOL) {
    report(['questions'], `a quiz that draws needs a pool of at least ${MIN_DRAW_POOL} questions; this pool has ${pool}`);
  }

  const questionIds = new Set<string>();
  quiz.questions.forEach((q, i) => {
    const at = ['questions', i];
    if (questionIds.has(q.id)) report([...at, 'id'], `duplicate question id "${q.id}"`);
    questionIds.add(q.id);
    const optionIds = new Set<string>();
    q.options.forEach((o, j) => {
      if (optionIds.has(o.id)) report([...at, 'options', j, 'id'], `duplicate option id "${o.id}" in question "${q.id}"`);
      optionIds.add(o.id);
    });
    q.standards.forEach((s, j) => {
      if (!content.standards.has(s)) report([...at, 'standards', j], `unknown standard "${s}"`);
    });

    const correct = q.options.filter((o) => o.correct === true).length;
    switch (q.kind) {
      case 'true-false':
        if (q.options.length !== 2 || !optionIds.has('true') || !optionIds.has('false')) {
          report([...at, 'options'], `question "${q.id}" (true-false) must have exactly the options "true" and "false"`);
        }
      // falls through: true/false has exactly one right answer too
      case 'single':
      case 'scenario':
        if (correct === 0) report(at, `question "${q.id}" has no correct option`);
        if (correct > 1) report(at, `question "${q.id}" (${q.kind}) has ${correct} correct options; mark exactly one`);
        if (q.kind === 'scenario' && q.scenario === undefined) report(at, `question "${q.id}" (scenario) needs a \`scenario\``);
        break;
      case 'multiple':
        if (correct === 0) report(at, `question "${q.id}" has no correct option`);
        else if (correct === 1) report(at, `question "${q.id}" (multiple) has 1 correct option; mark at least two`);
        if (correct === q.options.length) report(at, `question "${q.id}" (multiple) has no wrong option`);
        break;
      case 'ordering':
        if (q.options.length < 3 || q.options.length > 5) {
          report([...at, 'options'], `question "${q.id}" (ordering) has ${q.options.length} options; give 3 to 5`);
        }
        q.options.forEach((o, j) => {
          if (o.correct !== undefined) {
            report([...at, 'options', j, 'correct'], `question "${q.id}" (ordering): leave out \`correct\`, the listed order is the answer`);
          }
        });
        break;
    }
  });
}
