/**
 * Role-play traversal: pure functions over a role-play from content (src/features/content/schema.ts).
 *
 * A run is a position (`nodeId`) plus the state variables (`state`, e.g. { anger: 6, trust: 3 }) and the number of
 * choices made so far (`step`). `applyChoice` moves it one step: effects are added and clamped to each variable's
 * min/max, then `next` (or the first `branch` entry whose `if` holds on the new state) names the next node or an
 * ending. The server stores every step; the browser only ever sees `publicNode` — the words, and each reply's text
 * with an opaque per-run token in the run's own order; never choice ids, effects, standards, targets or scores — and
 * the debrief is built from the stored steps once the run has ended.
 */
import { mixSeed, seededRandom, shuffled } from '../../lib/random';
import type { Choice, Ending, Roleplay, RoleplayNode } from '../content/schema';

export type RoleplayState = Record<string, number>;

export interface RunPosition {
  nodeId: string;
  state: RoleplayState;
}

/** Where a run begins: the start node and every variable at its start value (clamped, in case content is odd). */
export function initialPosition(roleplay: Roleplay): RunPosition {
  const state: RoleplayState = {};
  for (const [name, v] of Object.entries(roleplay.state)) state[name] = clamp(v.start, v.min, v.max);
  return { nodeId: roleplay.start, state };
}

// ---------------------------------------------------------------------------------------------- conditions

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';
export interface Clause {
  variable: string;
  op: Comparison;
  value: number;
}

