/**
 * The content checker, pure: given what `load.ts` parsed, list every problem as `file:line:col message`.
 * Loading already reported syntax and schema errors; this adds ids, cross-references, the lesson's use of the MDX
 * kit, quiz keys (check-quiz.ts), role-play graphs (check-roleplay.ts), calibration exercises (check-exercise.ts) and quality
 * scorecards (check-scorecard.ts).
 * Problems come out sorted by file and line.
 */
import { checkExercise } from './check-exercise';
import { checkAudio, checkFigure, checkKnowledgeChecks, mediaProblem } from './check-kit';
import { checkQuiz } from './check-quiz';
import { checkScorecards } from './check-scorecard';
import { checkRoleplay } from './check-roleplay';
import type { Content, Entry, Kind, Position, Problem, Report, YamlPath } from './load';
import { mdxKit, scanMdx, type KitName, type MdxElement, type MdxScan } from './mdx';
import { placeholdersIn, type Organization } from './organization';
import { bestReachableScore } from './roleplay-graph';
import type { JobAidFrontmatter, JudgmentCase, ModuleFrontmatter, Track } from './schema';

const kindNoun: Record<Kind, string> = {
  standards: 'standard',
  modules: 'module',
  quizzes: 'quiz',
  roleplays: 'role-play',
  cases: 'judgment case',
  exercises: 'exercise',
  scorecards: 'scorecard',
  tracks: 'track',
  jobAids: 'job aid',
};

