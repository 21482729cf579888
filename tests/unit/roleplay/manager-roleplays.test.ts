/**
 * A manager role-play on which a certificate can rest cannot be passed by a pattern: always taking the longest reply,
 * or replying at random, ends below the pass score, and the best reply is rarely the longest one. Every reply is tied
 * to a standard, and the other person's words change with their state.
 */
import { describe, expect, it } from 'vitest';
import { loadValidContent } from '~/features/content/load';
import type { Choice, Roleplay } from '~/features/content/schema';
import { applyChoice, initialPosition, replyOrder, type RunPosition } from '~/features/roleplay/roleplay';

const content = await loadValidContent('content');
const roleplays = [...content.roleplays.values()].map((e) => e.data!).filter((r) => r.audience === 'manager');

/** Plays to an ending, `pick` choosing among the replies of each node; returns the ending's score. */
function play(rp: Roleplay, pick: (choices: Choice[], step: number) => Choice): number {
  let pos: RunPosition = initialPosition(rp);
  for (let step = 0; step < 200; step++) {
    const out = applyChoice(rp, pos, pick(rp.nodes[pos.nodeId]!.choices, step).id);
    if (!out.ok) throw new Error(out.message);
    if (out.next.kind === 'ending') return out.next.ending.score;
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error(`${rp.id}: no ending within 200 steps`);
}

const longest = (choices: Choice[]) => choices.reduce((a, b) => (b.text.length > a.text.length ? b : a));

describe.each(roleplays.map((rp) => [rp.id, rp] as const))('%s', (_id, rp) => {
  it('ends below the pass score when the learner always takes the longest reply', () => {
    expect(play(rp, longest)).toBeLessThan(rp.passScore);
  });

  it('scores below the pass score on average when the learner replies at random', () => {
    const runs = 2000;
    let total = 0;
    // The first reply as a run shows them: the engine's own seeded shuffle, so a uniformly random reply.
    for (let seed = 1; seed <= runs; seed++) total += play(rp, (choices, step) => replyOrder(seed, step, choices)[0]!);
    expect(total / runs).toBeLessThan(rp.passScore);
  });

  it('rarely makes the best reply the longest, and offers three or four replies at every node', () => {
    const nodes = Object.values(rp.nodes);
    const bestIsLongest = nodes.filter((n) => longest(n.choices).best).length;
    expect(bestIsLongest / nodes.length).toBeLessThanOrEqual(0.25);
    for (const n of nodes) expect(n.choices.length).toBeGreaterThanOrEqual(3);
  });

  it('ties every reply to a standard it honours or breaks, and varies the words with the state at 3+ nodes', () => {
    for (const [nodeId, n] of Object.entries(rp.nodes))
      for (const c of n.choices) expect(c.honours.length + c.breaks.length, `${nodeId}/${c.id}`).toBeGreaterThan(0);
    expect(Object.values(rp.nodes).filter((n) => (n.variants ?? []).length > 0).length).toBeGreaterThanOrEqual(3);
  });
});
