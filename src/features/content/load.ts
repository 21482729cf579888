/**
 * Reads `content/` without Astro: used by `npm run content:check`, unit tests, seed and CLI scripts, and the build
 * hook. `readContentFiles` is the only I/O; `parseContent` turns the files into validated entries, keeping YAML node
 * positions so every problem can point at `file:line:col`.
 *
 * Shape: one map per kind, keyed by the FILE NAME (without extension). An entry whose data fails its schema keeps
 * `data: undefined` but stays in its map, so references to it are not also reported as unknown.
 * Files whose name starts with `_` are drafts: skipped here exactly as the collections skip them, unless the
 * caller asks for them (`content:check --drafts`); a draft then stands in for the published file of its id.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { organizationSchema, renderDeep, type Organization } from './organization';
import {
  exerciseSchema,
  jobAidFrontmatterSchema,
  judgmentCaseSchema,
  moduleFrontmatterSchema,
  qualityScorecardSchema,
  quizSchema,
  roleplaySchema,
  standardSchema,
  trackSchema,
  type Exercise,
  type JobAidFrontmatter,
  type JudgmentCase,
  type ModuleFrontmatter,
  type QualityScorecard,
  type Quiz,
  type Roleplay,
  type Standard,
  type Track,
} from './schema';

export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}
export interface Position {
  line: number;
  col: number;
}
export type YamlPath = readonly (string | number)[];
/** Reports a problem in one entry: at a YAML key, or at a position (in MDX bodies). */
export type Report = (where: YamlPath | Position, message: string) => void;

/** A file under the content directory; `path` is relative to it with forward slashes, e.g. `quizzes/x.yaml`. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface Entry<T> {
  /** The file name without extension: what other files refer to. */
  id: string;
  /** Path shown in messages. */
  file: string;
  /** The whole file, as written (hashed for content versions). */
  text: string;
  /** Parsed YAML (or frontmatter) before validation. */
  raw: unknown;
  /** Validated data; undefined when the file has syntax or schema errors. */
  data: T | undefined;
  /** Where a key (or list item) is written, for messages. Falls back to the nearest existing parent. */
  at(path: YamlPath): Position;
}

export interface Content {
  standards: Map<string, Entry<Standard>>;
  modules: Map<string, Entry<ModuleFrontmatter>>;
  quizzes: Map<string, Entry<Quiz>>;
  roleplays: Map<string, Entry<Roleplay>>;
  cases: Map<string, Entry<JudgmentCase>>;
  exercises: Map<string, Entry<Exercise>>;
  /** Quality scorecards for real contacts, one per channel (content/scorecards/<id>.yaml). */
  scorecards: Map<string, Entry<QualityScorecard>>;
  tracks: Map<string, Entry<Track>>;
  /** Printable job aids, keyed by the module they belong to (content/job-aids/<module>.mdx). */
  jobAids: Map<string, Entry<JobAidFrontmatter>>;
  /** content/organization.yaml: the policy values placeholders show; undefined when the file is missing. */
  organization?: Entry<Organization>;
  /** Files under the site's public/media/ as pages link them (`/media/greeting/warm.mp3`): what lessons may show. */
  media: ReadonlySet<string>;
  /** Syntax and schema problems found while loading. */
  problems: Problem[];
}

export type Kind = Exclude<keyof Content, 'problems' | 'organization' | 'media'>;

export const ORGANIZATION_FILE = 'organization.yaml';

/** Each kind's folder under content/ (its name unless given), file extension and schema. */
export const kindDirs: Record<Kind, { dir?: string; ext: '.yaml' | '.mdx'; schema: z.ZodType }> = {
  standards: { ext: '.yaml', schema: standardSchema },
  modules: { ext: '.mdx', schema: moduleFrontmatterSchema },
  quizzes: { ext: '.yaml', schema: quizSchema },
  roleplays: { ext: '.yaml', schema: roleplaySchema },
  cases: { ext: '.yaml', schema: judgmentCaseSchema },
  exercises: { ext: '.yaml', schema: exerciseSchema },
  scorecards: { ext: '.yaml', schema: qualityScorecardSchema },
  tracks: { ext: '.yaml', schema: trackSchema },
  jobAids: { dir: 'job-aids', ext: '.mdx', schema: jobAidFrontmatterSchema },
};
const kinds = Object.keys(kindDirs) as Kind[];
export const folderOf = (kind: Kind): string => kindDirs[kind].dir ?? kind;
const kindOfFolder = new Map(kinds.map((kind) => [folderOf(kind), kind]));

