import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { roleplaySchema } from '~/features/content/schema';
import {
  buildDebrief,
  tallyStandards,
  turningPoint,
  type RunFacts,
  type StandardLookup,
  type StoredStep,
} from '~/features/roleplay/debrief';
import { applyChoice, initialPosition, replyOrder, type RunPosition } from '~/features/roleplay/roleplay';
import { loadRoleplayFile } from '../../helpers/roleplay';

const rp = loadRoleplayFile('tests/fixtures/roleplays/fixture-refund.yaml');
const lookup: StandardLookup = (id) =>
  id === 'never-argue'
    ? { id, title: 'Never argue', lesson: { href: '/modules/handling-complaints', title: 'Handling complaints' } }
    : { id, title: id.toUpperCase() };

const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
  seed: 11,
  start: initialPosition(rp),
  nodeId: 'opening',
  endingId: null,
  score: null,
  sameVersion: true,
  ...over,
});

describe('buildDebrief', () => {
  it('gives the ending, the score and a transcript with feedback, standards and the better reply', () => {
    const d = buildDebrief(
      rp,
      facts({ endingId: 'escalated', score: 40 }),
      [
        { step: 1, nodeId: 'listening', choiceId: 'refund', stateAfter: { anger: 6, trust: 4 } },
        { step: 0, nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } },
        { step: 2, nodeId: 'grudging', choiceId: 'goodbye', stateAfter: { anger: 6, trust: 4 } },
      ],
      lookup,
    );
    expect(d.ending).toEqual({
      id: 'escalated',
      kind: 'escalated',
      title: 'Escalated',
      text: 'Sam asks for your manager.',
      score: 40,
    });
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
    expect(second).toMatchObject({
      reply: expect.stringContaining('refund you today'),
      honoured: [{ id: 'set-clear-expectations' }],
    });
    expect(second!.better).toBeUndefined();
    expect(third!.better?.text).toBe("I'll call you tomorrow to make sure it arrived.");
  });

  it('lists the replies offered at each step in the order this run showed them, the chosen and the best marked', () => {
    const d = buildDebrief(
      rp,
      facts({ seed: 5 }),
      [{ step: 0, nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } }],
      lookup,
    );
    const shown = replyOrder(5, 0, rp.nodes.opening!.choices);
    expect(d.entries[0]!.offered).toEqual(
      shown.map((c) => ({ text: c.text, chosen: c.id === 'policy', best: c.id === 'apologise' })),
    );
  });

  it("reads each line as it was met: a node's variant in the state before that reply", () => {
    const angry = structuredClone(rp);
    angry.nodes.listening!.variants = [{ if: 'anger >= 7', line: 'Well? I am still waiting!' }];
    const d = buildDebrief(
      angry,
      facts({ nodeId: 'listening' }),
      [
        { step: 0, nodeId: 'opening', choiceId: 'policy', stateAfter: { anger: 9, trust: 1 } },
        { step: 1, nodeId: 'listening', choiceId: 'manager', stateAfter: { anger: 9, trust: 0 } },
      ],
      lookup,
    );
    expect(d.entries[1]!.line).toBe('Well? I am still waiting!');
  });

  it('links a broken standard to the lesson that teaches it', () => {
    const d = buildDebrief(
      rp,
      facts({ endingId: 'lost', score: 0 }),
      [{ step: 0, nodeId: 'opening', choiceId: 'blame', stateAfter: { anger: 10, trust: 2 } }],
      lookup,
    );
    expect(d.entries[0]!.broke).toEqual([
      {
        id: 'never-argue',
        title: 'Never argue',
        lesson: { href: '/modules/handling-complaints', title: 'Handling complaints' },
      },
    ]);
    expect(d).toMatchObject({ ending: { kind: 'lost' }, score: 0, passed: false });
  });

  it('passes at the pass score', () => {
    const d = buildDebrief(rp, facts({ endingId: 'resolved', score: 100 }), [], lookup);
    expect(d.passed).toBe(true);
  });

  it('keeps steps that have left the content, marked as missing, and has no ending, turning point or advice for them', () => {
    const d = buildDebrief(
      rp,
      facts(),
      [{ step: 0, nodeId: 'opening', choiceId: 'shrug', stateAfter: { anger: 6, trust: 2 } }],
      lookup,
    );
    expect(d.entries[0]).toMatchObject({ missing: true, honoured: [], broke: [], offered: [] });
    expect(d.ending).toBeUndefined();
    expect(d.score).toBeUndefined();
    expect(d.passed).toBe(false);
    expect(d.turningPoint).toBeUndefined();
    expect(d.practiseNext).toBeUndefined();
  });

  it('shows no order, turning point or advice for a run of an older version of the role-play', () => {
    const d = buildDebrief(
      rp,
      facts({ sameVersion: false, endingId: 'lost', score: 0 }),
      [{ step: 0, nodeId: 'opening', choiceId: 'blame', stateAfter: { anger: 10, trust: 2 } }],
      lookup,
    );
    expect(d.entries[0]!.offered).toEqual([]);
    expect(d.turningPoint).toBeUndefined();
    expect(d.practiseNext).toBeUndefined();
  });
});

