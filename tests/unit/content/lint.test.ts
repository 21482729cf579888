/**
 * The authoring lint, rule by rule, on the small lint-clean tree in tests/fixtures/lint/clean: each test edits one
 * file of it to trip a rule (and asserts the exact `file:line:col` finding), and keeps one edit just inside the
 * rule's limit to show it does not fire there.
 */
import { describe, expect, it } from 'vitest';
import { checkContent } from '~/features/content/check';
import { certificationScope, formatFinding, lintContent, type Finding } from '~/features/content/lint';
import { bestReplies } from '~/features/content/lint/roleplay';
import { parseContent, readContentFiles, type SourceFile } from '~/features/content/load';

const clean = await readContentFiles('tests/fixtures/lint/clean');

/** The clean tree with edits: path → a function of the file's text (or the text of a new file). */
function tree(edits: Record<string, ((text: string) => string) | string> = {}): SourceFile[] {
  const files = clean.map((f) => {
    const edit = edits[f.path];
    return typeof edit === 'function' ? { ...f, text: edit(f.text) } : f;
  });
  for (const [path, edit] of Object.entries(edits)) if (typeof edit === 'string') files.push({ path, text: edit });
  return files;
}

function lint(edits: Record<string, ((text: string) => string) | string> = {}, rule?: Finding['rule']): Finding[] {
  const content = parseContent(tree(edits));
  // Every edit keeps the content valid, so the lint is what is being tested.
  expect(checkContent(content)).toEqual([]);
  return lintContent(content).filter((f) => !rule || f.rule === rule);
}

