import { describe, expect, it } from 'vitest';
import {
  applyChoice,
  changeText,
  evaluateCondition,
  initialPosition,
  levelWord,
  meters,
  parseCondition,
  publicNode,
  publicTranscript,
  replyOrder,
  wordsAt,
  type RunPosition,
} from '~/features/roleplay/roleplay';
import { loadRoleplayFile, pathsToEndings } from '../../helpers/roleplay';

const rp = loadRoleplayFile('tests/fixtures/roleplays/fixture-refund.yaml');

/** Plays choice ids from the start; fails the test if any step is refused. */
function play(choiceIds: string[]) {
  let pos: RunPosition = initialPosition(rp);
  for (const [i, id] of choiceIds.entries()) {
    const out = applyChoice(rp, pos, id);
    if (!out.ok) throw new Error(`step ${i}: ${out.message}`);
    if (out.next.kind === 'ending') {
      if (i !== choiceIds.length - 1) throw new Error(`ended early at step ${i}`);
      return { ending: out.next.id, score: out.next.ending.score, state: out.state };
    }
    pos = { nodeId: out.next.id, state: out.state };
  }
  return { at: pos.nodeId, state: pos.state };
}

describe('conditions', () => {
  it('parses single and joined clauses', () => {
    expect(parseCondition('anger >= 7')).toEqual([{ variable: 'anger', op: '>=', value: 7 }]);
    expect(parseCondition(' anger>=7 and  trust < -3 ')).toEqual([
      { variable: 'anger', op: '>=', value: 7 },
      { variable: 'trust', op: '<', value: -3 },
    ]);
  });

  it('rejects what is not a condition', () => {
    expect(() => parseCondition('anger >= seven')).toThrow(/Cannot read/);
    expect(() => parseCondition('anger >= 7 or trust < 3')).toThrow(/Cannot read/);
  });

  it.each([
    ['anger < 5', false],
    ['anger <= 5', true],
    ['anger > 4', true],
    ['anger >= 6', false],
    ['anger == 5', true],
    ['anger != 5', false],
    ['anger == 5 and trust < 3', true],
    ['anger == 5 and trust < 2', false],
    ['mood > 0', false],
  ])('%s on anger 5, trust 2 is %s', (cond, expected) => {
    expect(evaluateCondition(cond, { anger: 5, trust: 2 })).toBe(expected);
  });
});

describe('applyChoice', () => {
  it('starts at the start node with every variable at its start value', () => {
    expect(initialPosition(rp)).toEqual({ nodeId: 'opening', state: { anger: 6, trust: 2 } });
  });

  it('applies effects and follows next', () => {
    const out = applyChoice(rp, initialPosition(rp), 'apologise');
    expect(out).toMatchObject({ ok: true, state: { anger: 4, trust: 4 }, next: { kind: 'node', id: 'listening' } });
  });

  it('clamps state to the declared range and branches on the clamped value', () => {
    const out = applyChoice(rp, initialPosition(rp), 'blame');
    expect(out).toMatchObject({ ok: true, state: { anger: 10, trust: 2 }, next: { kind: 'ending', id: 'lost' } });
    const low = applyChoice(rp, { nodeId: 'listening', state: { anger: 1, trust: 9 } }, 'refund');
    expect(low).toMatchObject({ ok: true, state: { anger: 0, trust: 10 } });
  });

  it('takes the first branch whose condition holds after the effects', () => {
    expect(play(['apologise', 'refund'])).toEqual({ ending: 'resolved', score: 100, state: { anger: 1, trust: 7 } });
    // anger 9 - 3 = 6 and trust 1 + 3 = 4: neither condition holds, so the unconditional branch wins.
    expect(play(['policy', 'refund'])).toEqual({ at: 'grudging', state: { anger: 6, trust: 4 } });
    expect(applyChoice(rp, { nodeId: 'listening', state: { anger: 10, trust: 0 } }, 'refund')).toMatchObject({
      next: { kind: 'ending', id: 'escalated' },
    });
  });

  it('refuses a choice that is not offered at the node, or an unknown node', () => {
    expect(applyChoice(rp, initialPosition(rp), 'refund')).toMatchObject({ ok: false, error: 'not-offered' });
    expect(applyChoice(rp, { nodeId: 'nowhere', state: {} }, 'refund')).toMatchObject({
      ok: false,
      error: 'unknown-node',
    });
  });

  it('reaches every ending of the fixture with the authored score', () => {
    const paths = pathsToEndings(rp);
    expect([...paths.keys()].sort()).toEqual(['escalated', 'lost', 'resolved']);
    for (const [ending, path] of paths) expect(play(path)).toMatchObject({ ending, score: rp.endings[ending]!.score });
  });
});

