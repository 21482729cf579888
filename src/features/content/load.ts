/**
 * Reads `content/` without Astro: used by `npm run content:check`, unit tests, seed and CLI scripts, and the build
 * hook. `readContentFiles` is the only I/O; `parseContent` turns the files into validated entries, keeping YAML node
 * positions so every problem can point at `file:line:col`.
 *
 * Shape: one map per kind, keyed by the FILE NAME (without extension). An entry whose data fails its schema keeps
 * `data: undefined` but stays in its map, so references to it are not also reported as unknown.
 * Files whose name starts with `_` are drafts: skipped here exactly as the collections skip them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import {
  exerciseSchema,
  judgmentCaseSchema,
  moduleFrontmatterSchema,
  quizSchema,
  roleplaySchema,
  standardSchema,
  trackSchema,
  type Exercise,
  type JudgmentCase,
  type ModuleFrontmatter,
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
  tracks: Map<string, Entry<Track>>;
  /** Syntax and schema problems found while loading. */
  problems: Problem[];
}

export type Kind = Exclude<keyof Content, 'problems'>;

export const kindDirs: Record<Kind, { ext: '.yaml' | '.mdx'; schema: z.ZodType }> = {
  standards: { ext: '.yaml', schema: standardSchema },
  modules: { ext: '.mdx', schema: moduleFrontmatterSchema },
  quizzes: { ext: '.yaml', schema: quizSchema },
  roleplays: { ext: '.yaml', schema: roleplaySchema },
  cases: { ext: '.yaml', schema: judgmentCaseSchema },
  exercises: { ext: '.yaml', schema: exerciseSchema },
  tracks: { ext: '.yaml', schema: trackSchema },
};
const kinds = Object.keys(kindDirs) as Kind[];

/** Every file in the content folders (drafts included; `parseContent` skips them). */
export async function readContentFiles(dir: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const kind of kinds) {
    const names = await readdir(join(dir, kind)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      files.push({ path: `${kind}/${name}`, text: await readFile(join(dir, kind, name), 'utf8') });
    }
  }
  return files;
}

/** Parse and validate. `prefix` is prepended to paths in messages (the CLI passes `content/`). */
export function parseContent(files: readonly SourceFile[], prefix = ''): Content {
  const content: Content = {
    standards: new Map(),
    modules: new Map(),
    quizzes: new Map(),
    roleplays: new Map(),
    cases: new Map(),
    exercises: new Map(),
    tracks: new Map(),
    problems: [],
  };
  for (const source of files) {
    const [kind, name, ...deeper] = source.path.split('/') as [Kind, string?, ...string[]];
    if (!name || !kinds.includes(kind)) continue;
    const file = prefix + source.path;
    const { ext } = kindDirs[kind];
    if (deeper.length > 0 || !name.endsWith(ext)) {
      content.problems.push({ file, line: 1, col: 1, message: `ignored: ${kind}/ holds only *${ext} files` });
      continue;
    }
    if (name.startsWith('_')) continue;
    const id = name.slice(0, -ext.length);
    const entry = ext === '.mdx' ? parseMdxFile(id, file, source.text, content.problems) : parseYamlFile(id, file, source.text, content.problems);
    validate(kind, entry, content.problems);
    (content[kind] as Map<string, Entry<unknown>>).set(id, entry);
  }
  return content;
}

/** Read and parse a content directory; the CLI, scripts and tests start here. */
export async function loadContent(dir: string, prefix = ''): Promise<Content> {
  return parseContent(await readContentFiles(dir), prefix);
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
