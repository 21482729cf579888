import { beforeAll, describe, expect, it } from 'vitest';
import { parseContent, readContentFiles } from '~/features/content/load';
import { BOX, layoutRoleplay, type Layout } from '~/features/content/roleplay-layout';
import type { Roleplay } from '~/features/content/schema';

let rp: Roleplay;
let layout: Layout;
beforeAll(async () => {
  rp = parseContent(await readContentFiles('tests/fixtures/content/valid')).roleplays.get('angry-caller')!.data!;
  layout = layoutRoleplay(rp);
});

describe('role-play layout', () => {
  it('places every node and ending once, without overlaps, inside the drawing', () => {
    expect(layout.boxes.map((b) => b.id).sort()).toEqual([...Object.keys(rp.nodes), ...Object.keys(rp.endings)].sort());
    for (const a of layout.boxes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + BOX.w).toBeLessThanOrEqual(layout.width);
      expect(a.y + BOX.h).toBeLessThanOrEqual(layout.height);
      for (const b of layout.boxes) {
        if (a !== b) expect(Math.abs(a.x - b.x) >= BOX.w || Math.abs(a.y - b.y) >= BOX.h, `${a.id} / ${b.id}`).toBe(true);
      }
    }
  });

  it('puts the start on top and endings on the bottom row', () => {
    const start = layout.boxes.find((b) => b.start)!;
    const endings = layout.boxes.filter((b) => b.kind === 'ending');
    expect(start.id).toBe('open');
    expect(Math.min(...layout.boxes.map((b) => b.y))).toBe(start.y);
    expect(new Set(endings.map((b) => b.y)).size).toBe(1);
    expect(endings[0]!.y).toBe(Math.max(...layout.boxes.map((b) => b.y)));
  });

  it('draws one arrow per pair of boxes, marks conditional arrows and knows which are taken', () => {
    const arrow = (from: string, to: string) => layout.arrows.find((a) => a.from === from && a.to === to);
    expect(arrow('open', 'explain')?.choices).toEqual(['name', 'cut-in']);
    expect(arrow('explain', 'fixed')).toMatchObject({ conditional: true, taken: true, choices: ['listen (if anger <= 3)'] });
    expect(arrow('explain', 'explain')).toMatchObject({ conditional: false, taken: true });
    expect(layout.arrows.every((a) => a.taken)).toBe(true);
  });
});
