/**
 * The debrief: what a learner reads after a run. Pure: it takes the role-play, the run (its seed, the state it began
 * in, how it ended), the stored steps and a lookup for standards (title + the lesson that teaches each), and
 * returns:
 * - the ending with its score, and the transcript: for every reply the words as they read then, the replies offered
 *   in the order this run showed them, the content's feedback, the standards honoured or broken, and the better
 *   reply where the learner did not pick the node's `best` one;
 * - a tally of the standards honoured and broken;
 * - the turning point: the reply after which the best score still reachable dropped the most;
 * - one standard to practise next.
 * Steps whose node or choice have since left the content are kept with a note instead of being dropped, so old runs
 * still read sensibly; the turning point and the advice need the run's own version of the role-play.
 */
import { bestScoreFrom } from '../content/roleplay-graph';
import type { Ending, Roleplay } from '../content/schema';
import {
  meters,
  replyOrder,
  statesBefore,
  wordsAt,
  type PublicMeter,
  type RoleplayState,
  type RunPosition,
} from './roleplay';

export interface StoredStep {
  step: number;
  nodeId: string;
  choiceId: string;
  stateAfter: RoleplayState;
}

export interface StandardRef {
  id: string;
  title: string;
  /** The lesson that teaches it, when one does. */
  lesson?: { href: string; title: string };
}

export type StandardLookup = (standardId: string) => StandardRef;

export interface OfferedReply {
  text: string;
  chosen: boolean;
  best: boolean;
}

export interface DebriefEntry {
  step: number;
  narration?: string;
  /** What the customer said, as it read in the state the learner met it in. */
  line: string;
  /** What the learner replied. */
  reply: string;
  /** Every reply offered here, in the order this run showed them. */
  offered: OfferedReply[];
  feedback: string;
  honoured: StandardRef[];
  broke: StandardRef[];
  /** The node's best reply, present only when the learner chose something else. */
  better?: { text: string; feedback: string };
  stateAfter: PublicMeter[];
  /** True when this step's node or reply is no longer in the current content. */
  missing?: boolean;
}

export interface StandardTally {
  standard: StandardRef;
  honoured: number;
  broken: number;
}

/** The reply after which the best score still within reach dropped the most. */
export interface TurningPoint {
  step: number;
  /** Best score reachable just before the reply, and just after it (the ending's score when it ended the run). */
  before: number;
  after: number;
}

export interface PractiseNext {
  standard: StandardRef;
  why: string;
}

export interface RunFacts {
  seed: number;
  /** Where the run began: the role-play's start, or the node and state a practice run replays from. */
  start: RunPosition;
  /** Where an unfinished run stopped. */
  nodeId: string;
  endingId: string | null;
  score: number | null;
  /** False when the role-play has changed since the run: then its order, turning point and advice cannot be known. */
  sameVersion: boolean;
}

export interface Debrief {
  title: string;
  ending?: Pick<Ending, 'kind' | 'title' | 'text' | 'score'> & { id: string };
  score?: number;
  passScore: number;
  passed: boolean;
  entries: DebriefEntry[];
  tally: StandardTally[];
  turningPoint?: TurningPoint;
  practiseNext?: PractiseNext;
}

export function buildDebrief(
  roleplay: Roleplay,
  run: RunFacts,
  steps: readonly StoredStep[],
  lookup: StandardLookup,
): Debrief {
  const sorted = [...steps].sort((a, b) => a.step - b.step);
  const before = statesBefore(run.start.state, sorted);
  const entries = sorted.map((s, i) => entry(roleplay, run.sameVersion ? run.seed : undefined, s, before[i]!, lookup));
  const ending = run.endingId ? roleplay.endings[run.endingId] : undefined;
  const score = run.score ?? undefined;
  const intact = run.sameVersion && entries.every((e) => !e.missing);
  const turning = intact ? turningPoint(roleplay, run, sorted) : undefined;
  const tally = tallyStandards(entries);
  const advice = intact ? practiseNext(roleplay, tally, entries, sorted, turning, lookup) : undefined;
  return {
    title: roleplay.title,
    ...(ending && run.endingId
      ? { ending: { id: run.endingId, kind: ending.kind, title: ending.title, text: ending.text, score: ending.score } }
      : {}),
    ...(score !== undefined ? { score } : {}),
    passScore: roleplay.passScore,
    passed: score !== undefined && score >= roleplay.passScore,
    entries,
    tally,
    ...(turning ? { turningPoint: turning } : {}),
    ...(advice ? { practiseNext: advice } : {}),
  };
}

