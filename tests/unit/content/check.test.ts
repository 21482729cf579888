/**
 * The checker, fault by fault: each folder under tests/fixtures/content/ (except `valid`) holds the files that
 * replace their namesakes in the valid tree to introduce ONE fault. The exact `file:line:col message` lines are
 * asserted, so a message or position that drifts is caught.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkContent } from '~/features/content/check';
import { formatProblem, loadContent, parseContent, readContentFiles, readMediaFiles } from '~/features/content/load';
import { mdxKit } from '~/features/content/mdx';

const fixtures = 'tests/fixtures/content';
/** What the fixtures' <Figure>, <Audio> and portraits may point at: tests/fixtures/public/media/. */
const media = readMediaFiles('tests/fixtures/public');

async function check(fault?: string): Promise<string[]> {
  const base = await readContentFiles(`${fixtures}/valid`);
  const overlay = fault ? await readContentFiles(`${fixtures}/${fault}`) : [];
  const files = [...base.filter((b) => !overlay.some((o) => o.path === b.path)), ...overlay];
  return checkContent(parseContent(files, '', { media: await media })).map(formatProblem);
}

const expected: Record<string, string[]> = {
  'case-duplicate-option': [
    'cases/greeting-case.yaml:11:5 duplicate option id "use-name"',
  ],
  'duplicate-id': [
    'standards/listen-first.yaml:1:1 id "greet-by-name" does not match the file name "listen-first"',
    'standards/listen-first.yaml:1:1 duplicate id "greet-by-name": also used by standards/greet-by-name.yaml',
  ],
  'duplicate-question-id': [
    'quizzes/greeting-quiz.yaml:77:5 duplicate question id "name-when"',
  ],
  'exercise-duplicate-contact': [
    'exercises/greeting-calibration.yaml:43:5 duplicate contact id "parcel"',
  ],
  'exercise-missing-expert-score': [
    'exercises/greeting-calibration.yaml:36:5 contact "password" has no expert score for "greet-by-name"',
    'exercises/greeting-calibration.yaml:52:7 contact "hours": "smile" is not on the scorecard',
  ],
  'exercise-not-shown': [
    'exercises/greeting-calibration.yaml:4:1 the lesson of module "greeting" never shows this exercise: add <Exercise id="greeting-calibration" /> to it',
  ],
  'exercise-one-sided-key': [
    'exercises/greeting-calibration.yaml:10:1 the expert never scores a standard "not met": a one-sided key is passed by ticking one column',
  ],
  'exercise-too-few-contacts': [
    'exercises/greeting-calibration.yaml:10:1 the exercise has 2 contacts; give 3 to 5',
  ],
  'exercise-unknown-module': [
    'exercises/greeting-calibration.yaml:4:1 unknown module "greetings"',
    'tracks/basics.yaml:13:5 exercise "greeting-calibration" belongs to module "greetings", which is not in this track',
  ],
  'scorecard-faults': [
    'scorecards/phone.yaml:3:1 channel "phone" already has a scorecard: scorecards/calls.yaml',
    'scorecards/phone.yaml:6:5 standard "greet-by-name" has two items: give each an id',
    'scorecards/phone.yaml:7:5 unknown standard "listen-frist"',
    'scorecards/phone.yaml:10:5 duplicate item id "twice"',
  ],
  'scorecard-bad-scale': [
    'scorecards/phone.yaml:6:5 items[0].scale: Invalid option: expected one of "yes-no"|"scale"',
  ],
  'exercise-unknown-standard': [
    'exercises/greeting-calibration.yaml:9:28 unknown standard "listen-frist"',
    'exercises/greeting-calibration.yaml:23:7 contact "parcel": "listen-first" is not on the scorecard',
    'exercises/greeting-calibration.yaml:40:7 contact "password": "listen-first" is not on the scorecard',
    'exercises/greeting-calibration.yaml:55:7 contact "hours": "listen-first" is not on the scorecard',
  ],
  'frontmatter-schema': [
    'modules/greeting.mdx:5:1 minutes: Invalid input: expected number, received string',
  ],
  'id-mismatch': [
    'cases/greeting-case.yaml:1:1 id "greeting-kase" does not match the file name "greeting-case"',
  ],
  'mdx-example-kind': [
    'modules/greeting.mdx:25:1 <Example> needs exactly one of good or bad',
  ],
  'mdx-check-no-question': [
    'modules/greeting.mdx:49:1 <Check> needs a question, e.g. <Check question="Why does …?">',
  ],
  'mdx-check-duplicate-question': [
    'modules/greeting.mdx:54:1 another <Check> in this lesson asks the same question',
  ],
  'mdx-check-one-option': [
    'modules/greeting.mdx:49:1 <Check> has 1 option; give 2 to 5 <Option>s',
  ],
  'mdx-check-two-correct': [
    'modules/greeting.mdx:49:1 <Check> has 2 correct options; mark exactly one',
  ],
  'mdx-check-option-feedback': [
    'modules/greeting.mdx:51:3 <Option> needs feedback that says why it is right or wrong, e.g. feedback="…"',
  ],
  'mdx-check-option-empty': [
    'modules/greeting.mdx:51:3 <Option> is empty: write the answer between <Option …> and </Option>',
  ],
  'mdx-check-correct-value': [
    'modules/greeting.mdx:50:3 `correct` is a flag: write <Option correct …> without a value (leave it out on wrong options)',
  ],
  'mdx-option-outside': [
    'modules/greeting.mdx:54:1 <Option> belongs directly inside a <Check>',
  ],
  'mdx-figure-no-alt': [
    'modules/greeting.mdx:54:1 <Figure> needs alt text that says what the image shows, e.g. alt="…"',
  ],
  'mdx-figure-missing-file': [
    'modules/greeting.mdx:54:1 <Figure> src "/media/greeting/voices.svg": there is no file public/media/greeting/voices.svg',
  ],
  'mdx-figure-size': [
    "modules/greeting.mdx:54:1 <Figure> needs both width and height (the image's size in pixels), or neither",
  ],
  'mdx-audio-no-transcript': [
    'modules/greeting.mdx:56:1 <Audio> needs a transcript, e.g. transcript="…": people who can\'t hear the recording read it instead',
  ],
  'mdx-audio-not-audio': [
    'modules/greeting.mdx:56:1 <Audio> src "/media/greeting/voice.svg" must be one of .mp3, .ogg, .opus, .m4a, .webm, .wav',
  ],
  'job-aid-check': [
    'job-aids/greeting.mdx:13:1 <Check> is interactive: keep it in the lesson, not on the printable page',
  ],
  'roleplay-portrait-missing': [
    'roleplays/angry-caller.yaml:9:15 persona.portrait.src: "/media/personas/dana.png": there is no file public/media/personas/dana.png',
  ],
  'mdx-expression': [
    'modules/greeting.mdx:17:14 {ticket} would run as code: write \\{ and \\} for literal braces',
  ],
  'mdx-id-expression': [
    'modules/greeting.mdx:41:1 <RolePlay> id must be a plain string, e.g. id="…"',
  ],
  'mdx-import': [
    'modules/greeting.mdx:11:1 import and export are not allowed in lessons: the MDX kit is provided automatically',
  ],
  'mdx-missing-id': [
    'modules/greeting.mdx:25:1 <Standard> needs an id, e.g. <Standard id="…" />',
  ],
  'job-aid-interactive': [
    'job-aids/greeting.mdx:11:1 <Quiz> is interactive: keep it in the lesson, not on the printable page',
  ],
  'job-aid-unknown-module': [
    'job-aids/greting.mdx:2:1 job aid "greting" names no module: call the file after its module (greeting)',
  ],
  'mdx-policy-unknown': [
    'modules/greeting.mdx:17:61 unknown policy value <Policy name="followup">: organization.yaml has follow-up, goodwill',
  ],
  'organization-accent-contrast': [
    'organization.yaml:6:3 brand.accent: accent #38bdf8 is too light to read: 2.14:1 on white (#ffffff), 2.00:1 on the header grey (#f5f7fa), 1.95:1 on its own info-notice tint (#e7f7fe), 1.95:1 on the good-notice green (#dcfce7), 1.75:1 on the bad-notice red (#fee2e2), 1.99:1 on the warning yellow (#fef9c3); WCAG AA needs at least 4.5:1 — choose a darker colour',
  ],
  'organization-logo-missing': [
    'organization.yaml:6:3 brand.logo: "/media/brand/fixture.svg": there is no file public/media/brand/fixture.svg',
  ],
  'organization-invalid': [
    'organization.yaml:2:1 currency: a three-letter ISO 4217 code such as USD',
  ],
  'placeholder-unknown': [
    'cases/greeting-case.yaml:4:1 unknown policy value {{goodwil}}: organization.yaml has follow-up, goodwill',
  ],
  'mdx-syntax': [
    'modules/greeting.mdx:15:1 MDX syntax: Expected a closing tag for `<Why>`',
  ],
  'mdx-unknown-component': [
    'modules/greeting.mdx:6:28 standard "listen-first" is listed but never shown: add <Standard id="listen-first" />',
    'modules/greeting.mdx:23:1 unknown component <Standrad>: the kit has Standard, JudgmentCase, RolePlay, Quiz, Exercise, Why, KeyPoint, Example, Policy, Check, Option, Figure, Audio',
  ],
  'missing-frontmatter': [
    'modules/greeting.mdx:1:1 missing frontmatter: start the file with a --- fenced YAML block',
  ],
  'module-prerequisite-unknown': [
    'modules/greeting.mdx:7:17 unknown module "welcome"',
  ],
  'no-judgment-case': [
    'modules/greeting.mdx:2:1 the lesson has no <JudgmentCase>: add at least one',
  ],
  'quiz-draw-pool-too-small': [
    'quizzes/greeting-quiz.yaml:10:1 a quiz that draws needs a pool of at least 8 questions; this pool has 6',
  ],
  'quiz-multiple-one-correct': [
    'quizzes/greeting-quiz.yaml:34:5 question "good-habits" (multiple) has 1 correct option; mark at least two',
  ],
  'quiz-no-correct': [
    'quizzes/greeting-quiz.yaml:10:5 question "name-when" has no correct option',
  ],
  'quiz-not-shown': [
    'modules/greeting.mdx:8:1 the lesson never shows its quiz: add <Quiz id="greeting-quiz" /> at the end',
  ],
  'quiz-option-without-feedback': [
    'quizzes/greeting-quiz.yaml:55:9 questions[3].options[0]: missing `feedback`',
  ],
  'quiz-ordering-correct': [
    'quizzes/greeting-quiz.yaml:60:9 question "order" (ordering): leave out `correct`, the listed order is the answer',
  ],
  'quiz-ordering-size': [
    'quizzes/greeting-quiz.yaml:54:5 question "order" (ordering) has 2 options; give 3 to 5',
  ],
  'quiz-pool-smaller-than-draw': [
    'quizzes/greeting-quiz.yaml:7:1 draw is 8 but the pool has only 6 questions',
  ],
  'quiz-single-two-correct': [
    'quizzes/greeting-quiz.yaml:10:5 question "name-when" (single) has 2 correct options; mark exactly one',
  ],
  'quiz-too-few-questions': [
    'quizzes/greeting-quiz.yaml:9:1 the quiz asks 5 questions; it needs at least 6',
  ],
  'quiz-true-false-options': [
    'quizzes/greeting-quiz.yaml:26:5 question "interrupt" (true-false) must have exactly the options "true" and "false"',
  ],
  'roleplay-branch-last-if': [
    'roleplays/angry-caller.yaml:48:13 the last branch entry must have no `if`: it is the fallback when no condition holds',
  ],
  'roleplay-dead-end': [
    'roleplays/angry-caller.yaml:49:3 node "hold" is a dead end: it has no choices and is not an ending',
  ],
  'roleplay-loop-no-way-out': [
    'roleplays/angry-caller.yaml:49:3 node "circle" is in a loop with no way out: no ending can be reached from it (with anger=6)',
  ],
  'roleplay-loop-stateful': [
    'roleplays/angry-caller.yaml:54:3 node "calm" is in a loop with no way out: no ending can be reached from it (with anger=8)',
  ],
  'roleplay-missing-target': [
    'roleplays/angry-caller.yaml:22:9 choice "name" goes to "explian", which is neither a node nor an ending',
  ],
  'roleplay-start-missing': [
    'roleplays/angry-caller.yaml:11:1 start "opening" is not a node',
  ],
  'roleplay-start-outside-range': [
    'roleplays/angry-caller.yaml:10:3 variable "anger": start 12 is outside 0..10',
  ],
  'roleplay-undeclared-condition': [
    'roleplays/angry-caller.yaml:40:13 condition "patience > 2" uses undeclared variable "patience"',
  ],
  'roleplay-variant-never-holds': [
    'roleplays/angry-caller.yaml:34:9 variant "anger >= 9" never holds at node "explain": no reachable state arrives there with it',
  ],
  'roleplay-variant-undeclared': [
    'roleplays/angry-caller.yaml:34:9 variant condition "patience < 2" uses undeclared variable "patience"',
  ],
  'roleplay-undeclared-effect': [
    'roleplays/angry-caller.yaml:25:30 effect on undeclared variable "trust"',
  ],
  'roleplay-unreachable-ending': [
    'roleplays/angry-caller.yaml:52:3 ending "lost" can never be reached: no path from the start gets there (check the conditions that lead to it)',
  ],
  'roleplay-unreachable-node': [
    'roleplays/angry-caller.yaml:49:3 node "aside" can never be reached',
  ],
  'schema-bad-value': [
    'quizzes/greeting-quiz.yaml:5:1 passMark: Too big: expected number to be <=100',
  ],
  'schema-missing-field': [
    'standards/greet-by-name.yaml:1:1 missing `why`',
  ],
  'schema-unknown-field': [
    'standards/greet-by-name.yaml:9:1 unknown field `owner`',
  ],
  'standard-not-shown': [
    'modules/greeting.mdx:6:28 standard "listen-first" is listed but never shown: add <Standard id="listen-first" />',
  ],
  'stray-file': [
    'quizzes/extra.yml:1:1 ignored: quizzes/ holds only *.yaml files',
  ],
  'track-score-unreachable': [
    'tracks/basics.yaml:12:5 role-play "angry-caller" can score at most 60, below the required 70',
  ],
  'track-unknown-exercise': [
    'tracks/basics.yaml:13:5 unknown exercise "greeting-calibraton"',
  ],
  'unknown-case': [
    'modules/greeting.mdx:41:1 unknown judgment case "no-such-case"',
  ],
  'unknown-module': [
    'tracks/basics.yaml:10:5 unknown module "closing"',
  ],
  'unknown-quiz': [
    'modules/greeting.mdx:8:1 unknown quiz "greetings-quiz"',
  ],
  'unknown-requirement': [
    'tracks/basics.yaml:11:5 unknown quiz "closing-quiz"',
    'tracks/basics.yaml:12:5 unknown role-play "calm-caller"',
  ],
  'unknown-roleplay': [
    'modules/greeting.mdx:41:1 unknown role-play "angry-customer"',
  ],
  'unknown-standard': [
    'quizzes/greeting-quiz.yaml:80:17 unknown standard "listen-frist"',
  ],
  'yaml-duplicate-key': [
    'standards/greet-by-name.yaml:4:1 YAML syntax: duplicate key "audience"',
  ],
  'yaml-syntax': [
    'standards/greet-by-name.yaml:3:1 YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
};

describe('content checker', () => {
  it('passes the valid fixture tree', async () => {
    expect(await check()).toEqual([]);
  });

  it('has an expectation for every fault fixture', () => {
    const folders = readdirSync(fixtures).filter((f) => f !== 'valid');
    expect(folders.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('reports %s', async (fault, lines) => {
    expect(await check(fault)).toEqual(lines);
  });

  it('knows exactly the components the MDX kit provides', () => {
    const barrel = readFileSync('src/components/mdx/index.ts', 'utf8');
    const provided = /mdxComponents = \{([^}]*)\}/.exec(barrel)
      ?.[1]?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''); // a trailing comma after the last name
    expect(provided?.sort()).toEqual(Object.keys(mdxKit).sort());
  });

  it('passes the real content', async () => {
    const problems = checkContent(await loadContent('content', 'content/')).map(formatProblem);
    expect(problems).toEqual([]);
  });
});
