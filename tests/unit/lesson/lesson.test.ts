/** The pure rules of reading a lesson: how checks and options are named, and what completions say. */
import { describe, expect, it } from 'vitest';
import { checkAnchor, completionState, optionValue, type Completion } from '~/features/lesson/lesson';

describe('check and option names', () => {
  it('name a check by its question: stable, distinct per question, blind to surrounding spaces', () => {
    const anchor = checkAnchor('Why use the name?');
    expect(anchor).toMatch(/^check-[0-9a-f]{10}$/);
    expect(checkAnchor('  Why use the name? ')).toBe(anchor);
    expect(checkAnchor('Why not use the name?')).not.toBe(anchor);
  });

  it('give each option a value from its text and its feedback', () => {
    const value = optionValue('It shows you see a person.', 'Yes.');
    expect(value).toMatch(/^[0-9a-f]{10}$/);
    expect(optionValue('It shows you see a person.', 'Yes.')).toBe(value);
    expect(optionValue('It shows you see a person.', 'No.')).not.toBe(value);
    expect(optionValue('It fills the silence.', 'Yes.')).not.toBe(value);
  });
});

describe('completionState', () => {
  const done = (contentVersion: string, completedAt: number): Completion => ({
    moduleId: 'greeting',
    contentVersion,
    completedAt,
  });

  it('is none without a completion', () => {
    expect(completionState([], 'v2')).toEqual({ kind: 'none' });
  });

  it('is current when the learner finished the version they see, even if they finished another one later', () => {
    expect(completionState([done('v3', 300), done('v2', 200)], 'v2')).toEqual({ kind: 'current', at: 200 });
  });

  it('is earlier, with the newest date, when only other versions were finished', () => {
    expect(completionState([done('v1', 100), done('v0', 50)], 'v2')).toEqual({ kind: 'earlier', at: 100 });
    expect(completionState([done('v1', 100)], undefined)).toEqual({ kind: 'earlier', at: 100 });
  });
});