/** Every file in the content folders (drafts included; `parseContent` skips them), and organization.yaml. */
export async function readContentFiles(dir: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const organization = await readFile(join(dir, ORGANIZATION_FILE), 'utf8').catch(() => undefined);
  if (organization !== undefined) files.push({ path: ORGANIZATION_FILE, text: organization });
  for (const kind of kinds) {
    const folder = folderOf(kind);
    const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      files.push({ path: `${folder}/${name}`, text: await readFile(join(dir, folder, name), 'utf8') });
    }
  }
  return files;
}

export interface LoadOptions {
  /** Also read `_`-prefixed drafts; `_x.yaml` replaces `x.yaml`, so work in progress is checked in context. */
  drafts?: boolean;
  /** `/media/…` files lessons and role-plays may point at (see `readMediaFiles`). */
  media?: readonly string[];
}

/** `/media/…` paths of every file under `<publicDir>/media` (none when the folder is missing). */
export async function readMediaFiles(publicDir: string): Promise<string[]> {
  const root = join(publicDir, 'media');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => `/media/${relative(root, join(e.parentPath, e.name)).split(sep).join('/')}`)
    .sort();
}

/** Parse and validate. `prefix` is prepended to paths in messages (the CLI passes `content/`). */
export function parseContent(files: readonly SourceFile[], prefix = '', options: LoadOptions = {}): Content {
  const content: Content = {
    media: new Set(options.media ?? []),
    standards: new Map(),
    modules: new Map(),
    quizzes: new Map(),
    roleplays: new Map(),
    cases: new Map(),
    exercises: new Map(),
    scorecards: new Map(),
    tracks: new Map(),
    jobAids: new Map(),
    problems: [],
  };
  for (const source of files) {
    if (source.path === ORGANIZATION_FILE) {
      content.organization = parseOrganization(prefix + source.path, source.text, content.problems);
      continue;
    }
    const [folder, name, ...deeper] = source.path.split('/') as [string, string?, ...string[]];
    const kind = kindOfFolder.get(folder);
    if (!name || !kind) continue;
    const file = prefix + source.path;
    const { ext } = kindDirs[kind];
    if (deeper.length > 0 || !name.endsWith(ext)) {
      content.problems.push({ file, line: 1, col: 1, message: `ignored: ${folder}/ holds only *${ext} files` });
      continue;
    }
    const draft = name.startsWith('_');
    if (draft && !options.drafts) continue;
    const id = name.slice(draft ? 1 : 0, -ext.length);
    if (!draft && options.drafts && files.some((f) => f.path === `${kind}/_${name}`)) continue;
    const entry = ext === '.mdx' ? parseMdxFile(id, file, source.text, content.problems) : parseYamlFile(id, file, source.text, content.problems);
    validate(kind, entry, content.problems);
    (content[kind] as Map<string, Entry<unknown>>).set(id, entry);
  }
  renderPlaceholders(content);
  return content;
}

