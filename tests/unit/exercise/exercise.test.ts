import { describe, expect, it } from 'vitest';
import type { Standard } from '~/features/content/schema';
import { agreementOf, checkScores, gradeExercise, reviewFor, toPublicExercise } from '~/features/exercise/exercise';
import { exerciseSubmissionFormSchema } from '~/features/exercise/submission';
import { expertScores, fixtureExercise as ex } from '../../fixtures/exercise/exercises';

const standards = new Map<string, Standard>(
  ex.scorecard.map((id) => [
    id,
    {
      id,
      title: `T ${id}`,
      audience: 'rep',
      standard: `S ${id}`,
      why: 'W',
      measure: `M ${id}`,
      bend: 'B',
      source: 'x',
    },
  ]),
);

describe('what the browser gets', () => {
  it('has the contacts and the scorecard with each standard’s text and measure, and none of the expert’s calls', () => {
    const view = toPublicExercise(ex, standards);
    expect(view.contacts.map((c) => c.id)).toEqual(['call', 'chat', 'mail']);
    expect(view.scorecard[0]).toEqual({
      standardId: 'use-the-customer-name',
      title: 'T use-the-customer-name',
      standard: 'S use-the-customer-name',
      measure: 'M use-the-customer-name',
    });
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/KEYWORD|expert|not-met|"na"|reason/);
  });
});

describe('checking the calls', () => {
  it('accepts a call on every item', () => {
    expect(checkScores(ex, expertScores(ex))).toEqual({ ok: true });
  });

  it('refuses missing calls, saying how many and where the first is', () => {
    const scores = expertScores(ex);
    delete scores.chat!['never-argue'];
    delete scores.mail;
    expect(checkScores(ex, scores)).toEqual({
      ok: false,
      kind: 'incomplete',
      message: expect.stringMatching(/^3 calls are still missing \(the first in “A chat”\)/),
    });
  });

  it('refuses calls on contacts or standards the exercise does not have', () => {
    expect(checkScores(ex, { ...expertScores(ex), other: { 'never-argue': 'met' } })).toMatchObject({
      ok: false,
      kind: 'unknown-item',
    });
    const scores = expertScores(ex);
    scores.call!['smile-in-your-voice'] = 'met';
    expect(checkScores(ex, scores)).toMatchObject({
      ok: false,
      kind: 'unknown-item',
      message: expect.stringContaining('smile-in-your-voice'),
    });
  });
});

describe('grading', () => {
  it('agrees fully with the expert’s own calls', () => {
    const g = gradeExercise(ex, expertScores(ex));
    expect(g).toMatchObject({ agreed: 6, total: 6, score: 100, passed: true });
    expect(g.contacts).toEqual([
      { contactId: 'call', agreed: 2, total: 2, score: 100 },
      { contactId: 'chat', agreed: 2, total: 2, score: 100 },
      { contactId: 'mail', agreed: 2, total: 2, score: 100 },
    ]);
  });

  it('scores each item, each contact and the whole by agreement, rounded down, against the pass mark', () => {
    const g = gradeExercise(ex, expertScores(ex, ['chat.never-argue']));
    expect(g).toMatchObject({ agreed: 5, total: 6, score: 83, passed: true });
    expect(g.items.find((x) => x.contactId === 'chat' && x.standardId === 'never-argue')).toEqual({
      contactId: 'chat',
      standardId: 'never-argue',
      score: 'met',
      expert: 'not-met',
      agrees: false,
    });
    expect(g.contacts[1]).toEqual({ contactId: 'chat', agreed: 1, total: 2, score: 50 });
    expect(gradeExercise(ex, expertScores(ex, ['chat.never-argue', 'call.use-the-customer-name']))).toMatchObject({
      score: 66,
      passed: false,
    });
  });

  it('does not reward calling everything met (the key is never one-sided)', () => {
    const allMet = Object.fromEntries(
      ex.contacts.map((c) => [c.id, { 'use-the-customer-name': 'met', 'never-argue': 'met' }]),
    ) as never;
    expect(gradeExercise(ex, allMet)).toMatchObject({ agreed: 2, score: 33, passed: false });
  });

  it('sums stored items the same way (the result page reads rows)', () => {
    const g = gradeExercise(ex, expertScores(ex, ['mail.never-argue']));
    expect(agreementOf(g.items, ex.passMark)).toEqual({
      agreed: g.agreed,
      total: g.total,
      score: g.score,
      passed: g.passed,
      contacts: g.contacts,
    });
    expect(agreementOf([], 80)).toMatchObject({ score: 0, passed: false });
  });
});

