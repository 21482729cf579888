import { describe, expect, it } from 'vitest';
import { buildDebrief, type StandardLookup } from '../../../src/features/roleplay/debrief';
import { loadRoleplayFile } from '../../helpers/roleplay';

const rp = loadRoleplayFile('tests/fixtures/roleplays/fixture-refund.yaml');
const lookup: StandardLookup = (id) =>
  id === 'never-argue'
    ? { id, title: 'Never argue', lesson: { href: '/modules/handling-complaints', title: 'Handling complaints' } }
    : { id, title: id.toUpperCase() };

describe('buildDebrief', () => {
  it('gives the ending, the score and a transcript with feedback, standards and the better reply', () => {
    const d = buildDebrief(
      rp,
      [
        { step: 1, nodeId: 'listening', choiceId: 'refund', stateAfter: { anger: 6, trust: 4 } },
        { step: 0, nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } },
        { step: 2, nodeId: 'grudging', choiceId: 'goodbye', stateAfter: { anger: 6, trust: 4 } },
      ],
      { endingId: 'escalated', score: 40 },
      lookup,
    );
    expect(d.ending).toEqual({ id: 'escalated', kind: 'escalated', title: 'Escalated', text: 'Sam asks for your manager.', score: 40 });
    expect(d).toMatchObject({ score: 40, passScore: 70, passed: false });
    expect(d.entries.map((e) => e.step)).toEqual([0, 1, 2]);

    const [first, second, third] = d.entries;
    expect(first).toMatchObject({
      narration: 'Sam calls, already irritated.',
      line: 'My kettle died after two days and your shop sent me away!',
      reply: 'Store staff follow our returns policy.',
      feedback: 'Defending the shop tells Sam the problem is theirs.',
      honoured: [],
      broke: [{ id: 'never-justify-poor-service', title: 'NEVER-JUSTIFY-POOR-SERVICE' }],
      better: {
        text: "I'm sorry, Sam. Tell me what happened at the shop.",
        feedback: 'Naming Sam and asking to hear the story lowers the heat.',
      },
    });
    expect(first!.stateAfter.map((m) => `${m.label} ${m.value}/${m.max}`)).toEqual(['Anger 9/10', 'Trust 1/10']);
    // The learner picked the best reply here, so there is no "better" one to offer.
    expect(second).toMatchObject({ reply: expect.stringContaining('refund you today'), honoured: [{ id: 'set-clear-expectations' }] });
    expect(second!.better).toBeUndefined();
    expect(third!.better?.text).toBe("I'll call you tomorrow to make sure it arrived.");
    expect(d.summary.broke.map((s) => s.id)).toEqual(['never-justify-poor-service']);
    expect(d.summary.honoured.map((s) => s.id)).toEqual(['set-clear-expectations']);
  });

  it('links a broken standard to the lesson that teaches it', () => {
    const d = buildDebrief(rp, [{ step: 0, nodeId: 'opening', choiceId: 'blame', stateAfter: { anger: 10, trust: 2 } }], { endingId: 'lost', score: 0 }, lookup);
    expect(d.entries[0]!.broke).toEqual([
      { id: 'never-argue', title: 'Never argue', lesson: { href: '/modules/handling-complaints', title: 'Handling complaints' } },
    ]);
    expect(d).toMatchObject({ ending: { kind: 'lost' }, score: 0, passed: false });
  });

  it('passes at the pass score', () => {
    const d = buildDebrief(rp, [], { endingId: 'resolved', score: 100 }, lookup);
    expect(d.passed).toBe(true);
  });

  it('keeps steps that have left the content, marked as missing, and has no ending for an unfinished run', () => {
    const d = buildDebrief(rp, [{ step: 0, nodeId: 'opening', choiceId: 'shrug', stateAfter: { anger: 6, trust: 2 } }], { endingId: null, score: null }, lookup);
    expect(d.entries[0]).toMatchObject({ missing: true, honoured: [], broke: [] });
    expect(d.ending).toBeUndefined();
    expect(d.score).toBeUndefined();
    expect(d.passed).toBe(false);
  });
});
