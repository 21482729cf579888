/**
 * Role-play graphs, statically. A conversation is a graph of nodes and endings whose edges depend on state
 * (effects change it, `branch` conditions read it), so "can this ending be reached?" is answered by a bounded
 * breadth-first search over (node, state) pairs, with every variable clamped to its min..max exactly as the
 * engine will. Used by the checker (reachability, traps) and the trainer preview (which edges can ever be taken).
 */
import type { Choice, Roleplay } from './schema';

export interface Edge {
  from: string;
  choice: string;
  /** Index of the choice within its node, and of the branch entry (undefined for `next`). */
  choiceIndex: number;
  branchIndex?: number;
  to: string;
  condition?: string;
}

/** Every edge as written, in file order: one per `next`, one per branch entry. */
export function edgesOf(rp: Roleplay): Edge[] {
  const edges: Edge[] = [];
  for (const [from, node] of Object.entries(rp.nodes)) {
    node.choices.forEach((choice, choiceIndex) => {
      if (choice.next !== undefined) edges.push({ from, choice: choice.id, choiceIndex, to: choice.next });
      choice.branch?.forEach((entry, branchIndex) =>
        edges.push({ from, choice: choice.id, choiceIndex, branchIndex, to: entry.next, condition: entry.if }),
      );
    });
  }
  return edges;
}