describe('review', () => {
  const graded = gradeExercise(ex, expertScores(ex, ['chat.never-argue'])).items;

  it('shows the expert’s call and reason beside every one of the learner’s (review: always)', () => {
    const r = reviewFor(ex, graded, { passedEver: false });
    expect(r.level).toBe('full');
    expect(r.contacts.map((c) => [c.contactId, c.score])).toEqual([
      ['call', 100],
      ['chat', 50],
      ['mail', 100],
    ]);
    expect(r.contacts[1]!.contact?.title).toBe('A chat');
    expect(r.contacts[1]!.items[1]).toEqual({
      standardId: 'never-argue',
      score: 'met',
      expert: 'not-met',
      agrees: false,
      reason: 'KEYWORD-chat-argue: the rep argues.',
    });
  });

  it('under after-pass, before a pass: agreement per contact and the learner’s own calls, no key', () => {
    const r = reviewFor({ ...ex, review: 'after-pass' }, graded, { passedEver: false });
    expect(r.level).toBe('agreement-only');
    expect(JSON.stringify(r.contacts.map((c) => c.items))).not.toMatch(/expert|agrees|KEYWORD/);
    expect(r.contacts[1]).toMatchObject({ agreed: 1, total: 2, score: 50 });
    expect(reviewFor({ ...ex, review: 'after-pass' }, graded, { passedEver: true }).level).toBe('full');
  });

  it('keeps a reason only while the expert still makes the call the attempt was graded on', () => {
    const changed = {
      ...ex,
      contacts: ex.contacts.map((c) =>
        c.id === 'chat'
          ? { ...c, expert: { ...c.expert, 'never-argue': { score: 'met' as const, reason: 'New view.' } } }
          : c,
      ),
    };
    const item = reviewFor(changed, graded, { passedEver: false }).contacts[1]!.items[1]!;
    expect(item).toMatchObject({ expert: 'not-met', agrees: false, keyChanged: true });
    expect(item.reason).toBeUndefined();
    const gone = { ...ex, contacts: ex.contacts.filter((c) => c.id !== 'call') };
    const r = reviewFor(gone, graded, { passedEver: false });
    expect(r.contacts.map((c) => c.contactId)).toEqual(['chat', 'mail', 'call']);
    expect(r.contacts[2]!.contact).toBeUndefined();
  });
});

describe('the submitted form', () => {
  const form = (entries: [string, string][]) => {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return exerciseSubmissionFormSchema.safeParse(f);
  };

  it('reads the attempt and one call per item', () => {
    const parsed = form([
      ['attempt', 'a1'],
      ['score.call.never-argue', 'na'],
      ['score.chat.never-argue', 'not-met'],
      ['score.chat.use-the-customer-name', ''],
    ]);
    expect(parsed.success && parsed.data).toEqual({
      attempt: 'a1',
      scores: { call: { 'never-argue': 'na' }, chat: { 'never-argue': 'not-met' } },
    });
  });

  it('refuses forged fields, unknown calls and a call given twice, with a message', () => {
    for (const entries of [
      [
        ['attempt', 'a1'],
        ['agrees', 'true'],
      ],
      [
        ['attempt', 'a1'],
        ['score.call.never-argue', 'yes'],
      ],
      [
        ['attempt', 'a1'],
        ['score.call.never-argue', 'met'],
        ['score.call.never-argue', 'na'],
      ],
      [['score.call.never-argue', 'met']],
    ] as [string, string][][]) {
      const parsed = form(entries);
      expect(parsed.success, JSON.stringify(entries)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/\w{3}/);
    }
  });

  it('cannot reach Object’s prototype through a contact or standard named like one of its properties', () => {
    const parsed = form([
      ['attempt', 'a1'],
      ['score.constructor.to-string', 'met'],
      ['score.call.constructor', 'na'],
    ]);
    expect(parsed.success).toBe(true);
    expect(checkScores(ex, parsed.data!.scores)).toMatchObject({ ok: false, kind: 'unknown-item' });
    expect(({} as Record<string, unknown>)['to-string']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object, 'to-string')).toBe(false);
  });
});
