/**
 * Role-play rules beyond the schema: state ranges, every target exists, conditions (of branches and of line
 * variants) and effects use declared variables, branches end in a fallback, and — by searching (node, state) — every
 * node and ending can be reached, every line variant holds in some state a learner arrives in, and no reachable
 * state is stuck in a loop with no way out.
 */
import { imageTypes, mediaProblem } from './check-kit';
import type { Content, Entry, Report } from './load';
import { exploreRoleplay, EXPLORE_LIMIT, parseCondition } from './roleplay-graph';
import type { Roleplay } from './schema';

export function checkRoleplay(entry: Entry<Roleplay>, content: Content, report: Report): void {
  const rp = entry.data;
  if (!rp) return;
  if (!content.modules.has(rp.module)) report(['module'], `unknown module "${rp.module}"`);
  const portrait = rp.persona.portrait && mediaProblem(rp.persona.portrait.src, imageTypes, content);
  if (portrait) report(['persona', 'portrait', 'src'], `persona.portrait.src: ${portrait}`);

  for (const [name, s] of Object.entries(rp.state)) {
    if (s.min > s.max) report(['state', name], `variable "${name}": min ${s.min} is above max ${s.max}`);
    else if (s.start < s.min || s.start > s.max) report(['state', name], `variable "${name}": start ${s.start} is outside ${s.min}..${s.max}`);
  }
  for (const id of Object.keys(rp.endings)) {
    if (rp.nodes[id]) report(['endings', id], `"${id}" is both a node and an ending`);
  }
  const startOk = rp.nodes[rp.start] !== undefined;
  if (!startOk) report(['start'], `start "${rp.start}" is not a node`);

  const exists = (id: string) => rp.nodes[id] !== undefined || rp.endings[id] !== undefined;
  const declared = (v: string) => rp.state[v] !== undefined;
  for (const [nodeId, node] of Object.entries(rp.nodes)) {
    node.variants?.forEach((variant, k) => {
      for (const { variable } of parseCondition(variant.if)) {
        if (!declared(variable)) report(['nodes', nodeId, 'variants', k, 'if'], `variant condition "${variant.if}" uses undeclared variable "${variable}"`);
      }
    });
    const choiceIds = new Set<string>();
    node.choices.forEach((choice, c) => {
      const at = ['nodes', nodeId, 'choices', c];
      if (choiceIds.has(choice.id)) report([...at, 'id'], `duplicate choice id "${choice.id}" in node "${nodeId}"`);
      choiceIds.add(choice.id);
      for (const v of Object.keys(choice.effects)) {
        if (!declared(v)) report([...at, 'effects', v], `effect on undeclared variable "${v}"`);
      }
      for (const list of ['honours', 'breaks'] as const) {
        choice[list].forEach((s, j) => {
          if (!content.standards.has(s)) report([...at, list, j], `unknown standard "${s}"`);
        });
      }
      const missing = (to: string) => `choice "${choice.id}" goes to "${to}", which is neither a node nor an ending`;
      if (choice.next !== undefined && !exists(choice.next)) report([...at, 'next'], missing(choice.next));
      const branch = choice.branch ?? [];
      branch.forEach((entry, k) => {
        if (!exists(entry.next)) report([...at, 'branch', k, 'next'], missing(entry.next));
        if (entry.if !== undefined) {
          for (const { variable } of parseCondition(entry.if)) {
            if (!declared(variable)) report([...at, 'branch', k, 'if'], `condition "${entry.if}" uses undeclared variable "${variable}"`);
          }
        }
        if (k > 0 && branch[k - 1]!.if === undefined) {
          report([...at, 'branch', k], 'this branch entry can never be taken: the entry before it has no `if`');
        }
      });
      const last = branch.at(-1);
      if (last?.if !== undefined) {
        report([...at, 'branch', branch.length - 1], 'the last branch entry must have no `if`: it is the fallback when no condition holds');
      }
    });
  }
  if (startOk) checkReachability(rp, report);
}

function checkReachability(rp: Roleplay, report: Report): void {
  const explored = exploreRoleplay(rp);
  if (explored.truncated) {
    report(['state'], `too many (node, state) combinations to check (over ${EXPLORE_LIMIT}): narrow the variables' min..max ranges`);
    return;
  }
  for (const id of Object.keys(rp.nodes)) {
    if (!explored.reachedNodes.has(id)) report(['nodes', id], `node "${id}" can never be reached`);
  }
  const targeted = new Set(Object.values(rp.nodes).flatMap((n) => n.choices.flatMap((c) => [c.next, ...(c.branch ?? []).map((b) => b.next)])));
  for (const id of Object.keys(rp.endings)) {
    if (explored.reachedEndings.has(id)) continue;
    const why = targeted.has(id) ? 'no path from the start gets there (check the conditions that lead to it)' : 'no choice leads to it';
    report(['endings', id], `ending "${id}" can never be reached: ${why}`);
  }
  for (const [id, node] of Object.entries(rp.nodes)) {
    if (!explored.reachedNodes.has(id)) continue;
    node.variants?.forEach((variant, k) => {
      if (explored.heldVariants.has(`${id}/${k}`)) return;
      // An undeclared variable is reported above; saying it never holds as well would only repeat that.
      if (parseCondition(variant.if).some(({ variable }) => rp.state[variable] === undefined)) return;
      report(['nodes', id, 'variants', k, 'if'], `variant "${variant.if}" never holds at node "${id}": no reachable state arrives there with it`);
    });
  }
  for (const [id, state] of explored.trapped) {
    const shown = Object.entries(state).map(([k, v]) => `${k}=${v}`).join(', ');
    report(['nodes', id], `node "${id}" is in a loop with no way out: no ending can be reached from it${shown ? ` (with ${shown})` : ''}`);
  }
}
