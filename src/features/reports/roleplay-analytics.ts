/**
 * Role-play analytics for the trainer page: how often each reply is chosen at each node, where runs end, and the
 * average state (anger, trust…) a learner arrives at each node with.
 *
 * Input is the stored runs of one role-play (`roleplay_run` + its `roleplay_step` rows). The state on arriving at a
 * node is the start state for the first step and the previous step's `stateAfter` after that; a run that has not
 * ended also "arrives" at the node it is waiting on, so nodes where learners give up still show up. Runs of older
 * content versions may name nodes or choices the current content lacks: they are listed after the current ones.
 */
import type { Roleplay } from '../content/schema';
import { initialPosition, type RoleplayState } from '../roleplay/roleplay';

export interface RunRecord {
  runId: string;
  /** The node the run is waiting on (meaningful while it has no ending). */
  nodeId: string;
  endingId: string | null;
  steps: readonly { step: number; nodeId: string; choiceId: string; stateAfter: RoleplayState }[];
}

export interface NodeStats {
  nodeId: string;
  /** Arrivals: choices made here plus runs still waiting here. */
  visits: number;
  /** Choices made here. */
  answered: number;
  /** Share is of `answered`. Current choices in content order first. */
  choices: { choiceId: string; count: number; share: number }[];
  /** Mean of each state variable on arrival; empty when never visited. */
  averageState: RoleplayState;
}

export interface RoleplayAnalytics {
  runs: number;
  nodes: NodeStats[];
  /** Share is of all runs; together with `unfinished` the shares add up to 1. */
  endings: { endingId: string; count: number; share: number }[];
  /** Runs without an ending, by the node they stopped at. */
  unfinished: { nodeId: string; count: number; share: number }[];
}

interface NodeTally {
  visits: number;
  choices: Map<string, number>;
  /** Per variable: sum and how many arrivals had it (older content may have had other variables). */
  stateSums: Map<string, { sum: number; n: number }>;
}

function tally(map: Map<string, NodeTally>, nodeId: string): NodeTally {
  let t = map.get(nodeId);
  if (!t) {
    t = { visits: 0, choices: new Map(), stateSums: new Map() };
    map.set(nodeId, t);
  }
  return t;
}

function arrive(t: NodeTally, state: RoleplayState): void {
  t.visits += 1;
  for (const [name, value] of Object.entries(state)) {
    const acc = t.stateSums.get(name) ?? { sum: 0, n: 0 };
    t.stateSums.set(name, { sum: acc.sum + value, n: acc.n + 1 });
  }
}

const increment = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Ids from content first (in content order), then the extra ones seen in data, in the order first seen. */
function ordered(known: readonly string[], seen: Iterable<string>): string[] {
  const ids = [...known];
  for (const id of seen) if (!ids.includes(id)) ids.push(id);
  return ids;
}

export function analyzeRoleplayRuns(roleplay: Roleplay, runs: readonly RunRecord[]): RoleplayAnalytics {
  const start = initialPosition(roleplay).state;
  const nodes = new Map<string, NodeTally>();
  const endings = new Map<string, number>();
  const unfinished = new Map<string, number>();

  for (const run of runs) {
    let state = start;
    for (const step of [...run.steps].sort((a, b) => a.step - b.step)) {
      const t = tally(nodes, step.nodeId);
      arrive(t, state);
      increment(t.choices, step.choiceId);
      state = step.stateAfter;
    }
    if (run.endingId !== null) {
      increment(endings, run.endingId);
    } else {
      arrive(tally(nodes, run.nodeId), state);
      increment(unfinished, run.nodeId);
    }
  }

  const total = runs.length;
  const ratio = (count: number, of: number) => (of === 0 ? 0 : count / of);
  return {
    runs: total,
    nodes: ordered(Object.keys(roleplay.nodes), nodes.keys()).map((nodeId) => {
      const t = nodes.get(nodeId);
      const answered = t ? [...t.choices.values()].reduce((a, b) => a + b, 0) : 0;
      const known = roleplay.nodes[nodeId]?.choices.map((c) => c.id) ?? [];
      return {
        nodeId,
        visits: t?.visits ?? 0,
        answered,
        choices: ordered(known, t?.choices.keys() ?? []).map((choiceId) => {
          const count = t?.choices.get(choiceId) ?? 0;
          return { choiceId, count, share: ratio(count, answered) };
        }),
        averageState: Object.fromEntries([...(t?.stateSums ?? [])].map(([name, { sum, n }]) => [name, sum / n])),
      };
    }),
    endings: ordered(Object.keys(roleplay.endings), endings.keys()).map((endingId) => {
      const count = endings.get(endingId) ?? 0;
      return { endingId, count, share: ratio(count, total) };
    }),
    unfinished: [...unfinished].map(([nodeId, count]) => ({ nodeId, count, share: ratio(count, total) })),
  };
}
