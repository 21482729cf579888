/**
 * Lint rule for a role-play: the best reply at a node must not also be the longest as a habit, or "always pick
 * the longest reply" passes without reading. Which reply is best: the ones marked `best: true`; at a node with
 * none marked, the replies from which the highest ending score can still be reached (`bestReplies`).
 */
import type { Entry } from '../load';
import { applyEffects, resolveNext, startState } from '../roleplay-graph';
import type { Roleplay } from '../schema';
import { lintLimits, longestIndexes, noteIn, percent, type Finding } from './finding';

export function lintRoleplay(entry: Entry<Roleplay>, certification: boolean): Finding[] {
  const rp = entry.data;
  if (!rp) return [];
  const out: Finding[] = [];
  const note = noteIn(entry, { kind: 'roleplay', id: rp.id }, certification, out);
  const best = bestReplies(rp);
  const rated = [...best.entries()].filter(([nodeId]) => rp.nodes[nodeId]!.choices.length > 1);
  const tells = rated.filter(([nodeId, ids]) => {
    const choices = rp.nodes[nodeId]!.choices;
    return longestIndexes(choices.map((c) => c.text)).some((i) => ids.has(choices[i]!.id));
  });
  if (rated.length === 0 || tells.length / rated.length <= lintLimits.longestShare) return out;
  for (const [nodeId, ids] of tells) {
    const choices = rp.nodes[nodeId]!.choices;
    const index = longestIndexes(choices.map((c) => c.text)).find((i) => ids.has(choices[i]!.id))!;
    note(
      ['nodes', nodeId, 'choices', index, 'text'],
      'longest-best-reply',
      `node "${nodeId}": the best reply "${choices[index]!.id}" is also the longest, as at ${tells.length} of ${rated.length} nodes of this role-play (${percent(tells.length / rated.length)}; keep it to a third or less)`,
      'word a weaker reply as fully as the best one (a plausible wrong move with its own detail), or tighten the best reply',
    );
  }
  return out;
}

/**
 * The best replies at every node a learner can reach: those marked `best: true`, else those from which the
 * highest ending score is reachable (over every state the node can be reached in). A node where every reply
 * leads equally far is left out: it has no best reply.
 */
export function bestReplies(rp: Roleplay): Map<string, Set<string>> {
  const value = replyValues(rp);
  const out = new Map<string, Set<string>>();
  for (const [nodeId, node] of Object.entries(rp.nodes)) {
    const marked = node.choices.filter((c) => c.best).map((c) => c.id);
    if (marked.length > 0) {
      out.set(nodeId, new Set(marked));
      continue;
    }
    const values = value.get(nodeId);
    if (!values || values.size === 0) continue;
    const top = Math.max(...values.values());
    const ids = [...values].filter(([, v]) => v === top).map(([id]) => id);
    if (ids.length < node.choices.length) out.set(nodeId, new Set(ids));
  }
  return out;
}

/**
 * For every reachable node, each reply's value: the highest ending score reachable after taking it, maximised over
 * the states the node can be reached in. Explores (node, state) pairs as the checker does, then relaxes values
 * backwards until nothing changes (loops converge because a value is always some ending's score).
 */
function replyValues(rp: Roleplay, limit = 200_000): Map<string, Map<string, number>> {
  const vars = Object.keys(rp.state);
  const keyOf = (node: string, state: Record<string, number>) => `${node}|${vars.map((v) => state[v]).join(',')}`;
  const states: { node: string; state: Record<string, number> }[] = [];
  const index = new Map<string, number>();
  /** Per state, per choice: an ending score, or the index of the next state. */
  type Move = { choice: string; ending?: number; next?: number };
  const moves: Move[][] = [];
  const visit = (node: string, state: Record<string, number>) => {
    const key = keyOf(node, state);
    let i = index.get(key);
    if (i === undefined) {
      i = states.length;
      index.set(key, i);
      states.push({ node, state });
    }
    return i;
  };
  if (!rp.nodes[rp.start]) return new Map();
  visit(rp.start, startState(rp));
  for (let i = 0; i < states.length && states.length <= limit; i++) {
    const { node, state } = states[i]!;
    moves[i] = rp.nodes[node]!.choices.flatMap((choice): Move[] => {
      const after = applyEffects(rp, state, choice);
      const to = resolveNext(choice, after)?.to;
      if (to === undefined) return [];
      if (rp.endings[to]) return [{ choice: choice.id, ending: rp.endings[to].score }];
      return rp.nodes[to] ? [{ choice: choice.id, next: visit(to, after) }] : [];
    });
  }
  const best = new Array<number>(states.length).fill(-Infinity);
  for (let changed = true; changed; ) {
    changed = false;
    moves.forEach((list, i) => {
      for (const m of list) {
        const v = m.ending ?? best[m.next!]!;
        if (v > best[i]!) {
          best[i] = v;
          changed = true;
        }
      }
    });
  }
  const out = new Map<string, Map<string, number>>();
  moves.forEach((list, i) => {
    const byChoice = out.get(states[i]!.node) ?? new Map<string, number>();
    for (const m of list) {
      const v = m.ending ?? best[m.next!]!;
      if (v > (byChoice.get(m.choice) ?? -Infinity)) byChoice.set(m.choice, v);
    }
    out.set(states[i]!.node, byChoice);
  });
  return out;
}