const lines = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.message}`);

/** Replaces exactly one occurrence (a typo in a fixture edit would otherwise pass silently). */
const swap = (from: string, to: string) => (text: string) => {
  expect(text.split(from).length - 1, `"${from}" once`).toBe(1);
  return text.replace(from, to);
};

const QUIZ = 'quizzes/greeting-quiz.yaml';
const ROLEPLAY = 'roleplays/angry-caller.yaml';
const CASE = 'cases/greeting-case.yaml';

describe('the clean fixture', () => {
  it('has no findings', () => {
    expect(lint()).toEqual([]);
  });
});

/** The "password" question keyed False too: both true/false questions of the quiz are then "False". */
const keyFalse = (t: string) =>
  swap('{ id: "false", text: "False", feedback: A password', '{ id: "false", text: "False", correct: true, feedback: A password')(
    swap('{ id: "true", text: "True", correct: true,', '{ id: "true", text: "True",')(t),
  );

describe('true/false balance', () => {

  it('reports a quiz whose true/false keys are all "False", at the first of them, with how many to rewrite', () => {
    const findings = lint({ [QUIZ]: keyFalse }, 'true-false-balance').filter((f) => f.subject.kind === 'quiz');
    expect(lines(findings)).toEqual([
      'quizzes/greeting-quiz.yaml:25:5 2 of 2 true/false questions are keyed "False" (0% True): a learner who always answers "False" gets them all',
    ]);
    expect(findings[0]!.suggestion).toBe('rewrite 1 statement so the answer is "True" (aim for 1 of 2 True), e.g. question "interrupt"');
  });

  it('reports the track too, naming the quizzes to start with', () => {
    const [finding] = lint({ [QUIZ]: keyFalse }, 'true-false-balance').filter((f) => f.subject.kind === 'track');
    expect(lines([finding!])).toEqual([
      'tracks/basics.yaml:8:1 2 of the 2 true/false questions in this track\'s quizzes are keyed "False" (0% True; the target is 35–65%)',
    ]);
    expect(finding!.suggestion).toBe('rewrite about 1 statement so the answer is "True" (1 of 2 True), starting with greeting-quiz (2)');
  });

  it('accepts one True and one False', () => {
    expect(lint({}, 'true-false-balance')).toEqual([]);
  });
});

describe('the key as the longest option', () => {
  const longKey = (id: string, text: string) => (t: string) => t.replace(new RegExp(`(\\{ id: ${id}, text: )[^,]*,`), `$1${text},`);

  it('reports every such question once more than a third of the keyed questions have it', () => {
    // name-when already ties for longest; two more make 3 of 6.
    const edit = (t: string) =>
      longKey('paraphrase', '"Say back, in your own words, what you heard"')(longKey('whole', '"You hear the real problem, all of it, once"')(t));
    expect(lines(lint({ [QUIZ]: edit }, 'longest-key'))).toEqual([
      'quizzes/greeting-quiz.yaml:14:21 question "name-when": the key is the longest option, as in 3 of 6 keyed questions of this quiz (50%; keep it to a third or less)',
      'quizzes/greeting-quiz.yaml:69:22 question "why-listen": the key is the longest option, as in 3 of 6 keyed questions of this quiz (50%; keep it to a third or less)',
      'quizzes/greeting-quiz.yaml:77:27 question "repeat": the key is the longest option, as in 3 of 6 keyed questions of this quiz (50%; keep it to a third or less)',
    ]);
  });

  it('allows it in a third of them', () => {
    const edit = longKey('whole', '"You hear the real problem, all of it, once"');
    expect(lint({ [QUIZ]: edit }, 'longest-key')).toEqual([]);
  });
});

describe('throwaway distractors', () => {
  const key = '"It treats them as a person, which relaxes them."'; // 47 characters between the quotes
  it('reports a wrong option under half the key’s length', () => {
    const edit = (t: string) =>
      swap('text: It treats them as a person.,', `text: ${key},`)(swap('text: It confirms the account on file.,', 'text: It is policy.,')(t));
    const findings = lint({ [QUIZ]: edit }, 'throwaway-distractor');
    expect(lines(findings)).toEqual([
      'quizzes/greeting-quiz.yaml:23:24 question "why-name": wrong option "records" has 13 characters against the key\'s 47: learners can rule it out by its length alone',
    ]);
    expect(findings[0]!.suggestion).toContain('at least 24 characters');
  });

  it('accepts one at half the key’s length, and short keys whatever their options', () => {
    const edit = (t: string) =>
      swap('text: It treats them as a person.,', `text: ${key},`)(swap('text: It confirms the account on file.,', 'text: It confirms the account.,')(t));
    expect(lint({ [QUIZ]: edit }, 'throwaway-distractor')).toEqual([]);
    // "Let her finish." is 15 characters: under throwawayMinKey, so "Ask." is no tell.
    expect(lint({ [QUIZ]: swap("text: Ask for the pet's name and age.,", 'text: Ask.,') }, 'throwaway-distractor')).toEqual([]);
  });
});

describe('the best reply as the longest', () => {
  const longBest = swap('text: Sorry, Dana. Let me look.', 'text: I am so sorry about this, Dana. Let me look it up for you now.');
  const longListen = swap("text: Go on, I'm listening.", "text: Go on, please, I'm listening to every word of this.");

  it('reports every node where it is, once they are more than a third of the nodes', () => {
    expect(lines(lint({ [ROLEPLAY]: (t) => longListen(longBest(t)) }, 'longest-best-reply'))).toEqual([
      'roleplays/angry-caller.yaml:17:9 node "open": the best reply "name" is also the longest, as at 2 of 2 nodes of this role-play (100%; keep it to a third or less)',
      'roleplays/angry-caller.yaml:33:9 node "explain": the best reply "listen" is also the longest, as at 2 of 2 nodes of this role-play (100%; keep it to a third or less)',
    ]);
  });

  it('works out the best reply from the scores where none is marked', () => {
    const unmarked = (t: string) => t.replaceAll('        best: true\n', '');
    const rp = parseContent(tree({ [ROLEPLAY]: unmarked })).roleplays.get('angry-caller')!.data!;
    // "listen" can still reach the 100 ending, "argue" at most 40; "name" and "cut-in" both lead to "explain".
    expect(bestReplies(rp)).toEqual(new Map([['explain', new Set(['listen'])]]));
    expect(lines(lint({ [ROLEPLAY]: (t) => longListen(unmarked(t)) }, 'longest-best-reply'))).toEqual([
      'roleplays/angry-caller.yaml:32:9 node "explain": the best reply "listen" is also the longest, as at 1 of 1 nodes of this role-play (100%; keep it to a third or less)',
    ]);
  });

  it('accepts best replies that are not the longest', () => {
    expect(lint({}, 'longest-best-reply')).toEqual([]);
  });
});

describe('judgment cases without a dilemma', () => {
  it('reports a strongest option that is also the longest label', () => {
    const edit = swap('label: Answer quietly without her name.', 'label: Answer quietly and warmly without saying her name, so the queue hears nothing.');
    expect(lines(lint({ [CASE]: edit }, 'no-dilemma'))).toEqual([
      'cases/greeting-case.yaml:12:5 the strongest option "quiet" (score 90) is also the longest label: a learner can pick it by its length',
    ]);
  });

  it('reports a runner-up more than 15 points behind', () => {
    expect(lines(lint({ [CASE]: swap('score: 80', 'score: 74') }, 'no-dilemma'))).toEqual([
      'cases/greeting-case.yaml:10:5 the runner-up "note" scores 74, 16 points behind the strongest option: no real dilemma',
    ]);
  });

  it('accepts a runner-up 15 points behind', () => {
    expect(lint({ [CASE]: swap('score: 80', 'score: 75') }, 'no-dilemma')).toEqual([]);
  });
});

describe('the strongest call listed first', () => {
  it('reports a case whose strongest option comes first (cases are not shuffled)', () => {
    const findings = lint({ [CASE]: swap('score: 80', 'score: 95') }, 'strongest-first');
    expect(lines(findings)).toEqual([
      'cases/greeting-case.yaml:7:5 the strongest option "note" is listed first, and cases show their options in the order written: "always the first" picks it',
    ]);
  });

  it('accepts it anywhere else', () => {
    expect(lint({}, 'strongest-first')).toEqual([]);
  });
});

describe('pool size of certification quizzes', () => {
  it('reports a quiz that asks every question on every attempt', () => {
    const findings = lint({ [QUIZ]: swap('draw: 6\n', '') }, 'small-pool');
    expect(lines(findings)).toEqual([
      'quizzes/greeting-quiz.yaml:7:1 the quiz asks all 9 of its questions on every attempt, so a retake is the same test and the answers can be memorised',
    ]);
    expect(findings[0]!.suggestion).toBe('add `draw: 9` and 5 more questions (a pool of at least 14, 1.5 × the draw), or draw fewer');
  });

  it('reports a pool under 1.5 times the draw', () => {
    const findings = lint({ [QUIZ]: swap('draw: 6', 'draw: 7') }, 'small-pool');
    expect(lines(findings)).toEqual([
      'quizzes/greeting-quiz.yaml:7:1 the quiz draws 7 of a pool of 9: a retake meets mostly the same questions (a certification quiz needs a pool of at least 11, 1.5 × the draw)',
    ]);
    expect(findings[0]!.suggestion).toBe('add 2 questions to the pool, or draw no more than 6');
  });

  it('accepts a pool of 1.5 times the draw, and practice quizzes that ask everything', () => {
    expect(lint({}, 'small-pool')).toEqual([]);
    expect(lint({ [QUIZ]: (t) => swap('mode: certification', 'mode: practice')(swap('draw: 6\n', '')(t)) }, 'small-pool')).toEqual([]);
  });
});

describe('recall dressed as transfer', () => {
  it('reports a scenario that retells the lesson', () => {
    const copied = 'Let the caller finish before you answer, because the first thing they say is rarely the whole story.';
    const edit = swap(
      "scenario: A dog owner phones the vet's surgery, upset, and starts explaining before you have said hello.",
      `scenario: ${copied}`,
    );
    const findings = lint({ [QUIZ]: edit }, 'recall-overlap');
    expect(lines(findings)).toEqual([
      'quizzes/greeting-quiz.yaml:57:5 question "vet": the scenario repeats the lesson "greeting": 100% of its five-word phrases appear there, e.g. "let the caller finish before you answer because the first thing they say is rarely the whole story"',
    ]);
  });

  it('reports a case that repeats another case', () => {
    const other = (t: string) => t.replaceAll('greeting-case', 'greeting-case-2').replace(/title: .*/, 'title: The same matter');
    const findings = lint({ 'cases/greeting-case-2.yaml': other(clean.find((f) => f.path === CASE)!.text) }, 'recall-overlap');
    expect(lines(findings)).toEqual([
      'cases/greeting-case-2.yaml:4:1 the situation repeats the case "greeting-case": 100% of its five-word phrases appear there, e.g. "at the pharmacy till a regular asks in front of a long queue whether her overdue account is settled"',
      'cases/greeting-case.yaml:4:1 the situation repeats the case "greeting-case-2": 100% of its five-word phrases appear there, e.g. "at the pharmacy till a regular asks in front of a long queue whether her overdue account is settled"',
    ]);
    // Not shown in any lesson: a warning even under --strict.
    expect(findings.map((f) => f.certification)).toEqual([false, true]);
  });

  it('accepts a scenario that only shares a phrase', () => {
    const edit = swap(
      "scenario: A dog owner phones the vet's surgery, upset, and starts explaining before you have said hello.",
      'scenario: A dog owner phones the surgery and, before you answer, the first thing they say is about the bill.',
    );
    expect(lint({ [QUIZ]: edit }, 'recall-overlap')).toEqual([]);
  });
});

describe('certification content', () => {
  it('is certification quizzes, required role-plays, cases in track lessons and tracks', () => {
    const scope = certificationScope(parseContent(tree()));
    expect(scope).toEqual({
      quizzes: new Set(['greeting-quiz']),
      roleplays: new Set(['angry-caller']),
      cases: new Set(['greeting-case']),
      tracks: new Set(['basics']),
    });
  });

  it('leaves out practice quizzes, role-plays no track requires and cases no track lesson shows', () => {
    const scope = certificationScope(
      parseContent(
        tree({
          [QUIZ]: swap('mode: certification', 'mode: practice'),
          'tracks/basics.yaml': swap('  - roleplay: angry-caller\n', ''),
          'modules/greeting.mdx': swap('<JudgmentCase id="greeting-case" />', '<JudgmentCase id="greeting-case" />\n\n<JudgmentCase id="greeting-case-2" />'),
          'cases/greeting-case-2.yaml': clean.find((f) => f.path === CASE)!.text.replace('id: greeting-case', 'id: greeting-case-2'),
          'tracks/other.yaml': 'id: other\ntitle: Other\nsummary: x\naudience: rep\nmandatory: false\ndueDays: 30\nvalidityMonths: 12\nmodules: [greeting]\nrequires: [{ quiz: greeting-quiz }]\n',
        }),
      ),
    );
    expect(scope.quizzes).toEqual(new Set());
    expect(scope.roleplays).toEqual(new Set());
    expect(scope.cases).toEqual(new Set(['greeting-case', 'greeting-case-2']));
    expect(scope.tracks).toEqual(new Set(['basics', 'other']));
  });

  it('marks findings on practice content as not certification', () => {
    const findings = lint({ [QUIZ]: (t) => swap('mode: certification', 'mode: practice')(keyFalse(t)) }, 'true-false-balance');
    expect(findings.map((f) => [f.subject.kind, f.certification])).toEqual([
      ['quiz', false],
      ['track', true],
    ]);
  });
});

describe('formatFinding', () => {
  const finding: Finding = {
    rule: 'small-pool',
    file: 'content/quizzes/q.yaml',
    line: 3,
    col: 1,
    message: 'the quiz asks all 7',
    suggestion: 'add `draw: 7`',
    subject: { kind: 'quiz', id: 'q' },
    certification: true,
  };
  it('prints a warning with its rule and the suggestion on the next line', () => {
    expect(formatFinding(finding)).toBe('content/quizzes/q.yaml:3:1 warning: the quiz asks all 7 [small-pool]\n    suggestion: add `draw: 7`');
  });
  it('prints an error like the checker’s problems (no prefix)', () => {
    expect(formatFinding(finding, true)).toBe('content/quizzes/q.yaml:3:1 the quiz asks all 7 [small-pool]\n    suggestion: add `draw: 7`');
  });
});

describe('drafts', () => {
  const draft = { path: `quizzes/_greeting-quiz.yaml`, text: swap('draw: 6\n', '')(clean.find((f) => f.path === QUIZ)!.text) };

  it('are skipped unless asked for', () => {
    const content = parseContent([...tree(), draft]);
    expect(content.quizzes.get('greeting-quiz')!.file).toBe(QUIZ);
    expect(lintContent(content)).toEqual([]);
  });

  it('stand in for the published file of their id when asked for, so work in progress is checked in context', () => {
    const content = parseContent([...tree(), draft], '', { drafts: true });
    expect(content.quizzes.get('greeting-quiz')!.file).toBe('quizzes/_greeting-quiz.yaml');
    expect(checkContent(content)).toEqual([]);
    expect(lines(lintContent(content))).toEqual([
      'quizzes/_greeting-quiz.yaml:7:1 the quiz asks all 9 of its questions on every attempt, so a retake is the same test and the answers can be memorised',
    ]);
  });
});
