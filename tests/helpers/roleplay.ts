/**
 * Test helpers for role-plays: read a role-play YAML through the content schema, and walk every reachable
 * (node, state) pair to find a path to each ending. State spaces are small (a few variables, 0–10), so a
 * breadth-first search over positions is exhaustive and quick.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { roleplaySchema, type Roleplay } from '../../src/features/content/schema';
import { applyChoice, initialPosition, type RunPosition } from '../../src/features/roleplay/roleplay';

export function loadRoleplayFile(path: string): Roleplay {
  return roleplaySchema.parse(parse(readFileSync(path, 'utf8')));
}

/** Ending id → the shortest list of choice ids that reaches it. */
export function pathsToEndings(roleplay: Roleplay): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const key = (p: RunPosition) => `${p.nodeId}|${JSON.stringify(p.state)}`;
  const start = initialPosition(roleplay);
  const seen = new Set([key(start)]);
  const queue: { pos: RunPosition; path: string[] }[] = [{ pos: start, path: [] }];
  while (queue.length > 0) {
    const { pos, path } = queue.shift()!;
    for (const choice of roleplay.nodes[pos.nodeId]!.choices) {
      const out = applyChoice(roleplay, pos, choice.id);
      if (!out.ok) throw new Error(`${roleplay.id}: ${out.message}`);
      const nextPath = [...path, choice.id];
      if (out.next.kind === 'ending') {
        if (!found.has(out.next.id)) found.set(out.next.id, nextPath);
        continue;
      }
      const pos2 = { nodeId: out.next.id, state: out.state };
      if (seen.has(key(pos2))) continue;
      seen.add(key(pos2));
      queue.push({ pos: pos2, path: nextPath });
    }
  }
  return found;
}

/** The reply texts, in order, of a shortest path to the role-play's best-scoring ending (what a learner clicks). */
export function bestReplies(roleplay: Roleplay): string[] {
  const best = Object.entries(roleplay.endings).sort((a, b) => b[1].score - a[1].score)[0]![0];
  const ids = pathsToEndings(roleplay).get(best);
  if (!ids) throw new Error(`${roleplay.id}: no path to ${best}`);
  let pos = initialPosition(roleplay);
  return ids.map((id) => {
    const choice = roleplay.nodes[pos.nodeId]!.choices.find((c) => c.id === id)!;
    const out = applyChoice(roleplay, pos, id);
    if (out.ok && out.next.kind !== 'ending') pos = { nodeId: out.next.id, state: out.state };
    return choice.text;
  });
}