export interface Comparison {
  variable: string;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

/** `anger >= 7 and trust < 3` → two comparisons (the schema has already checked the shape). */
export function parseCondition(condition: string): Comparison[] {
  return condition.split(/\s+and\s+/).map((part) => {
    const [, variable = '', op = '==', value = '0'] = /^\s*([a-z][a-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+)\s*$/.exec(part) ?? [];
    return { variable, op: op as Comparison['op'], value: Number(value) };
  });
}

/** An undeclared variable makes the comparison false (the checker reports it separately). */
export function holds(condition: string, state: Readonly<Record<string, number>>): boolean {
  return parseCondition(condition).every(({ variable, op, value }) => {
    const v = state[variable];
    if (v === undefined) return false;
    return { '<': v < value, '<=': v <= value, '>': v > value, '>=': v >= value, '==': v === value, '!=': v !== value }[op];
  });
}

/** State after a choice: effects on declared variables, each clamped to its range. */
export function applyEffects(rp: Roleplay, state: Readonly<Record<string, number>>, choice: Choice): Record<string, number> {
  const next = { ...state };
  for (const [name, delta] of Object.entries(choice.effects)) {
    const spec = rp.state[name];
    const current = next[name];
    if (!spec || current === undefined) continue;
    next[name] = Math.min(spec.max, Math.max(spec.min, current + delta));
  }
  return next;
}

/** Where a choice leads from the state after its effects: `next`, or the first branch entry that holds. */
export function resolveNext(choice: Choice, state: Readonly<Record<string, number>>): { to: string; branchIndex?: number } | undefined {
  if (choice.next !== undefined) return { to: choice.next };
  const branchIndex = choice.branch?.findIndex((entry) => entry.if === undefined || holds(entry.if, state)) ?? -1;
  const entry = choice.branch?.[branchIndex];
  return entry ? { to: entry.next, branchIndex } : undefined;
}

export function startState(rp: Roleplay): Record<string, number> {
  return Object.fromEntries(Object.entries(rp.state).map(([name, s]) => [name, Math.min(s.max, Math.max(s.min, s.start))]));
}

export interface Exploration {
  reachedNodes: Set<string>;
  reachedEndings: Set<string>;
  /** `${from}/${choiceIndex}/${branchIndex ?? ''}` for every edge some reachable state takes. */
  takenEdges: Set<string>;
  /** `${node}/${variantIndex}` for every line variant whose `if` holds in some reachable state at its node. */
  heldVariants: Set<string>;
  /** Nodes from which, in some reachable state, no ending can be reached; with the first such state found. */
  trapped: Map<string, Record<string, number>>;
  /** True when the search stopped at the limit: the results above are then incomplete. */
  truncated: boolean;
}

export function edgeKey(e: Pick<Edge, 'from' | 'choiceIndex' | 'branchIndex'>): string {
  return `${e.from}/${e.choiceIndex}/${e.branchIndex ?? ''}`;
}

export const EXPLORE_LIMIT = 200_000;

/** A (node, state) to explore from; the role-play's start by default. */
export interface GraphPosition {
  node: string;
  state: Readonly<Record<string, number>>;
}

export function exploreRoleplay(rp: Roleplay, limit = EXPLORE_LIMIT, from?: GraphPosition): Exploration {
  const vars = Object.keys(rp.state);
  const result: Exploration = {
    reachedNodes: new Set(),
    reachedEndings: new Set(),
    takenEdges: new Set(),
    heldVariants: new Set(),
    trapped: new Map(),
    truncated: false,
  };
  const origin = from ?? { node: rp.start, state: startState(rp) };
  if (!rp.nodes[origin.node]) return result;

  const keyOf = (node: string, state: Record<string, number>) => `${node}|${vars.map((v) => state[v]).join(',')}`;
  const states: { node: string; state: Record<string, number> }[] = [];
  const index = new Map<string, number>();
  const predecessors: number[][] = [];
  const finishes: boolean[] = [];
  const visit = (node: string, state: Record<string, number>): number => {
    const key = keyOf(node, state);
    let i = index.get(key);
    if (i === undefined) {
      i = states.length;
      index.set(key, i);
      states.push({ node, state });
      predecessors.push([]);
      finishes.push(false);
    }
    return i;
  };

  visit(origin.node, { ...origin.state });
  for (let i = 0; i < states.length; i++) {
    if (states.length > limit) {
      result.truncated = true;
      break;
    }
    const { node, state } = states[i]!;
    result.reachedNodes.add(node);
    rp.nodes[node]!.variants?.forEach((v, k) => {
      if (holds(v.if, state)) result.heldVariants.add(`${node}/${k}`);
    });
    rp.nodes[node]!.choices.forEach((choice, choiceIndex) => {
      const after = applyEffects(rp, state, choice);
      const target = resolveNext(choice, after);
      if (!target) return;
      if (rp.nodes[target.to]) {
        result.takenEdges.add(edgeKey({ from: node, choiceIndex, branchIndex: target.branchIndex }));
        predecessors[visit(target.to, after)]!.push(i);
      } else if (rp.endings[target.to]) {
        result.takenEdges.add(edgeKey({ from: node, choiceIndex, branchIndex: target.branchIndex }));
        result.reachedEndings.add(target.to);
        finishes[i] = true;
      }
    });
  }
  if (result.truncated) return result;

  // Backwards from every state with a way out: whatever is left over can never finish.
  const canFinish = [...finishes];
  const queue = canFinish.flatMap((f, i) => (f ? [i] : []));
  while (queue.length > 0) {
    for (const p of predecessors[queue.pop()!]!) {
      if (!canFinish[p]) {
        canFinish[p] = true;
        queue.push(p);
      }
    }
  }
  states.forEach(({ node, state }, i) => {
    if (!canFinish[i] && !result.trapped.has(node)) result.trapped.set(node, state);
  });
  return result;
}

/** The highest ending score a learner can actually reach (undefined when no ending is reachable). */
export function bestReachableScore(rp: Roleplay, exploration = exploreRoleplay(rp)): number | undefined {
  const scores = [...exploration.reachedEndings].map((id) => rp.endings[id]!.score);
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

/** The highest ending score still reachable from a position (what is at stake at that point of a run). */
export function bestScoreFrom(rp: Roleplay, from: GraphPosition): number | undefined {
  return bestReachableScore(rp, exploreRoleplay(rp, EXPLORE_LIMIT, from));
}
