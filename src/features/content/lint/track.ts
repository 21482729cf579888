/**
 * Lint rule for a track: across the quizzes of its modules, between 35 % and 65 % of the true/false keys are
 * True, so "always False" (or "always True") is no strategy anywhere in the certificate.
 */
import type { Content, Entry } from '../load';
import type { Track } from '../schema';
import { balancedTrueRange, noteIn, percent, plural, range, type Finding } from './finding';
import { trueFalseKeys } from './quiz';

export function lintTrack(entry: Entry<Track>, content: Content): Finding[] {
  const track = entry.data;
  if (!track) return [];
  const out: Finding[] = [];
  const note = noteIn(entry, { kind: 'track', id: track.id }, true, out);
  const perQuiz = track.modules.flatMap((slug) => {
    const quizId = content.modules.get(slug)?.data?.quiz;
    const quiz = quizId ? content.quizzes.get(quizId)?.data : undefined;
    return quiz ? [{ id: quiz.id, keys: trueFalseKeys(quiz) }] : [];
  });
  const n = perQuiz.reduce((sum, q) => sum + q.keys.length, 0);
  const trues = perQuiz.reduce((sum, q) => sum + q.keys.filter((k) => k.key).length, 0);
  const { lo, hi } = balancedTrueRange(n);
  if (n === 0 || (trues >= lo && trues <= hi)) return out;
  const majority = trues > hi;
  const count = majority ? trues : n - trues;
  const fix = majority ? trues - hi : lo - trues;
  const worst = perQuiz
    .map((q) => ({ id: q.id, count: q.keys.filter((k) => k.key === majority).length }))
    .filter((q) => q.count > 0)
    .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
    .slice(0, 3);
  note(
    ['modules'],
    'true-false-balance',
    `${count} of the ${plural(n, 'true/false question')} in this track's quizzes are keyed "${majority ? 'True' : 'False'}" (${percent(trues / n)} True; the target is 35–65%)`,
    `rewrite about ${plural(fix, 'statement')} so the answer is "${majority ? 'False' : 'True'}" (${range(lo, hi)} of ${n} True), starting with ${worst.map((q) => `${q.id} (${q.count})`).join(', ')}`,
  );
  return out;
}