/**
 * A hand-made role-play for the lessons of a run. Calm starts at 5. At `first`, "warm" keeps it (the 100 ending
 * stays reachable), "cold" drops it to 2 (now 60 at best). At `second`, "fix" ends at 100 when calm >= 5, else at 60;
 * "rude" loses the customer (0). So: cold-then-fix loses 40 at reply 1; warm-then-rude loses 100 at reply 2.
 */
const lessons = roleplaySchema.parse(
  parse(`
id: lessons
title: Lessons
audience: rep
module: m
passScore: 70
persona: { name: Pat, situation: Pat is unhappy. }
state:
  calm: { label: Calm, start: 5, min: 0, max: 10 }
start: first
nodes:
  first:
    line: Hello?
    choices:
      - { id: warm, text: Hi Pat, effects: { calm: 1 }, honours: [use-name], feedback: Warm., best: true, next: second }
      - { id: cold, text: Yes?, effects: { calm: -3 }, breaks: [listen, use-name], feedback: Cold., next: second }
  second:
    line: Can you fix it?
    choices:
      - id: fix
        text: I will fix it today.
        honours: [promise-time]
        feedback: A plan.
        best: true
        branch: [{ if: calm >= 5, next: great }, { next: fine }]
      - { id: rude, text: Not my problem., breaks: [listen, own-it], feedback: Rude., next: lost }
endings:
  great: { kind: resolved, title: Great, text: Pat is happy., score: 100 }
  fine: { kind: other, title: Fine, text: Pat shrugs., score: 60 }
  lost: { kind: lost, title: Lost, text: Pat leaves., score: 0 }
`),
);
const ref: StandardLookup = (id) => ({
  id,
  title: id,
  lesson: { href: `/modules/${id}-lesson`, title: `Lesson on ${id}` },
});

