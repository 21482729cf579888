/**
 * The real role-plays in content/: every ending can be reached by some path, each path ends with the score the
 * author gave that ending, and always taking the reply marked `best` passes.
 */
import { describe, expect, it } from 'vitest';
import { loadContent } from '~/features/content/load';
import type { Roleplay } from '~/features/content/schema';
import { applyChoice, initialPosition, type RunPosition } from '~/features/roleplay/roleplay';
import { pathsToEndings } from '../../helpers/roleplay';

const content = await loadContent('content');
const roleplays = [...content.roleplays.values()].map((e) => {
  if (!e.data) throw new Error(`${e.file} does not validate; run npm run content:check`);
  return e.data;
});

/** Plays a list of choice ids (or, with 'best', the best reply at every node) to its ending. */
function playTo(rp: Roleplay, pick: (pos: RunPosition, i: number) => string) {
  let pos = initialPosition(rp);
  for (let i = 0; i < 200; i++) {
    const out = applyChoice(rp, pos, pick(pos, i));
    if (!out.ok) throw new Error(out.message);
    if (out.next.kind === 'ending') return { ending: out.next.id, score: out.next.ending.score, steps: i + 1 };
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error('no ending within 200 steps');
}

describe('the role-plays in content/', () => {
  it('exist', () => {
    expect(roleplays.length).toBeGreaterThanOrEqual(1);
  });

  describe.each(roleplays.map((rp) => [rp.id, rp] as const))('%s', (_id, rp) => {
    it('reaches every ending, each with its authored score', () => {
      const paths = pathsToEndings(rp);
      expect([...paths.keys()].sort()).toEqual(Object.keys(rp.endings).sort());
      for (const [endingId, path] of paths) {
        expect(playTo(rp, (_p, i) => path[i]!)).toEqual({
          ending: endingId,
          score: rp.endings[endingId]!.score,
          steps: path.length,
        });
      }
    });

    it('passes when the learner always takes the best reply, and has an ending below the pass score', () => {
      const best = playTo(rp, (pos) => {
        const choices = rp.nodes[pos.nodeId]!.choices;
        return (choices.find((c) => c.best) ?? choices[0]!).id;
      });
      expect(best.score).toBeGreaterThanOrEqual(rp.passScore);
      expect(Object.values(rp.endings).some((e) => e.score < rp.passScore)).toBe(true);
    });
  });
});
