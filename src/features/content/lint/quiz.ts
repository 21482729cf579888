/**
 * Lint rules for one quiz: balanced true/false keys, no key that stands out by its length (neither the longest
 * option as a habit, nor next to a throwaway distractor), and — for certification quizzes — a pool large enough
 * that a retake meets new questions.
 */
import type { Entry } from '../load';
import type { Question, Quiz } from '../schema';
import { balancedTrueRange, range, lintLimits, longestIndexes, noteIn, percent, plural, shownLength, type Finding } from './finding';

export function lintQuiz(entry: Entry<Quiz>, certification: boolean): Finding[] {
  const quiz = entry.data;
  if (!quiz) return [];
  const out: Finding[] = [];
  const note = noteIn(entry, { kind: 'quiz', id: quiz.id }, certification, out);

  // True/false keys.
  const tf = trueFalseKeys(quiz);
  const trues = tf.filter((k) => k.key).length;
  const { lo, hi } = balancedTrueRange(tf.length);
  if (trues < lo || trues > hi) {
    const majority = trues > hi ? 'True' : 'False';
    const count = trues > hi ? trues : tf.length - trues;
    const first = tf.find((k) => (k.key ? 'True' : 'False') === majority)!;
    const fix = trues > hi ? trues - hi : lo - trues;
    note(
      ['questions', first.index],
      'true-false-balance',
      `${count} of ${plural(tf.length, 'true/false question')} are keyed "${majority}" (${percent(trues / tf.length)} True): a learner who always answers "${majority}" gets them all`,
      `rewrite ${plural(fix, 'statement')} so the answer is "${majority === 'True' ? 'False' : 'True'}" (aim for ${range(lo, hi)} of ${tf.length} True), e.g. question "${first.id}"`,
    );
  }

  // The key as the longest option, quiz-wide.
  const keyed = quiz.questions.map((q, index) => ({ q, index })).filter(({ q }) => hasKey(q));
  const longest = keyed.filter(({ q }) => keyIsLongest(q));
  if (keyed.length > 0 && longest.length / keyed.length > lintLimits.longestShare) {
    for (const { q, index } of longest) {
      const key = q.options.findIndex((o) => o.correct);
      note(
        ['questions', index, 'options', key, 'text'],
        'longest-key',
        `question "${q.id}": the key is the longest option, as in ${longest.length} of ${keyed.length} keyed questions of this quiz (${percent(longest.length / keyed.length)}; keep it to a third or less)`,
        'give a wrong option the same length and precision as the key (a real misconception, fully worded), or say the key more briefly',
      );
    }
  }

  // Throwaway distractors.
  quiz.questions.forEach((q, i) => {
    if (!hasKey(q)) return;
    const keyLength = Math.min(...q.options.filter((o) => o.correct).map((o) => shownLength(o.text)));
    if (keyLength < lintLimits.throwawayMinKey) return;
    q.options.forEach((o, j) => {
      const length = shownLength(o.text);
      if (o.correct || length >= lintLimits.throwawayRatio * keyLength) return;
      note(
        ['questions', i, 'options', j, 'text'],
        'throwaway-distractor',
        `question "${q.id}": wrong option "${o.id}" has ${length} characters against ${q.kind === 'multiple' ? 'the shortest right option' : 'the key'}'s ${keyLength}: learners can rule it out by its length alone`,
        `write it as a plausible mistake about as long and specific as the key (at least ${Math.ceil(lintLimits.throwawayRatio * keyLength)} characters), e.g. a common misconception with its own reason`,
      );
    });
  });

  // Pool size, for certification quizzes.
  if (certification) {
    const pool = quiz.questions.length;
    const asked = Math.min(quiz.draw ?? pool, pool);
    const needed = Math.ceil(lintLimits.poolPerDraw * asked - 1e-9);
    if (pool < needed) {
      const more = needed - pool;
      if (quiz.draw === undefined) {
        note(
          ['questions'],
          'small-pool',
          `the quiz asks all ${pool} of its questions on every attempt, so a retake is the same test and the answers can be memorised`,
          `add \`draw: ${asked}\` and ${plural(more, 'more question')} (a pool of at least ${needed}, 1.5 × the draw), or draw fewer`,
        );
      } else {
        note(
          ['draw'],
          'small-pool',
          `the quiz draws ${asked} of a pool of ${pool}: a retake meets mostly the same questions (a certification quiz needs a pool of at least ${needed}, 1.5 × the draw)`,
          `add ${plural(more, 'question')} to the pool, or draw no more than ${Math.floor(pool / lintLimits.poolPerDraw)}`,
        );
      }
    }
  }
  return out;
}

interface TrueFalseKey {
  id: string;
  index: number;
  /** True when the key is "True". */
  key: boolean;
}

export function trueFalseKeys(quiz: Quiz): TrueFalseKey[] {
  return quiz.questions.flatMap((q, index) =>
    q.kind === 'true-false' ? [{ id: q.id, index, key: q.options.find((o) => o.correct)?.id === 'true' }] : [],
  );
}

/** Questions with a key among options of free length (true/false and ordering have neither). */
function hasKey(q: Question): boolean {
  return (q.kind === 'single' || q.kind === 'scenario' || q.kind === 'multiple') && q.options.some((o) => o.correct);
}

/** Single answer: the key is (one of) the longest. Multiple: every right option is at least as long as every wrong one. */
export function keyIsLongest(q: Question): boolean {
  if (q.kind === 'multiple') {
    const right = q.options.filter((o) => o.correct).map((o) => shownLength(o.text));
    const wrong = q.options.filter((o) => !o.correct).map((o) => shownLength(o.text));
    return wrong.length > 0 && Math.min(...right) >= Math.max(...wrong);
  }
  const key = q.options.findIndex((o) => o.correct);
  return longestIndexes(q.options.map((o) => o.text)).includes(key);
}