function entry(
  roleplay: Roleplay,
  seed: number | undefined,
  s: StoredStep,
  stateBefore: RoleplayState,
  lookup: StandardLookup,
): DebriefEntry {
  const node = roleplay.nodes[s.nodeId];
  const choice = node?.choices.find((c) => c.id === s.choiceId);
  const stateAfter = meters(roleplay, s.stateAfter);
  if (!node || !choice) {
    return {
      step: s.step,
      line: node?.line ?? 'This part of the conversation has since been rewritten.',
      reply: '(a reply that is no longer in the current version)',
      offered: [],
      feedback: 'The role-play changed after this run, so there is no feedback for this reply.',
      honoured: [],
      broke: [],
      stateAfter,
      missing: true,
    };
  }
  const best = node.choices.find((c) => c.best);
  const words = wordsAt(node, stateBefore);
  return {
    step: s.step,
    ...(words.narration !== undefined ? { narration: words.narration } : {}),
    line: words.line,
    reply: choice.text,
    offered:
      seed === undefined
        ? []
        : replyOrder(seed, s.step, node.choices).map((c) => ({
            text: c.text,
            chosen: c.id === choice.id,
            best: c.best,
          })),
    feedback: choice.feedback,
    honoured: choice.honours.map(lookup),
    broke: choice.breaks.map(lookup),
    ...(best && best.id !== choice.id ? { better: { text: best.text, feedback: best.feedback } } : {}),
    stateAfter,
  };
}

/** How often each standard was honoured and broken over the run, in the order the standards first came up. */
export function tallyStandards(entries: readonly Pick<DebriefEntry, 'honoured' | 'broke'>[]): StandardTally[] {
  const tally = new Map<string, StandardTally>();
  const count = (ref: StandardRef, key: 'honoured' | 'broken') => {
    const t = tally.get(ref.id) ?? { standard: ref, honoured: 0, broken: 0 };
    t[key] += 1;
    tally.set(ref.id, t);
  };
  for (const e of entries) {
    for (const ref of e.honoured) count(ref, 'honoured');
    for (const ref of e.broke) count(ref, 'broken');
  }
  return [...tally.values()];
}

/**
 * The best score still reachable before and after each reply (graph exploration from each position the run
 * passed through), and the reply with the largest drop. None when no reply lowered what was reachable.
 */
export function turningPoint(
  roleplay: Roleplay,
  run: Pick<RunFacts, 'start' | 'nodeId' | 'endingId'>,
  steps: readonly StoredStep[],
): TurningPoint | undefined {
  const memo = new Map<string, number>();
  const bestAt = (nodeId: string, state: RoleplayState): number => {
    const key = `${nodeId}|${JSON.stringify(state)}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = bestScoreFrom(roleplay, { node: nodeId, state }) ?? 0;
      memo.set(key, v);
    }
    return v;
  };
  const endingScore = run.endingId ? roleplay.endings[run.endingId]?.score : undefined;
  let found: TurningPoint | undefined;
  steps.forEach((s, i) => {
    const stateBefore = i === 0 ? run.start.state : steps[i - 1]!.stateAfter;
    const before = bestAt(s.nodeId, stateBefore);
    const next = steps[i + 1];
    const last = i === steps.length - 1;
    const after = last && endingScore !== undefined ? endingScore : bestAt(next?.nodeId ?? run.nodeId, s.stateAfter);
    const drop = before - after;
    if (drop > 0 && (!found || drop > found.before - found.after)) found = { step: s.step, before, after };
  });
  return found;
}

/**
 * One standard to practise next: the one broken most often (a tie goes to the one broken at the turning point,
 * then to the first broken); when none was broken, one the better reply at the turning point honours.
 */
export function practiseNext(
  roleplay: Roleplay,
  tally: readonly StandardTally[],
  entries: readonly DebriefEntry[],
  steps: readonly StoredStep[],
  turning: TurningPoint | undefined,
  lookup: StandardLookup,
): PractiseNext | undefined {
  const atTurn = turning ? entries.find((e) => e.step === turning.step) : undefined;
  const brokenAtTurn = new Set(atTurn?.broke.map((s) => s.id) ?? []);
  const broken = tally.filter((t) => t.broken > 0);
  if (broken.length > 0) {
    const pick = broken.reduce((a, b) => {
      if (b.broken !== a.broken) return b.broken > a.broken ? b : a;
      return !brokenAtTurn.has(a.standard.id) && brokenAtTurn.has(b.standard.id) ? b : a;
    });
    const times = pick.broken === 1 ? 'once' : `${pick.broken} times`;
    return { standard: pick.standard, why: `You broke it ${times} in this run.` };
  }
  if (!turning) return undefined;
  const step = steps.find((s) => s.step === turning.step);
  const best = step ? roleplay.nodes[step.nodeId]?.choices.find((c) => c.best) : undefined;
  const id = best?.honours[0];
  return id ? { standard: lookup(id), why: 'The better reply at the turning point honours it.' } : undefined;
}
