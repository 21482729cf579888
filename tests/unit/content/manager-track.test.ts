/**
 * The manager track obeys its own standard, train-managers-too: every supervisor completes the frontline training
 * before managing anyone (the track starts with the rep track's modules and requires the same quizzes and role-play,
 * so a promoted rep's passes count for both) and again every year; and it rests on practised manager role-plays.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadValidContent, type Content } from '~/features/content/load';
import type { Track } from '~/features/content/schema';
import { decideCertification, type Results } from '~/features/certification/certification';

let content: Content;
let rep: Track;
let manager: Track;
beforeAll(async () => {
  content = await loadValidContent('content', 'content/');
  const tracks = [...content.tracks.values()].map((e) => e.data!);
  rep = tracks.find((t) => t.audience === 'rep' && t.mandatory)!;
  manager = tracks.find((t) => t.audience === 'manager' && t.mandatory)!;
});

const ids = (t: Track, kind: 'quiz' | 'roleplay') =>
  t.requires.flatMap((r) => (kind === 'quiz' && 'quiz' in r ? [r.quiz] : kind === 'roleplay' && 'roleplay' in r ? [r.roleplay] : []));

describe('the manager track', () => {
  it('starts with every frontline module, in the rep track order, before the manager modules', () => {
    expect(manager.modules.slice(0, rep.modules.length)).toEqual(rep.modules);
    const rest = manager.modules.slice(rep.modules.length);
    expect(rest.length).toBeGreaterThanOrEqual(5);
    expect(rest.every((m) => content.modules.get(m)!.data!.audience === 'manager')).toBe(true);
  });

  it('requires everything the rep track requires, so a promoted rep starts with their frontline passes counted', () => {
    expect(ids(manager, 'quiz')).toEqual(expect.arrayContaining(ids(rep, 'quiz')));
    expect(ids(manager, 'roleplay')).toEqual(expect.arrayContaining(ids(rep, 'roleplay')));

    const at = Date.UTC(2026, 11, 1);
    const results: Results = {
      quizzes: ids(rep, 'quiz').map((quizId) => ({ quizId, score: 100, contentVersion: 'v', at })),
      roleplays: ids(rep, 'roleplay').map((roleplayId) => ({ roleplayId, score: 100, at })),
    };
    const rules = {
      quizPassMark: (id: string) => content.quizzes.get(id)?.data?.passMark,
      roleplayPassScore: (id: string) => content.roleplays.get(id)?.data?.passScore,
      exercisePassMark: (id: string) => content.exercises.get(id)?.data?.passMark,
    };
    expect(decideCertification(rep, results, rules).met).toBe(true);
    const promoted = decideCertification(manager, results, rules);
    expect(promoted).toMatchObject({ met: false, done: rep.requires.length, total: manager.requires.length });
  });

  it('is due within 30 days and renewed every year', () => {
    expect(manager.dueDays).toBeLessThanOrEqual(30);
    expect(manager.validityMonths).toBeLessThanOrEqual(12);
  });

  it('requires at least three manager role-plays, the coaching and the escalation ones among them', () => {
    const required = ids(manager, 'roleplay').filter((id) => content.roleplays.get(id)!.data!.audience === 'manager');
    expect(required.length).toBeGreaterThanOrEqual(3);
    expect(required).toEqual(expect.arrayContaining(['coaching-after-complaint', 'escalated-customer']));
  });
});

describe('the manager role-plays', () => {
  it('number at least four, each shown in the lesson of the manager module it belongs to', () => {
    const roleplays = [...content.roleplays.values()].map((e) => e.data!).filter((r) => r.audience === 'manager');
    expect(roleplays.length).toBeGreaterThanOrEqual(4);
    for (const rp of roleplays) {
      const lesson = content.modules.get(rp.module)!;
      expect(lesson.data!.audience, rp.id).toBe('manager');
      expect(lesson.text, rp.id).toContain(`<RolePlay id="${rp.id}" />`);
    }
  });
});