/** content/organization.yaml alone (for the site's collection), or undefined when it is missing or invalid. */
export async function loadOrganization(dir: string): Promise<{ organization?: Organization; problems: Problem[] }> {
  const text = await readFile(join(dir, ORGANIZATION_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return { problems: [] };
  const problems: Problem[] = [];
  const entry = parseOrganization(ORGANIZATION_FILE, text, problems);
  return entry.data ? { organization: entry.data, problems } : { problems };
}

function parseOrganization(file: string, text: string, problems: Problem[]): Entry<Organization> {
  const entry = parseYaml('organization', file, text, text, 0, problems);
  if (entry.raw === undefined) return entry as Entry<Organization>;
  const result = organizationSchema.safeParse(entry.raw);
  if (result.success) entry.data = result.data;
  else for (const issue of flattenIssues(result.error.issues)) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    problems.push({ file, ...entry.at(path), message: prefixed(path, issue.message) });
  }
  return entry as Entry<Organization>;
}

/**
 * Every entry's data with the organisation's values in place of `{{name}}`, so the site, scripts and tests all see
 * what learners read. Unknown names stay as written; the checker reports them at their field.
 */
function renderPlaceholders(content: Content): void {
  const org = content.organization?.data;
  if (!org) return;
  for (const kind of kinds) {
    for (const entry of (content[kind] as Map<string, Entry<unknown>>).values()) {
      if (entry.data !== undefined) entry.data = renderDeep(entry.data, org);
    }
  }
}

/**
 * Read and parse a content directory; the CLI, scripts and tests start here. Media files are read from the site's
 * public folder, which sits beside content/ (`publicDir` overrides that, e.g. for fixtures).
 */
export async function loadContent(
  dir: string,
  prefix = '',
  options: Omit<LoadOptions, 'media'> & { publicDir?: string } = {},
): Promise<Content> {
  const [files, media] = await Promise.all([readContentFiles(dir), readMediaFiles(options.publicDir ?? join(dir, '..', 'public'))]);
  return parseContent(files, prefix, { ...options, media });
}

/** For scripts that need the data (seed, CLI): throws with every problem listed when the content is broken. */
export async function loadValidContent(dir: string, prefix = ''): Promise<Content> {
  const content = await loadContent(dir, prefix);
  if (content.problems.length > 0) {
    throw new Error(`content in ${dir} is invalid:\n${content.problems.map(formatProblem).join('\n')}`);
  }
  return content;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col} ${p.message}`;
}

function parseYamlFile(id: string, file: string, text: string, problems: Problem[]): Entry<unknown> {
  return parseYaml(id, file, text, text, 0, problems);
}

/** Frontmatter is the YAML between the first two `---` lines; its lines are offset by the opening fence. */
function parseMdxFile(id: string, file: string, text: string, problems: Problem[]): Entry<unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) {
    problems.push({ file, line: 1, col: 1, message: 'missing frontmatter: start the file with a --- fenced YAML block' });
    return { id, file, text, raw: undefined, data: undefined, at: () => ({ line: 1, col: 1 }) };
  }
  return parseYaml(id, file, text, match[1] ?? '', 1, problems);
}

function parseYaml(id: string, file: string, text: string, yaml: string, lineOffset: number, problems: Problem[]): Entry<unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1) + lineOffset, col: Math.max(col, 1) };
  };
  for (const error of doc.errors) {
    problems.push({ file, ...position(error.pos[0]), message: `YAML syntax: ${yamlMessage(error.code, error.message, yaml, error.pos)}` });
  }
  const ok = doc.errors.length === 0;
  return {
    id,
    file,
    text,
    raw: ok ? doc.toJS() : undefined,
    data: undefined,
    at: (path) => position(offsetOf(doc.contents, path)),
  };
}

function yamlMessage(code: string, message: string, yaml: string, pos: [number, number]): string {
  if (code === 'DUPLICATE_KEY') return `duplicate key "${yaml.slice(pos[0]).split(/[:\n]/)[0]?.trim()}"`;
  return message.split('\n')[0] ?? message;
}

/** Offset of the key (in a map) or item (in a list) at `path`, or of the deepest parent that exists. */
function offsetOf(root: YamlNode | null, path: YamlPath): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
      if (!pair) break;
      offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item?.range) break;
      offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function validate(kind: Kind, entry: Entry<unknown>, problems: Problem[]): void {
  if (entry.raw === undefined) return;
  if (entry.raw === null || typeof entry.raw !== 'object' || Array.isArray(entry.raw)) {
    problems.push({ file: entry.file, ...entry.at([]), message: 'expected a YAML mapping of fields' });
    return;
  }
  const result = kindDirs[kind].schema.safeParse(entry.raw);
  if (result.success) {
    entry.data = result.data;
    return;
  }
  for (const issue of flattenIssues(result.error.issues)) {
    for (const { path, message } of describeIssue(kind, issue, entry.raw)) {
      problems.push({ file: entry.file, ...entry.at(path), message });
    }
  }
}

type Issue = z.core.$ZodIssue;

/** A union error is reported through its closest branch (the one with the fewest issues). */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      out.push(...flattenIssues(closest, path));
    } else {
      out.push({ ...issue, path } as Issue);
    }
  }
  return out;
}

function describeIssue(kind: Kind, issue: Issue, raw: unknown): { path: YamlPath; message: string }[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const missing = path.length > 0 && valueAt(raw, path) === undefined;
  // A node without replies is a graph fault (the conversation stops there), so say it in graph terms.
  if (kind === 'roleplays' && path.length === 3 && path[0] === 'nodes' && path[2] === 'choices' && (missing || issue.code === 'too_small')) {
    return [{ path: path.slice(0, 2), message: `node "${path[1]}" is a dead end: it has no choices and is not an ending` }];
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: prefixed(path, `unknown field \`${key}\``) }));
  }
  if (missing) {
    const parent = path.slice(0, -1);
    return [{ path: parent, message: prefixed(parent, `missing \`${String(path.at(-1))}\``) }];
  }
  return [{ path, message: prefixed(path, issue.message) }];
}

function prefixed(path: YamlPath, message: string): string {
  return path.length === 0 ? message : `${formatPath(path)}: ${message}`;
}

/** `questions[2].options[0].feedback` */
export function formatPath(path: YamlPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function valueAt(raw: unknown, path: YamlPath): unknown {
  let value = raw;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
