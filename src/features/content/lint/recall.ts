/**
 * Lint rule "recall dressed as transfer": a quiz scenario or a judgment case whose situation largely repeats a
 * lesson's words or another case's. A learner who recognises the text answers from memory; a fresh situation
 * shows whether they can apply the standard. Compared by word 5-grams (overlap.ts).
 */
import type { Content } from '../load';
import { lintLimits, noteIn, percent, type Finding } from './finding';
import { containment, lessonProse, longestSharedRun, ngrams } from './overlap';
import type { CertificationScope } from './scope';

interface Source {
  label: string;
  text: string;
  grams: Set<string>;
}

export function lintRecall(content: Content, scope: CertificationScope): Finding[] {
  const out: Finding[] = [];
  const lessons: Source[] = [...content.modules.values()].map((m) => {
    const text = lessonProse(m.text);
    return { label: `the lesson "${m.id}"`, text, grams: ngrams(text) };
  });
  const cases = new Map<string, Source>();
  for (const [id, e] of content.cases) {
    if (e.data) cases.set(id, { label: `the case "${id}"`, text: e.data.situation, grams: ngrams(e.data.situation) });
  }
  /** The source the text repeats most, when it repeats one enough. */
  const closest = (text: string, sources: Source[]) => {
    const grams = ngrams(text);
    let found: { source: Source; share: number } | undefined;
    for (const source of sources) {
      const share = containment(grams, source.grams);
      if (share >= lintLimits.overlap && share > (found?.share ?? 0)) found = { source, share };
    }
    return found;
  };
  const message = (what: string, text: string, hit: { source: Source; share: number }) =>
    `${what} repeats ${hit.source.label}: ${percent(hit.share)} of its five-word phrases appear there, e.g. "${longestSharedRun(text, hit.source.text)}"`;
  const suggestion =
    'set it somewhere the lesson has not been (another channel, product or customer, a different complication) so the learner has to apply the standard rather than recognise the text';

  for (const [id, entry] of content.quizzes) {
    const quiz = entry.data;
    if (!quiz) continue;
    const note = noteIn(entry, { kind: 'quiz', id }, scope.quizzes.has(id), out);
    quiz.questions.forEach((q, i) => {
      if (!q.scenario) return;
      const hit = closest(q.scenario, [...lessons, ...cases.values()]);
      if (hit) note(['questions', i, 'scenario'], 'recall-overlap', message(`question "${q.id}": the scenario`, q.scenario, hit), suggestion);
    });
  }
  for (const [id, entry] of content.cases) {
    const c = cases.get(id);
    if (!c) continue;
    const note = noteIn(entry, { kind: 'case', id }, scope.cases.has(id), out);
    const hit = closest(c.text, [...lessons, ...[...cases].filter(([other]) => other !== id).map(([, s]) => s)]);
    if (hit) note(['situation'], 'recall-overlap', message('the situation', c.text, hit), suggestion);
  }
  return out;
}
