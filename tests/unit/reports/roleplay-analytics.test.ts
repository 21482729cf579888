import { describe, expect, it } from 'vitest';
import { roleplaySchema } from '~/features/content/schema';
import { analyzeRoleplayRuns, type RunRecord } from '~/features/reports/roleplay-analytics';

const roleplay = roleplaySchema.parse({
  id: 'late-parcel',
  title: 'Late parcel',
  audience: 'rep',
  module: 'handling-complaints',
  passScore: 70,
  persona: { name: 'Dana', situation: 'Her parcel is a week late.' },
  state: {
    anger: { label: 'Anger', start: 6, min: 0, max: 10 },
    trust: { label: 'Trust', start: 2, min: 0, max: 10 },
  },
  start: 'opening',
  nodes: {
    opening: {
      line: 'Where is my parcel?',
      choices: [
        { id: 'calm', text: 'Let me look.', effects: { anger: -2, trust: 1 }, feedback: 'Good.', next: 'middle' },
        { id: 'argue', text: 'Not our fault.', effects: { anger: 2 }, feedback: 'Never argue.', next: 'middle' },
      ],
    },
    middle: {
      line: 'So?',
      choices: [
        { id: 'fix', text: 'It ships today, I will call you.', feedback: 'Good.', next: 'resolved' },
        { id: 'promise', text: 'Tomorrow for sure.', feedback: 'Over-promise.', next: 'lost' },
      ],
    },
  },
  endings: {
    resolved: { kind: 'resolved', title: 'Resolved', text: 'Thanks.', score: 100 },
    lost: { kind: 'lost', title: 'Lost', text: 'Bye.', score: 0 },
    escalated: { kind: 'escalated', title: 'Escalated', text: 'Manager.', score: 40 },
  },
});

const step = (n: number, nodeId: string, choiceId: string, anger: number, trust: number) => ({
  step: n,
  nodeId,
  choiceId,
  stateAfter: { anger, trust },
});

const runs: RunRecord[] = [
  {
    runId: 'r1',
    nodeId: 'resolved',
    endingId: 'resolved',
    steps: [step(0, 'opening', 'calm', 4, 3), step(1, 'middle', 'fix', 4, 4)],
  },
  // Steps out of order on purpose: arrival state must follow the step numbers.
  {
    runId: 'r2',
    nodeId: 'lost',
    endingId: 'lost',
    steps: [step(1, 'middle', 'promise', 9, 1), step(0, 'opening', 'argue', 8, 2)],
  },
  {
    runId: 'r3',
    nodeId: 'resolved',
    endingId: 'resolved',
    steps: [step(0, 'opening', 'calm', 4, 3), step(1, 'middle', 'fix', 4, 4)],
  },
  { runId: 'r4', nodeId: 'middle', endingId: null, steps: [step(0, 'opening', 'calm', 4, 3)] },
  { runId: 'r5', nodeId: 'opening', endingId: null, steps: [] },
];

describe('analyzeRoleplayRuns', () => {
  const result = analyzeRoleplayRuns(roleplay, runs);

  it('counts choices per node, as a share of the choices made there', () => {
    expect(result.runs).toBe(5);
    expect(result.nodes.map((n) => [n.nodeId, n.visits, n.answered, n.choices])).toEqual([
      [
        'opening',
        5,
        4,
        [
          { choiceId: 'calm', count: 3, share: 0.75 },
          { choiceId: 'argue', count: 1, share: 0.25 },
        ],
      ],
      [
        'middle',
        4,
        3,
        [
          { choiceId: 'fix', count: 2, share: 2 / 3 },
          { choiceId: 'promise', count: 1, share: 1 / 3 },
        ],
      ],
    ]);
  });

  it('averages the state learners arrive with, counting runs still waiting at a node', () => {
    // opening: five arrivals, all at the start state. middle: r1 (4,3), r2 (8,2), r3 (4,3), r4 waiting (4,3).
    expect(result.nodes[0]?.averageState).toEqual({ anger: 6, trust: 2 });
    expect(result.nodes[1]?.averageState).toEqual({ anger: 20 / 4, trust: 11 / 4 });
  });

  it('shows where runs end, unreached endings included, and where unfinished runs stopped', () => {
    expect(result.endings).toEqual([
      { endingId: 'resolved', count: 2, share: 0.4 },
      { endingId: 'lost', count: 1, share: 0.2 },
      { endingId: 'escalated', count: 0, share: 0 },
    ]);
    expect(result.unfinished).toEqual([
      { nodeId: 'middle', count: 1, share: 0.2 },
      { nodeId: 'opening', count: 1, share: 0.2 },
    ]);
    const shares = [...result.endings, ...result.unfinished].reduce((a, e) => a + e.share, 0);
    expect(shares).toBeCloseTo(1, 12);
  });

  it('lists nodes and choices of older content after the current ones', () => {
    const old = analyzeRoleplayRuns(roleplay, [
      {
        runId: 'o',
        nodeId: 'gone',
        endingId: 'walked-out',
        steps: [step(0, 'opening', 'shout', 10, 0), step(1, 'gone', 'x', 10, 0)],
      },
    ]);
    expect(old.nodes.map((n) => n.nodeId)).toEqual(['opening', 'middle', 'gone']);
    expect(old.nodes[0]?.choices.map((c) => [c.choiceId, c.count])).toEqual([
      ['calm', 0],
      ['argue', 0],
      ['shout', 1],
    ]);
    expect(old.nodes[1]).toEqual({
      nodeId: 'middle',
      visits: 0,
      answered: 0,
      choices: [
        { choiceId: 'fix', count: 0, share: 0 },
        { choiceId: 'promise', count: 0, share: 0 },
      ],
      averageState: {},
    });
    expect(old.nodes[2]?.averageState).toEqual({ anger: 10, trust: 0 });
    expect(old.endings.at(-1)).toEqual({ endingId: 'walked-out', count: 1, share: 1 });
  });

  it('gives zero shares, not NaN, with no runs', () => {
    const empty = analyzeRoleplayRuns(roleplay, []);
    expect(empty.endings.every((e) => e.share === 0)).toBe(true);
    expect(empty.nodes.every((n) => n.choices.every((c) => c.share === 0))).toBe(true);
  });
});
