import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { judgmentCaseSchema } from '~/features/content/schema';
import {
  answerTextSchema,
  checkRatings,
  finalScore,
  publicCase,
  revealCase,
  reviewScore,
  verdictFor,
} from '~/features/judgment/judgment';

const c = judgmentCaseSchema.parse(parse(readFileSync('tests/fixtures/cases/fixture-case.yaml', 'utf8')));

describe('judgment cases', () => {
  it('shows the browser labels only before an answer', () => {
    const pub = publicCase(c);
    expect(pub.options).toEqual([
      { id: 'refuse', label: 'Refuse; the window has passed.' },
      { id: 'accept', label: 'Accept the return and note why.' },
      { id: 'escalate', label: 'Ask a manager.' },
    ]);
    expect(pub.prompt).toBe('What would you do, and why?');
    const json = JSON.stringify(pub);
    expect(json).not.toContain('reasoning');
    expect(json).not.toContain('score');
    expect(json).not.toContain('goodwill');
  });

  it('reveals every option’s reasoning after an answer, marking the chosen and the strongest', () => {
    const shown = revealCase(c, 'escalate');
    expect(shown.map((o) => [o.id, o.chosen, o.strongest])).toEqual([
      ['refuse', false, false],
      ['accept', false, true],
      ['escalate', true, false],
    ]);
    expect(shown[1]!.reasoning).toBe("The small cost is worth the customer's goodwill.");
    expect(JSON.stringify(shown)).not.toMatch(/"score"/);
  });

  it('gives a verdict line comparing the choice with the strongest call, without scores', () => {
    expect(verdictFor(c, 'accept')).toEqual({ tone: 'strongest', text: 'You made the strongest call.' });
    const close = verdictFor(c, 'escalate');
    expect(close.tone).toBe('close');
    expect(close.text).toContain('“Accept the return and note why.”');
    const weaker = verdictFor(c, 'refuse');
    expect(weaker.tone).toBe('weaker');
    expect(weaker.text).toMatch(/^Not the strongest call: that was “Accept the return and note why\.”/);
    expect(JSON.stringify([close, weaker])).not.toMatch(/\d/);
  });

  it('checks ratings against the rubric', () => {
    expect(checkRatings(c, { outcome: 4, reasoning: 5 })).toBeNull();
    expect(checkRatings(c, { outcome: 4 })).toBe('Rate "Reasoning".');
    expect(checkRatings(c, { outcome: 0, reasoning: 5 })).toMatch(/1 to 5/);
    expect(checkRatings(c, { outcome: 2.5, reasoning: 5 })).toMatch(/1 to 5/);
    expect(checkRatings(c, { outcome: 4, reasoning: 5, standard: 3 })).toMatch(/not on this case's rubric/);
  });

  it('maps ratings to 0–100 and lets a review override the automatic score', () => {
    expect(reviewScore({ a: 1, b: 1 })).toBe(0);
    expect(reviewScore({ a: 5, b: 5 })).toBe(100);
    expect(reviewScore({ a: 3, b: 4 })).toBe(63);
    expect(finalScore(90, null)).toBe(90);
    expect(finalScore(90, { ratings: { a: 2, b: 2 } })).toBe(25);
    expect(finalScore(null, undefined)).toBeNull();
  });

  it('treats blank free text as none', () => {
    expect(answerTextSchema.parse('   ')).toBeUndefined();
    expect(answerTextSchema.parse('  Accept it. ')).toBe('Accept it.');
    expect(answerTextSchema.safeParse('x'.repeat(2001)).success).toBe(false);
  });
});