const clausePattern = /^([a-z][a-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+)$/;

/** `anger >= 7 and trust < 3` → two clauses. Throws on anything else (content:check rejects it earlier). */
export function parseCondition(source: string): Clause[] {
  return source
    .trim()
    .split(/\s+and\s+/)
    .map((part) => {
      const m = clausePattern.exec(part.trim());
      if (!m) throw new Error(`Cannot read the condition "${source}" (near "${part.trim()}")`);
      return { variable: m[1]!, op: m[2] as Comparison, value: Number(m[3]) };
    });
}

/** Every clause must hold. A variable the state does not have never satisfies a clause. */
export function evaluateCondition(source: string, state: RoleplayState): boolean {
  return parseCondition(source).every(({ variable, op, value }) => {
    const x = state[variable];
    if (x === undefined) return false;
    switch (op) {
      case '<':
        return x < value;
      case '<=':
        return x <= value;
      case '>':
        return x > value;
      case '>=':
        return x >= value;
      case '==':
        return x === value;
      case '!=':
        return x !== value;
    }
  });
}

// ---------------------------------------------------------------------------------------------- moving

export type ChoiceOutcome =
  | { ok: true; choice: Choice; state: RoleplayState; next: { kind: 'node'; id: string } }
  | { ok: true; choice: Choice; state: RoleplayState; next: { kind: 'ending'; id: string; ending: Ending } }
  | { ok: false; error: 'unknown-node' | 'not-offered' | 'broken-target'; message: string };

/** Adds a choice's effects to the state, each variable kept inside its declared range; undeclared names are ignored. */
export function applyEffects(roleplay: Roleplay, state: RoleplayState, effects: Record<string, number>): RoleplayState {
  const out: RoleplayState = { ...state };
  for (const [name, delta] of Object.entries(effects)) {
    const v = roleplay.state[name];
    if (!v) continue;
    out[name] = clamp((out[name] ?? v.start) + delta, v.min, v.max);
  }
  return out;
}

/** The target after a choice: `next`, or the first branch whose condition holds on the state AFTER the effects. */
export function targetOf(choice: Choice, state: RoleplayState): string {
  if (choice.next !== undefined) return choice.next;
  const branches = choice.branch ?? [];
  const hit = branches.find((b) => b.if === undefined || evaluateCondition(b.if, state));
  // The schema requires an unconditional last branch; falling back to it keeps a malformed list from stranding a run.
  return (hit ?? branches[branches.length - 1])!.next;
}

export function applyChoice(roleplay: Roleplay, position: RunPosition, choiceId: string): ChoiceOutcome {
  const node = roleplay.nodes[position.nodeId];
  if (!node)
    return { ok: false, error: 'unknown-node', message: `This conversation has no step "${position.nodeId}".` };
  const choice = node.choices.find((c) => c.id === choiceId);
  if (!choice)
    return { ok: false, error: 'not-offered', message: 'That reply is not one of the choices offered here.' };
  const state = applyEffects(roleplay, position.state, choice.effects);
  const target = targetOf(choice, state);
  const ending = roleplay.endings[target];
  if (ending) return { ok: true, choice, state, next: { kind: 'ending', id: target, ending } };
  if (roleplay.nodes[target]) return { ok: true, choice, state, next: { kind: 'node', id: target } };
  return { ok: false, error: 'broken-target', message: `The reply leads to "${target}", which does not exist.` };
}

// ---------------------------------------------------------------------------------------------- how a node reads

/** The words of a node as the learner meets it in `state`: the first variant that holds overrides line/narration. */
export function wordsAt(node: RoleplayNode, state: RoleplayState): { line: string; narration?: string } {
  let line: string | undefined;
  let narration: string | undefined;
  for (const v of node.variants ?? []) {
    if (!evaluateCondition(v.if, state)) continue;
    line ??= v.line;
    narration ??= v.narration;
    if (line !== undefined && narration !== undefined) break;
  }
  line ??= node.line;
  narration ??= node.narration;
  return narration === undefined ? { line } : { line, narration };
}

/**
 * The order in which a run shows the replies at its `step`: a seeded shuffle of the authored choices, so the best
 * reply sits anywhere, differently per run and per step, and the same run always shows the same order.
 */
export function replyOrder(runSeed: number, step: number, choices: readonly Choice[]): Choice[] {
  return shuffled(choices, seededRandom(mixSeed(runSeed, step)));
}

// ---------------------------------------------------------------------------------------------- what the browser sees

/** A reply as the browser knows it: its words and an opaque token for this run and step (never the choice id). */
export interface PublicChoice {
  token: string;
  text: string;
}
export interface PublicNode {
  narration?: string;
  line: string;
  choices: PublicChoice[];
}
export interface PublicMeter {
  name: string;
  label: string;
  value: number;
  min: number;
  max: number;
  /** Which way is good for the conversation, when the role-play says. */
  better?: 'higher' | 'lower';
}

/** Where a run stands, as far as what it shows is concerned. */
export interface RunAt extends RunPosition {
  seed: number;
  step: number;
}

/**
 * The only view of a node that leaves the server: its words as they read in the run's state, and the replies in
 * the run's order for this step, each with the token `tokenOf` gives it. Built field by field (never by spreading)
 * so a new content field cannot leak by accident.
 */
export function publicNode(
  roleplay: Roleplay,
  at: RunAt,
  tokenOf: (choiceId: string) => string,
): PublicNode | undefined {
  const node: RoleplayNode | undefined = roleplay.nodes[at.nodeId];
  if (!node) return undefined;
  const words = wordsAt(node, at.state);
  return {
    ...(words.narration !== undefined ? { narration: words.narration } : {}),
    line: words.line,
    choices: replyOrder(at.seed, at.step, node.choices).map((c) => ({ token: tokenOf(c.id), text: c.text })),
  };
}

export interface PublicExchange {
  narration?: string;
  line: string;
  reply: string;
}

export interface PastStep {
  nodeId: string;
  choiceId: string;
  stateAfter: RoleplayState;
}

/** The state each step was answered in: the run's start state, then each step's state after, in step order. */
export function statesBefore(start: RoleplayState, steps: readonly PastStep[]): RoleplayState[] {
  return steps.map((_, i) => (i === 0 ? start : steps[i - 1]!.stateAfter));
}

/**
 * The conversation so far as plain words (what was said, as it read then, and what the learner replied): for
 * resuming a run. `start` is the state the run began in.
 */
export function publicTranscript(
  roleplay: Roleplay,
  start: RoleplayState,
  steps: readonly PastStep[],
): PublicExchange[] {
  const before = statesBefore(start, steps);
  return steps.map((s, i) => {
    const node = roleplay.nodes[s.nodeId];
    const choice = node?.choices.find((c) => c.id === s.choiceId);
    const words = node ? wordsAt(node, before[i]!) : { line: '…' };
    return {
      ...(words.narration !== undefined ? { narration: words.narration } : {}),
      line: words.line,
      reply: choice?.text ?? '…',
    };
  });
}

/** The mood meter: every state variable with its label and range, in declared order. */
export function meters(roleplay: Roleplay, state: RoleplayState): PublicMeter[] {
  return Object.entries(roleplay.state).map(([name, v]) => ({
    name,
    label: v.label,
    value: state[name] ?? v.start,
    min: v.min,
    max: v.max,
    ...(v.better ? { better: v.better } : {}),
  }));
}

/** A meter in a word, so it reads without colour: the bottom third is low, the top third high. */
export function levelWord(m: Pick<PublicMeter, 'value' | 'min' | 'max'>): 'low' | 'middling' | 'high' {
  const span = m.max - m.min;
  const share = span > 0 ? (m.value - m.min) / span : 0;
  if (share <= 1 / 3) return 'low';
  if (share >= 2 / 3) return 'high';
  return 'middling';
}

/** A change in a meter, in words: "up 2", "down 1"; with the meter's good direction, "up 2, better". */
export function changeText(delta: number, better?: PublicMeter['better']): string {
  const words = delta > 0 ? `up ${delta}` : `down ${-delta}`;
  if (!better || delta === 0) return words;
  return `${words}, ${delta > 0 === (better === 'higher') ? 'better' : 'worse'}`;
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}
