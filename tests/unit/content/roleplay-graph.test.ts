import { describe, expect, it } from 'vitest';
import { applyEffects, exploreRoleplay, holds, resolveNext } from '~/features/content/roleplay-graph';
import { roleplaySchema } from '~/features/content/schema';

const rp = roleplaySchema.parse({
  id: 'counter',
  title: 'Counter',
  audience: 'rep',
  module: 'm',
  passScore: 50,
  persona: { name: 'P', situation: 'S' },
  state: { n: { label: 'N', start: 0, min: 0, max: 3 }, m: { label: 'M', start: 0, min: 0, max: 1000 } },
  start: 'a',
  nodes: {
    a: {
      line: 'Again?',
      choices: [
        { id: 'up', text: 'Up', effects: { n: 2, m: 1 }, feedback: 'f', branch: [{ if: 'n >= 3 and m > 1', next: 'done' }, { next: 'a' }] },
      ],
    },
  },
  endings: { done: { kind: 'resolved', title: 'Done', text: 'Done.', score: 100 } },
});
const choice = rp.nodes.a!.choices[0]!;

describe('role-play graph', () => {
  it('evaluates conditions joined by and; an undeclared variable never holds', () => {
    expect(holds('n >= 3 and m > 1', { n: 3, m: 2 })).toBe(true);
    expect(holds('n >= 3 and m > 1', { n: 3, m: 1 })).toBe(false);
    expect(holds('x == 0', { n: 0 })).toBe(false);
  });

  it('clamps effects to each range and branches on the state after them', () => {
    const after = applyEffects(rp, { n: 2, m: 1 }, choice);
    expect(after).toEqual({ n: 3, m: 2 });
    expect(resolveNext(choice, after)).toEqual({ to: 'done', branchIndex: 0 });
    expect(resolveNext(choice, { n: 1, m: 1 })).toEqual({ to: 'a', branchIndex: 1 });
  });

  it('finds the ending through the loop, and says when the state space is too big to finish', () => {
    const explored = exploreRoleplay(rp);
    expect(explored.reachedEndings).toEqual(new Set(['done']));
    expect(explored.trapped.size).toBe(0);
    expect(exploreRoleplay(rp, 1).truncated).toBe(true);
  });
});
