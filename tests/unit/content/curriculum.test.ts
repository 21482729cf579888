/**
 * The real curriculum meets the minimums the product promises (issues 3 and 13): the checker proves content is
 * valid; this proves there is enough of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadValidContent, type Content } from '~/features/content/load';
import { questionKinds } from '~/features/content/schema';

let content: Content;
beforeAll(async () => {
  content = await loadValidContent('content', 'content/');
});

const data = <T>(map: Map<string, { data: T | undefined }>) => [...map.values()].map((e) => e.data!);

describe('curriculum', () => {
  it('has a mandatory rep track of at least 7 modules and a mandatory manager track of at least 5', () => {
    const tracks = data(content.tracks);
    const rep = tracks.find((t) => t.audience === 'rep' && t.mandatory);
    const manager = tracks.find((t) => t.audience === 'manager' && t.mandatory);
    expect(rep?.modules.length).toBeGreaterThanOrEqual(7);
    expect(manager?.modules.length).toBeGreaterThanOrEqual(5);
  });

  it('gives every module a quiz of at least 6 questions (a pool of at least 8 where it draws)', () => {
    for (const module of data(content.modules)) {
      const quiz = content.quizzes.get(module.quiz)!.data!;
      expect(quiz.draw ?? quiz.questions.length, quiz.id).toBeGreaterThanOrEqual(6);
      if (quiz.draw) expect(quiz.questions.length, quiz.id).toBeGreaterThanOrEqual(8);
    }
  });

  it('uses every question kind across the course', () => {
    const kinds = new Set(data(content.quizzes).flatMap((q) => q.questions.map((x) => x.kind)));
    expect([...kinds].sort()).toEqual([...questionKinds].sort());
  });

  it('has at least 10 role-plays (6 for reps, 4 for managers), each with 12+ nodes, 3+ endings and state', () => {
    const roleplays = data(content.roleplays);
    expect(roleplays.filter((r) => r.audience === 'rep').length).toBeGreaterThanOrEqual(6);
    expect(roleplays.filter((r) => r.audience === 'manager').length).toBeGreaterThanOrEqual(4);
    for (const rp of roleplays) {
      expect(Object.keys(rp.nodes).length, rp.id).toBeGreaterThanOrEqual(12);
      expect(Object.keys(rp.endings).length, rp.id).toBeGreaterThanOrEqual(3);
      expect(Object.keys(rp.state).length, rp.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('plays every written channel (chat, email, a public social thread) besides the phone', () => {
    const channels = new Set(data(content.roleplays).map((r) => r.channel));
    expect([...channels].sort()).toEqual(['chat', 'email', 'phone', 'social']);
  });

  it('requires at least three role-plays of the rep track and three of the manager track', () => {
    for (const track of data(content.tracks).filter((t) => t.mandatory)) {
      const required = track.requires.flatMap((r) => ('roleplay' in r ? [r.roleplay] : []));
      expect(required.length, track.id).toBeGreaterThanOrEqual(3);
    }
  });

  it('teaches every standard in some module', () => {
    const taught = new Set(data(content.modules).flatMap((m) => m.standards));
    expect([...content.standards.keys()].filter((id) => !taught.has(id))).toEqual([]);
  });

  it('states every standard in at most two sentences, as the writing-standards lesson teaches', () => {
    const sentences = (text: string) => text.trim().split(/(?<=[.!?])\s+(?=[A-Z"(])/).length;
    const long = data(content.standards).filter((s) => sentences(s.standard) > 2).map((s) => s.id);
    expect(long).toEqual([]);
  });
});
