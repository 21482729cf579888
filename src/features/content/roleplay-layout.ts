/**
 * Lays a role-play out as a top-to-bottom diagram for the trainer preview: nodes in layers by their distance from
 * the start, all endings on the bottom row, choices as arrows. Arrows that go back up (loops) run in a gutter on
 * the right.
 * Pure geometry; the page turns it into SVG. Reachability comes from the stateful search (roleplay-graph.ts), so
 * the diagram shows the paths a learner can really take, not just what is drawn in the file.
 */
import { edgeKey, edgesOf, exploreRoleplay } from './roleplay-graph';
import type { Roleplay } from './schema';

export const BOX = { w: 168, h: 54, gapX: 28, gapY: 64, margin: 24 };

export interface Box {
  id: string;
  kind: 'node' | 'ending';
  x: number;
  y: number;
  reachable: boolean;
  start: boolean;
  /** Ending kind (resolved, escalated, lost, other) for endings. */
  endingKind?: string;
}
export interface Arrow {
  from: string;
  to: string;
  /** SVG path data. */
  d: string;
  /** Choice ids (with their condition, if any) that draw this arrow. */
  choices: string[];
  /** Every choice behind it is conditional (drawn dashed). */
  conditional: boolean;
  /** Some reachable state takes it. */
  taken: boolean;
}
export interface Layout {
  width: number;
  height: number;
  boxes: Box[];
  arrows: Arrow[];
}

export function layoutRoleplay(rp: Roleplay): Layout {
  const explored = exploreRoleplay(rp);
  const edges = edgesOf(rp).filter((e) => rp.nodes[e.to] || rp.endings[e.to]);

  // Layer = shortest distance from the start; nodes the start never reaches go in one extra layer.
  const layer = new Map<string, number>([[rp.start, 0]]);
  const queue = rp.nodes[rp.start] ? [rp.start] : [];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const e of edges) {
      if (e.from === from && rp.nodes[e.to] && !layer.has(e.to)) {
        layer.set(e.to, layer.get(from)! + 1);
        queue.push(e.to);
      }
    }
  }
  const deepest = Math.max(0, ...layer.values());
  for (const id of Object.keys(rp.nodes)) if (!layer.has(id)) layer.set(id, deepest + 1);
  const nodeLayers = Math.max(0, ...[...layer.values()]) + 1;
  const rows: string[][] = Array.from({ length: nodeLayers + 1 }, () => []);
  for (const [id, l] of layer) rows[l]!.push(id);
  rows[nodeLayers] = Object.keys(rp.endings);

  // Order each row by the mean position of its parents (one top-down pass keeps most arrows short).
  const column = new Map<string, number>();
  rows.forEach((row) => {
    const weight = (id: string) => {
      const parents = edges.filter((e) => e.to === id && column.has(e.from)).map((e) => column.get(e.from)!);
      return parents.length > 0 ? parents.reduce((a, b) => a + b, 0) / parents.length : Number.MAX_SAFE_INTEGER;
    };
    const ordered = row.map((id, i) => ({ id, w: weight(id), i })).sort((a, b) => a.w - b.w || a.i - b.i);
    ordered.forEach(({ id }, i) => column.set(id, i - (ordered.length - 1) / 2));
  });

  const widest = Math.max(1, ...rows.map((r) => r.length));
  const centre = BOX.margin + (widest * (BOX.w + BOX.gapX) - BOX.gapX) / 2;
  const place = (id: string, rowIndex: number) => ({
    x: centre + column.get(id)! * (BOX.w + BOX.gapX) - BOX.w / 2,
    y: BOX.margin + rowIndex * (BOX.h + BOX.gapY),
  });
  const boxes: Box[] = rows.flatMap((row, r) =>
    row.map((id) => {
      const ending = rp.endings[id];
      return {
        id,
        kind: ending ? ('ending' as const) : ('node' as const),
        ...place(id, r),
        reachable: ending ? explored.reachedEndings.has(id) : explored.reachedNodes.has(id),
        start: id === rp.start,
        ...(ending ? { endingKind: ending.kind } : {}),
      };
    }),
  );
  const at = new Map(boxes.map((b) => [b.id, b]));

  const merged = new Map<string, Omit<Arrow, 'd'>>();
  for (const e of edges) {
    const key = `${e.from}>${e.to}`;
    const taken = explored.takenEdges.has(edgeKey(e));
    const label = e.condition ? `${e.choice} (if ${e.condition})` : e.choice;
    const arrow = merged.get(key);
    if (arrow) {
      arrow.choices.push(label);
      arrow.conditional &&= e.condition !== undefined;
      arrow.taken ||= taken;
    } else {
      merged.set(key, { from: e.from, to: e.to, choices: [label], conditional: e.condition !== undefined, taken });
    }
  }
  // Arrows back up to an earlier row each get their own lane in a gutter right of the boxes.
  const gutter = BOX.margin + widest * (BOX.w + BOX.gapX);
  let lanes = 0;
  const arrows = [...merged.values()].map((a) => {
    const from = at.get(a.from)!;
    const to = at.get(a.to)!;
    const d = to.y < from.y ? backPath(from, to, gutter + 8 * lanes++) : pathBetween(from, to);
    return { ...a, d };
  });
  const width = gutter + 8 * lanes + BOX.margin;
  const height = BOX.margin * 2 + rows.length * (BOX.h + BOX.gapY) - BOX.gapY;
  return { width, height, boxes, arrows };
}

/**
 * Back up: down into the gap under the source's row, across to its gutter lane, up to the gap over the target's
 * row and into the target from above. Horizontal runs stay in the gaps between rows, so they never cross a box.
 */
function backPath(a: Box, b: Box, lane: number): string {
  const [x1, x2] = [a.x + BOX.w / 2, b.x + BOX.w / 2];
  const below = a.y + BOX.h + BOX.gapY / 2 - 6;
  const above = b.y - BOX.gapY / 2 + 6;
  return `M${x1},${a.y + BOX.h} L${x1},${below} L${lane},${below} L${lane},${above} L${x2},${above} L${x2},${b.y}`;
}

/** Down: bottom centre to top centre. Same row: an arc over the row. Itself: a small loop on the right. */
function pathBetween(a: Box, b: Box): string {
  if (a.id === b.id) {
    const [x, y] = [a.x + BOX.w, a.y + BOX.h / 2];
    return `M${x},${y - 10} C${x + 40},${y - 30} ${x + 40},${y + 30} ${x},${y + 10}`;
  }
  if (b.y === a.y) {
    const [x1, x2, y] = [a.x + BOX.w / 2, b.x + BOX.w / 2, a.y];
    return `M${x1},${y} Q${(x1 + x2) / 2},${y - BOX.gapY * 0.7} ${x2},${y}`;
  }
  const [x1, y1, x2, y2] = [a.x + BOX.w / 2, a.y + BOX.h, b.x + BOX.w / 2, b.y];
  const bend = (y2 - y1) / 2;
  return `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
}