export function checkContent(content: Content): Problem[] {
  const problems = [...content.problems];
  const reporter =
    (entry: Entry<unknown>): Report =>
    (where, message) =>
      problems.push({ file: entry.file, ...(isPath(where) ? entry.at(where) : where), message });

  for (const kind of ['standards', 'quizzes', 'roleplays', 'cases', 'exercises', 'scorecards', 'tracks'] as const) checkIds(content[kind], reporter);
  // The kit elements of every lesson that parses, for the module checks and for "does its lesson show it".
  const lessons = new Map<string, MdxElement[]>();
  for (const entry of content.modules.values()) {
    const scan = scanMdx(entry.text);
    checkModule(entry, scan, content, reporter(entry));
    if (!hasSyntaxError(scan)) lessons.set(entry.id, scan.elements);
  }
  for (const entry of content.quizzes.values()) checkQuiz(entry, content, reporter(entry));
  for (const entry of content.roleplays.values()) checkRoleplay(entry, content, reporter(entry));
  for (const entry of content.cases.values()) checkCase(entry, content, reporter(entry));
  for (const entry of content.exercises.values()) checkExercise(entry, content, lessons, reporter(entry));
  checkScorecards(content, reporter);
  for (const entry of content.tracks.values()) checkTrack(entry, content, reporter(entry));
  for (const entry of content.jobAids.values()) checkJobAid(entry, content, reporter(entry));
  for (const kind of ['standards', 'modules', 'quizzes', 'roleplays', 'cases', 'exercises', 'scorecards', 'tracks', 'jobAids'] as const) {
    for (const entry of content[kind].values()) checkPlaceholders(entry, content, reporter(entry));
  }
  if (content.organization) checkOrganization(content.organization, content, reporter(content.organization));

  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

function isPath(where: YamlPath | Position): where is YamlPath {
  return Array.isArray(where);
}

/** `id` must equal the file name, so that what authors type in references is what they see in the folder. */
function checkIds(entries: Map<string, Entry<unknown>>, reporter: (e: Entry<unknown>) => Report): void {
  const seen = new Map<string, Entry<unknown>>();
  for (const entry of entries.values()) {
    const id = (entry.raw as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') continue;
    const report = reporter(entry);
    if (id !== entry.id) report(['id'], `id "${id}" does not match the file name "${entry.id}"`);
    const first = seen.get(id);
    if (first) report(['id'], `duplicate id "${id}": also used by ${first.file}`);
    else seen.set(id, entry);
  }
}

const hasSyntaxError = (scan: MdxScan) => scan.issues.some((i) => i.message.startsWith('MDX syntax'));

function checkModule(entry: Entry<ModuleFrontmatter>, scan: MdxScan, content: Content, report: Report): void {
  for (const issue of scan.issues) report(issue, issue.message);
  const fm = entry.data;
  if (fm) {
    fm.standards.forEach((s, i) => {
      if (!content.standards.has(s)) report(['standards', i], `unknown standard "${s}"`);
    });
    fm.prerequisites.forEach((m, i) => {
      if (m === entry.id) report(['prerequisites', i], 'a module cannot be its own prerequisite');
      else if (!content.modules.has(m)) report(['prerequisites', i], `unknown module "${m}"`);
    });
    if (!content.quizzes.has(fm.quiz)) report(['quiz'], `unknown quiz "${fm.quiz}"`);
  }
  // A syntax error hides the body, so the rules below would only repeat it.
  if (hasSyntaxError(scan)) return;

  const shows = (name: KitName, id: string) => scan.elements.some((el) => el.name === name && el.attributes.id === id);
  checkKitElements(scan.elements, content, report);
  if (!scan.elements.some((el) => el.name === 'JudgmentCase')) report([], 'the lesson has no <JudgmentCase>: add at least one');
  if (!fm) return;
  fm.standards.forEach((s, i) => {
    if (content.standards.has(s) && !shows('Standard', s)) {
      report(['standards', i], `standard "${s}" is listed but never shown: add <Standard id="${s}" />`);
    }
  });
  if (content.quizzes.has(fm.quiz) && !shows('Quiz', fm.quiz)) {
    report(['quiz'], `the lesson never shows its quiz: add <Quiz id="${fm.quiz}" /> at the end`);
  }
}

/** Interactive blocks belong in the lesson; a job aid is a page to print. */
const notInJobAids: readonly KitName[] = ['Quiz', 'JudgmentCase', 'RolePlay', 'Check', 'Audio'];

function checkJobAid(entry: Entry<JobAidFrontmatter>, content: Content, report: Report): void {
  if (!content.modules.has(entry.id)) {
    const known = [...content.modules.keys()].sort().join(', ');
    report([], `job aid "${entry.id}" names no module: call the file after its module (${known})`);
  }
  const scan = scanMdx(entry.text);
  for (const issue of scan.issues) report(issue, issue.message);
  if (scan.issues.some((i) => i.message.startsWith('MDX syntax'))) return;
  checkKitElements(scan.elements, content, report);
  for (const el of scan.elements) {
    if ((notInJobAids as readonly string[]).includes(el.name)) report(el, `<${el.name}> is interactive: keep it in the lesson, not on the printable page`);
  }
}

/** Every capitalised tag must be a kit component used as the kit expects. */
function checkKitElements(elements: readonly MdxElement[], content: Content, report: Report): void {
  for (const el of elements) {
    if (/^[a-z]/.test(el.name)) continue;
    if (!(el.name in mdxKit)) {
      report(el, `unknown component <${el.name}>: the kit has ${Object.keys(mdxKit).join(', ')}`);
      continue;
    }
    const kind = mdxKit[el.name as KitName];
    const id = el.attributes.id;
    if (kind && (id === undefined || id === true)) report(el, `<${el.name}> needs an id, e.g. <${el.name} id="…" />`);
    else if (kind && id === null) report(el, `<${el.name}> id must be a plain string, e.g. id="…"`);
    else if (kind && typeof id === 'string' && !content[kind].has(id)) report(el, `unknown ${kindNoun[kind]} "${id}"`);
    if (el.name === 'Policy') checkPolicyElement(el.attributes.name, content, (message) => report(el, message));
    if (el.name === 'Example' && (el.attributes.good === undefined) === (el.attributes.bad === undefined)) {
      report(el, '<Example> needs exactly one of good or bad');
    }
    if (el.name === 'Figure') checkFigure(el, content, (message) => report(el, message));
    if (el.name === 'Audio') checkAudio(el, content, (message) => report(el, message));
  }
  checkKnowledgeChecks(elements, report);
}

function checkCase(entry: Entry<JudgmentCase>, content: Content, report: Report): void {
  const c = entry.data;
  if (!c) return;
  c.standards.forEach((s, i) => {
    if (!content.standards.has(s)) report(['standards', i], `unknown standard "${s}"`);
  });
  const ids = new Set<string>();
  c.options.forEach((o, i) => {
    if (ids.has(o.id)) report(['options', i, 'id'], `duplicate option id "${o.id}"`);
    ids.add(o.id);
  });
}

function checkTrack(entry: Entry<Track>, content: Content, report: Report): void {
  const track = entry.data;
  if (!track) return;
  const listed = new Set<string>();
  track.modules.forEach((m, i) => {
    if (listed.has(m)) report(['modules', i], `module "${m}" is listed twice`);
    else if (!content.modules.has(m)) report(['modules', i], `unknown module "${m}"`);
    listed.add(m);
  });
  track.requires.forEach((req, i) => {
    if ('exercise' in req) {
      const ex = content.exercises.get(req.exercise);
      if (!ex) report(['requires', i, 'exercise'], `unknown exercise "${req.exercise}"`);
      else if (ex.data && !listed.has(ex.data.module)) {
        report(['requires', i, 'exercise'], `exercise "${req.exercise}" belongs to module "${ex.data.module}", which is not in this track`);
      }
      return;
    }
    if ('quiz' in req) {
      const quiz = content.quizzes.get(req.quiz);
      if (!quiz) report(['requires', i, 'quiz'], `unknown quiz "${req.quiz}"`);
      else if (quiz.data && !listed.has(quiz.data.module)) {
        report(['requires', i, 'quiz'], `quiz "${req.quiz}" checks module "${quiz.data.module}", which is not in this track`);
      }
      return;
    }
    const rp = content.roleplays.get(req.roleplay);
    if (!rp) {
      report(['requires', i, 'roleplay'], `unknown role-play "${req.roleplay}"`);
      return;
    }
    if (!rp.data) return;
    if (!listed.has(rp.data.module)) {
      report(['requires', i, 'roleplay'], `role-play "${req.roleplay}" belongs to module "${rp.data.module}", which is not in this track`);
    }
    const needed = req.minScore ?? rp.data.passScore;
    const best = bestReachableScore(rp.data);
    if (best !== undefined && best < needed) {
      report(['requires', i], `role-play "${req.roleplay}" can score at most ${best}, below the required ${needed}`);
    }
  });
}

/** The brand's logo must be a file the site serves (its colour is checked by the schema). */
function checkOrganization(entry: Entry<Organization>, content: Content, report: Report): void {
  const logo = entry.data?.brand?.logo;
  const problem = logo && mediaProblem(logo, ['.svg', '.png'], content);
  if (problem) report(['brand', 'logo'], `brand.logo: ${problem}`);
}

/** `{{name}}` in any text field must name a value of content/organization.yaml. */
function checkPlaceholders(entry: Entry<unknown>, content: Content, report: Report): void {
  for (const { path, name } of placeholdersIn(entry.raw)) {
    const problem = unknownValue(name, content);
    if (problem) report(path, problem);
  }
}

function checkPolicyElement(name: string | true | null | undefined, content: Content, report: (message: string) => void): void {
  if (typeof name !== 'string') {
    report('<Policy> needs a name as a plain string, e.g. <Policy name="rep-goodwill-limit" />');
    return;
  }
  const problem = unknownValue(name, content);
  if (problem) report(problem.replace(`{{${name}}}`, `<Policy name="${name}">`));
}

function unknownValue(name: string, content: Content): string | undefined {
  const org = content.organization;
  if (!org) return `{{${name}}} needs content/organization.yaml, which is missing`;
  // A broken organization file is reported there; every use of it would only repeat that.
  if (!org.data) return undefined;
  if (name in org.data.values) return undefined;
  const known = Object.keys(org.data.values).sort();
  return `unknown policy value {{${name}}}: organization.yaml has ${known.length > 0 ? known.join(', ') : 'no values'}`;
}
