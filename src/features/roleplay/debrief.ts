/**
 * The debrief: what a learner reads after a run ends. Pure: it takes the role-play, the stored steps and a lookup
 * for standards (title + the lesson that teaches each), and returns the ending with its score and the transcript —
 * for every reply, the content's feedback, the standards it honoured or broke, and the better reply where the
 * learner did not pick the node's `best` one. Steps whose node or choice have since left the content are kept with
 * a note instead of being dropped, so old runs still read sensibly.
 */
import type { Ending, Roleplay } from '../content/schema';
import { meters, type PublicMeter, type RoleplayState } from './roleplay';

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

export interface DebriefEntry {
  step: number;
  narration?: string;
  /** What the customer said. */
  line: string;
  /** What the learner replied. */
  reply: string;
  feedback: string;
  honoured: StandardRef[];
  broke: StandardRef[];
  /** The node's best reply, present only when the learner chose something else. */
  better?: { text: string; feedback: string };
  stateAfter: PublicMeter[];
  /** True when this step's node or reply is no longer in the current content. */
  missing?: boolean;
}

export interface Debrief {
  title: string;
  ending?: Pick<Ending, 'kind' | 'title' | 'text' | 'score'> & { id: string };
  score?: number;
  passScore: number;
  passed: boolean;
  entries: DebriefEntry[];
  /** Distinct standards across the run, honoured and broken (a standard may appear in both). */
  summary: { honoured: StandardRef[]; broke: StandardRef[] };
}

export function buildDebrief(
  roleplay: Roleplay,
  steps: readonly StoredStep[],
  result: { endingId: string | null; score: number | null },
  lookup: StandardLookup,
): Debrief {
  const entries = [...steps].sort((a, b) => a.step - b.step).map((s) => entry(roleplay, s, lookup));
  const ending = result.endingId ? roleplay.endings[result.endingId] : undefined;
  const score = result.score ?? undefined;
  return {
    title: roleplay.title,
    ...(ending && result.endingId
      ? { ending: { id: result.endingId, kind: ending.kind, title: ending.title, text: ending.text, score: ending.score } }
      : {}),
    ...(score !== undefined ? { score } : {}),
    passScore: roleplay.passScore,
    passed: score !== undefined && score >= roleplay.passScore,
    entries,
    summary: {
      honoured: distinct(entries.flatMap((e) => e.honoured)),
      broke: distinct(entries.flatMap((e) => e.broke)),
    },
  };
}

function entry(roleplay: Roleplay, s: StoredStep, lookup: StandardLookup): DebriefEntry {
  const node = roleplay.nodes[s.nodeId];
  const choice = node?.choices.find((c) => c.id === s.choiceId);
  const stateAfter = meters(roleplay, s.stateAfter);
  if (!node || !choice) {
    return {
      step: s.step,
      line: node?.line ?? 'This part of the conversation has since been rewritten.',
      reply: `(reply "${s.choiceId}", no longer in the current version)`,
      feedback: 'The role-play changed after this run, so there is no feedback for this reply.',
      honoured: [],
      broke: [],
      stateAfter,
      missing: true,
    };
  }
  const best = node.choices.find((c) => c.best);
  return {
    step: s.step,
    ...(node.narration !== undefined ? { narration: node.narration } : {}),
    line: node.line,
    reply: choice.text,
    feedback: choice.feedback,
    honoured: choice.honours.map(lookup),
    broke: choice.breaks.map(lookup),
    ...(best && best.id !== choice.id ? { better: { text: best.text, feedback: best.feedback } } : {}),
    stateAfter,
  };
}

function distinct(refs: StandardRef[]): StandardRef[] {
  const seen = new Map<string, StandardRef>();
  for (const r of refs) if (!seen.has(r.id)) seen.set(r.id, r);
  return [...seen.values()];
}
