import { describe, expect, it } from 'vitest';
import { statementSchema } from '~/features/exports/xapi/schema';

const good = {
  id: '886313e1-3b8a-5372-9b90-0c9aee199e5d',
  actor: { objectType: 'Agent', name: 'Ana', mbox: 'mailto:ana@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
  object: {
    objectType: 'Activity',
    id: 'https://academy.example.com/xapi/activities/quiz/q1',
    definition: { name: { 'en-US': 'Quiz' }, type: 'http://adlnet.gov/expapi/activities/assessment' },
  },
  result: { score: { scaled: 0.5, raw: 50, min: 0, max: 100 }, success: true, duration: 'PT1M' },
  timestamp: '2026-01-15T09:30:00.000Z',
};

/** A copy of `good` with one part replaced. */
function withPart(path: string[], value: unknown): unknown {
  const copy = structuredClone(good) as Record<string, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}

const accepts = (s: unknown) => statementSchema.safeParse(s).success;

describe('statementSchema', () => {
  it('accepts a well-formed statement', () => {
    expect(accepts(good)).toBe(true);
  });

  it('needs exactly one identifier on the actor', () => {
    expect(accepts(withPart(['actor'], { name: 'Ana' }))).toBe(false);
    expect(accepts(withPart(['actor', 'openid'], 'https://id.example/ana'))).toBe(false);
    expect(accepts(withPart(['actor'], { account: { homePage: 'https://a.example', name: 'ana' } }))).toBe(true);
    expect(accepts(withPart(['actor', 'mbox'], 'ana@example.com'))).toBe(false);
  });

  it('needs an IRI verb id with a language-map display, and refuses voided', () => {
    expect(accepts(withPart(['verb', 'id'], 'passed'))).toBe(false);
    expect(accepts(withPart(['verb', 'display'], undefined))).toBe(false);
    expect(accepts(withPart(['verb', 'display'], {}))).toBe(false);
    expect(accepts(withPart(['verb', 'display'], { 'not a tag': 'x' }))).toBe(false);
    expect(accepts(withPart(['verb', 'id'], 'http://adlnet.gov/expapi/verbs/voided'))).toBe(false);
  });

  it('needs an Activity object with an IRI id and a definition', () => {
    expect(accepts(withPart(['object', 'id'], '/xapi/activities/quiz/q1'))).toBe(false);
    expect(accepts(withPart(['object', 'definition'], undefined))).toBe(false);
    expect(accepts(withPart(['object', 'objectType'], 'Agent'))).toBe(false);
  });

  it('keeps interaction components to the interaction types that have them, with unique ids', () => {
    const choices = [{ id: 'a' }, { id: 'b' }];
    const def = (extra: object) => withPart(['object', 'definition'], { type: 'http://x.example/t', ...extra });
    expect(accepts(def({ interactionType: 'choice', choices }))).toBe(true);
    expect(accepts(def({ interactionType: 'numeric', choices }))).toBe(false);
    expect(accepts(def({ choices }))).toBe(false);
    expect(accepts(def({ interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] }))).toBe(false);
    expect(accepts(def({ interactionType: 'guess' }))).toBe(false);
  });

  it('keeps score.scaled within [-1, 1] and raw between min and max', () => {
    expect(accepts(withPart(['result', 'score', 'scaled'], 1.5))).toBe(false);
    expect(accepts(withPart(['result', 'score', 'scaled'], -1))).toBe(true);
    expect(accepts(withPart(['result', 'score', 'raw'], 101))).toBe(false);
    expect(accepts(withPart(['result', 'score', 'min'], 100))).toBe(false);
  });

  it('needs ISO 8601 timestamps and durations and a UUID id', () => {
    expect(accepts(withPart(['timestamp'], '15/01/2026 09:30'))).toBe(false);
    expect(accepts(withPart(['timestamp'], '2026-01-15T09:30:00+02:00'))).toBe(true);
    expect(accepts(withPart(['result', 'duration'], '90 seconds'))).toBe(false);
    expect(accepts(withPart(['id'], 'att1'))).toBe(false);
  });

  it('needs IRI extension keys and refuses unknown top-level keys', () => {
    expect(accepts(withPart(['result', 'extensions'], { ending: 'x' }))).toBe(false);
    expect(accepts(withPart(['result', 'extensions'], { 'https://a.example/ending': 'x' }))).toBe(true);
    expect(accepts(withPart(['stored'], '2026-01-15T09:30:00Z'))).toBe(false);
  });
});
