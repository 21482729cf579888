/** The threshold rule on hand-made results with known answers. */
import { describe, expect, it } from 'vitest';
import { coachingNote, remedialNeeds, remedialTodos } from '../../../src/features/quality/threshold';

const modules = new Map([['listen', 'active-listening']]);

describe('remedialNeeds', () => {
  it('names standards below the floor with enough scored items, and the module that teaches each', () => {
    const needs = remedialNeeds(
      [
        { standardId: 'listen', met: 2, applicable: 5, percent: 40 },
        { standardId: 'greet', met: 4, applicable: 5, percent: 80 },
        { standardId: 'smile', met: 0, applicable: 2, percent: 0 },
        { standardId: 'name', met: 1, applicable: 4, percent: 25 },
      ],
      80,
      modules,
    );
    // greet sits exactly on the floor (not below); smile has too few items to judge.
    expect(needs).toEqual([
      { standardId: 'listen', percent: 40, met: 2, applicable: 5, moduleId: 'active-listening' },
      { standardId: 'name', percent: 25, met: 1, applicable: 4, moduleId: undefined },
    ]);
  });

  it('writes a coaching note that states the evidence and the assignment', () => {
    const [need] = remedialNeeds([{ standardId: 'listen', met: 2, applicable: 5, percent: 40 }], 80, modules);
    expect(coachingNote('Ravi', 'Listen without interrupting', need!, 80, 'Active listening')).toBe(
      'Ravi met "Listen without interrupting" on 2 of 5 scored contacts this month (40%), below the floor of 80%. "Active listening" has been assigned to them. Talk it through with them this week: go over one of the contacts together and agree what they will do differently.',
    );
  });
});

describe('remedialTodos', () => {
  it('keeps open remedials with a module, one per module with its soonest due date, soonest first', () => {
    const todos = remedialTodos([
      { standardId: 'listen', moduleId: 'active-listening', dueAt: 300, completedAt: null },
      { standardId: 'interrupt', moduleId: 'active-listening', dueAt: 200, completedAt: null },
      { standardId: 'greet', moduleId: 'greeting', dueAt: 100, completedAt: 150 },
      { standardId: 'smile', moduleId: null, dueAt: null, completedAt: null },
      { standardId: 'name', moduleId: 'names', dueAt: 250, completedAt: null },
    ]);
    expect(todos).toEqual([
      { moduleId: 'active-listening', dueAt: 200, standardIds: ['listen', 'interrupt'] },
      { moduleId: 'names', dueAt: 250, standardIds: ['name'] },
    ]);
    expect(remedialTodos([])).toEqual([]);
  });
});