/** The stored steps of a run that picks these choice ids from the start. */
function stepsOf(ids: string[], roleplay = lessons): { steps: StoredStep[]; ending: string } {
  let pos: RunPosition = initialPosition(roleplay);
  const steps: StoredStep[] = [];
  for (const [i, id] of ids.entries()) {
    const out = applyChoice(roleplay, pos, id);
    if (!out.ok) throw new Error(out.message);
    steps.push({ step: i, nodeId: pos.nodeId, choiceId: id, stateAfter: out.state });
    if (out.next.kind === 'ending') return { steps, ending: out.next.id };
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error('no ending');
}

function debriefOf(ids: string[], roleplay = lessons) {
  const { steps, ending } = stepsOf(ids, roleplay);
  const run: RunFacts = {
    seed: 3,
    start: initialPosition(roleplay),
    nodeId: steps.at(-1)!.nodeId,
    endingId: ending,
    score: roleplay.endings[ending]!.score,
    sameVersion: true,
  };
  return buildDebrief(roleplay, run, steps, ref);
}

describe('the lessons of a run', () => {
  it('tallies each standard honoured and broken, in the order they came up', () => {
    expect(debriefOf(['cold', 'rude']).tally.map((t) => [t.standard.id, t.honoured, t.broken])).toEqual([
      ['listen', 0, 2],
      ['use-name', 0, 1],
      ['own-it', 0, 1],
    ]);
    expect(debriefOf(['warm', 'fix']).tally.map((t) => [t.standard.id, t.honoured, t.broken])).toEqual([
      ['use-name', 1, 0],
      ['promise-time', 1, 0],
    ]);
    // The same standard honoured and broken in one run counts both ways.
    expect(
      tallyStandards([
        { honoured: [ref('a')], broke: [] },
        { honoured: [], broke: [ref('a')] },
      ]).map((t) => [t.honoured, t.broken]),
    ).toEqual([[1, 1]]);
  });

  it('finds the turning point: the reply after which the best reachable score dropped most', () => {
    // A cold opening takes the 100 ending out of reach; fixing it afterwards still ends at 60.
    expect(debriefOf(['cold', 'fix']).turningPoint).toEqual({ step: 0, before: 100, after: 60 });
    // Warm, then rude: nothing lost at reply 1, everything at reply 2.
    expect(debriefOf(['warm', 'rude']).turningPoint).toEqual({ step: 1, before: 100, after: 0 });
    // Cold (100 → 60) then rude (60 → 0): the larger drop wins.
    expect(debriefOf(['cold', 'rude']).turningPoint).toEqual({ step: 1, before: 60, after: 0 });
    // A perfect run has none.
    expect(debriefOf(['warm', 'fix']).turningPoint).toBeUndefined();
  });

  it('measures an unfinished run up to where it stopped, and a practice run from where it began', () => {
    const { steps } = stepsOf(['cold', 'fix']);
    const abandoned = turningPoint(
      lessons,
      { start: initialPosition(lessons), nodeId: 'second', endingId: null },
      steps.slice(0, 1),
    );
    expect(abandoned).toEqual({ step: 0, before: 100, after: 60 });
    // Replayed from `second` with calm already at 2: the best on offer there is 60, and fixing it keeps 60.
    const practice = turningPoint(
      lessons,
      { start: { nodeId: 'second', state: { calm: 2 } }, nodeId: 'second', endingId: 'fine' },
      [{ step: 0, nodeId: 'second', choiceId: 'fix', stateAfter: { calm: 2 } }],
    );
    expect(practice).toBeUndefined();
  });

  it('names one standard to practise next, with the lesson that teaches it', () => {
    // "listen" was broken twice: more than any other.
    expect(debriefOf(['cold', 'rude']).practiseNext).toEqual({
      standard: {
        id: 'listen',
        title: 'listen',
        lesson: { href: '/modules/listen-lesson', title: 'Lesson on listen' },
      },
      why: 'You broke it 2 times in this run.',
    });
    // Each broken once: the tie goes to the one broken at the turning point (reply 1 here: listen and use-name),
    // then to the first that came up.
    expect(debriefOf(['cold', 'fix']).practiseNext?.standard.id).toBe('listen');
    // Nothing broken and no turning point: nothing to suggest.
    expect(debriefOf(['warm', 'fix']).practiseNext).toBeUndefined();
  });

  it('suggests what the better reply at the turning point honours when nothing was broken', () => {
    const quiet = structuredClone(lessons);
    quiet.nodes.first!.choices[1]!.breaks = [];
    const d = debriefOf(['cold', 'fix'], quiet);
    expect(d.turningPoint).toEqual({ step: 0, before: 100, after: 60 });
    expect(d.practiseNext).toEqual({
      standard: ref('use-name'),
      why: 'The better reply at the turning point honours it.',
    });
  });
});