describe('publicNode', () => {
  const at = (seed: number, nodeId = 'opening', state = { anger: 6, trust: 2 }) => ({ nodeId, state, seed, step: 0 });
  const token = (id: string) => `token-of-${id.length}`;

  it("carries the words and the replies' texts and tokens, in the run's order, and nothing else", () => {
    const node = publicNode(rp, at(7), token);
    const order = replyOrder(7, 0, rp.nodes.opening!.choices);
    expect(node).toEqual({
      narration: 'Sam calls, already irritated.',
      line: 'My kettle died after two days and your shop sent me away!',
      choices: order.map((c) => ({ token: token(c.id), text: c.text })),
    });
    const json = JSON.stringify(node);
    for (const secret of [
      'effects',
      'honours',
      'breaks',
      'feedback',
      'best',
      'next',
      'branch',
      'score',
      'listening',
      '"opening"',
      '"apologise"',
      '"policy"',
      '"blame"',
      '"id"',
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it('shows the same replies in a different order for another seed', () => {
    const texts = (seed: number) => publicNode(rp, at(seed), token)!.choices.map((c) => c.text);
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => texts(seed).join('|')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it("reads the line as the state calls for (a node's variants)", () => {
    const angry = structuredClone(rp);
    angry.nodes.listening!.variants = [{ if: 'anger >= 7', line: 'Well? I am still waiting!' }];
    expect(publicNode(angry, at(1, 'listening', { anger: 9, trust: 1 }), token)!.line).toBe(
      'Well? I am still waiting!',
    );
    expect(publicNode(angry, at(1, 'listening', { anger: 4, trust: 4 }), token)!.line).toBe(
      'So what are you going to do about it?',
    );
  });

  it('is undefined for an unknown node', () => {
    expect(publicNode(rp, at(1, 'resolved'), token)).toBeUndefined();
  });

  it('lists meters with label and range', () => {
    expect(meters(rp, { anger: 3, trust: 8 })).toEqual([
      { name: 'anger', label: 'Anger', value: 3, min: 0, max: 10 },
      { name: 'trust', label: 'Trust', value: 8, min: 0, max: 10 },
    ]);
  });

  it('turns stored steps into the words said, without anything else', () => {
    const t = publicTranscript(rp, { anger: 6, trust: 2 }, [
      { nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } },
      { nodeId: 'listening', choiceId: 'refund', stateAfter: { anger: 6, trust: 4 } },
    ]);
    expect(t).toEqual([
      {
        narration: 'Sam calls, already irritated.',
        line: 'My kettle died after two days and your shop sent me away!',
        reply: 'Store staff follow our returns policy.',
      },
      {
        line: 'So what are you going to do about it?',
        reply: "I'll refund you today and email the confirmation within the hour.",
      },
    ]);
  });

  it('gives each past line as it read then: in the state before that step, not the state now', () => {
    const angry = structuredClone(rp);
    angry.nodes.listening!.variants = [{ if: 'anger >= 7', line: 'Well? I am still waiting!' }];
    angry.nodes.opening!.variants = [{ if: 'anger >= 7', narration: 'Sam is shouting.' }];
    const t = publicTranscript(angry, { anger: 6, trust: 2 }, [
      { nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } },
      { nodeId: 'listening', choiceId: 'refund', stateAfter: { anger: 6, trust: 4 } },
    ]);
    // The opening was met at anger 6 (no variant), the second line at anger 9 (the angry variant).
    expect(t.map((e) => [e.narration, e.line])).toEqual([
      ['Sam calls, already irritated.', 'My kettle died after two days and your shop sent me away!'],
      [undefined, 'Well? I am still waiting!'],
    ]);
  });

  it('puts a meter in words by thirds of its range, and a change as up or down', () => {
    const at = (value: number) => levelWord({ value, min: 0, max: 10 });
    expect([0, 3, 4, 6, 7, 10].map(at)).toEqual(['low', 'low', 'middling', 'middling', 'high', 'high']);
    expect(levelWord({ value: -1, min: -5, max: 5 })).toBe('middling');
    expect(levelWord({ value: 3, min: 3, max: 3 })).toBe('low');
    expect([changeText(2), changeText(-1)]).toEqual(['up 2', 'down 1']);
    // With the meter's good direction, the words say whether the change helped.
    expect([
      changeText(2, 'lower'),
      changeText(-1, 'lower'),
      changeText(1, 'higher'),
      changeText(-3, 'higher'),
    ]).toEqual(['up 2, worse', 'down 1, better', 'up 1, better', 'down 3, worse']);
  });
});

describe('words that change with the state', () => {
  const node = {
    line: 'Fine.',
    narration: 'She sighs.',
    variants: [
      { if: 'anger >= 8', line: 'I am DONE with this.' },
      { if: 'anger >= 5', line: 'Is that it?', narration: 'A long pause.' },
    ],
    choices: [],
  };
  it('takes the first variant that holds, field by field, and the default otherwise', () => {
    expect(wordsAt(node, { anger: 9 })).toEqual({ line: 'I am DONE with this.', narration: 'A long pause.' });
    expect(wordsAt(node, { anger: 6 })).toEqual({ line: 'Is that it?', narration: 'A long pause.' });
    expect(wordsAt(node, { anger: 2 })).toEqual({ line: 'Fine.', narration: 'She sighs.' });
    expect(wordsAt({ line: 'Hi.', choices: [] }, { anger: 2 })).toEqual({ line: 'Hi.' });
  });
});

describe('reply order', () => {
  const choices = rp.nodes[rp.start]!.choices;
  it('is the same for the same run and step, and a permutation of the authored replies', () => {
    const ids = (seed: number, step: number) => replyOrder(seed, step, choices).map((c) => c.id);
    expect(ids(7, 0)).toEqual(ids(7, 0));
    expect([...ids(7, 0)].sort()).toEqual(choices.map((c) => c.id).sort());
  });
  it('puts the authored first reply in every position across runs', () => {
    const first = choices[0]!.id;
    const positions = new Set<number>();
    for (let seed = 1; seed <= 200; seed++)
      positions.add(replyOrder(seed, 0, choices).findIndex((c) => c.id === first));
    expect(positions.size).toBe(choices.length);
  });
});
