/**
 * Reads a lesson's MDX with satteri, the same parser @astrojs/mdx compiles with, so "the checker accepts it" and
 * "the build accepts it" cannot disagree. Pure: returns the kit components used (with positions) and the problems
 * an author must fix before the page can render.
 */
import { mdxToMdast, type MdastNode } from 'satteri';
import type { Kind } from './load';

/** The author-facing components (src/components/mdx/) and, for those that point at data, which collection. */
export const mdxKit = {
  Standard: 'standards',
  JudgmentCase: 'cases',
  RolePlay: 'roleplays',
  Quiz: 'quizzes',
  Exercise: 'exercises',
  Why: null,
  KeyPoint: null,
  Example: null,
  Policy: null,
  Check: null,
  Option: null,
  Figure: null,
  Audio: null,
} as const satisfies Record<string, Kind | null>;
export type KitName = keyof typeof mdxKit;

export interface MdxElement {
  name: string;
  /** String attributes as written; `true` for a bare flag (`good`); `null` for a `{…}` expression. */
  attributes: Record<string, string | true | null>;
  /** Index in `MdxScan.elements` of the component this one sits inside, if any. */
  parent?: number;
  /** The plain text of its children (markup dropped), trimmed. */
  text: string;
  line: number;
  col: number;
}
export interface MdxIssue {
  line: number;
  col: number;
  message: string;
}
export interface MdxScan {
  elements: MdxElement[];
  issues: MdxIssue[];
}

export function scanMdx(source: string): MdxScan {
  let tree: MdastNode;
  try {
    tree = mdxToMdast(source);
  } catch (error) {
    return { elements: [], issues: [syntaxIssue(error)] };
  }
  const scan: MdxScan = { elements: [], issues: [] };
  visit(tree as unknown as Node, scan);
  return scan;
}

/** Ids of the data files a lesson points at through the kit, by collection. */
export function kitReferences(
  elements: readonly MdxElement[],
): Record<'standards' | 'cases' | 'roleplays' | 'quizzes' | 'exercises', string[]> {
  const refs = { standards: [] as string[], cases: [] as string[], roleplays: [] as string[], quizzes: [] as string[], exercises: [] as string[] };
  for (const el of elements) {
    const kind = mdxKit[el.name as KitName];
    const id = el.attributes.id;
    if (kind && typeof id === 'string') refs[kind].push(id);
  }
  return refs;
}

/** satteri reports `7:6: Expected a closing tag for `<Why>` (7:6) before … (mdx-jsx:unexpected-character)`. */
function syntaxIssue(error: unknown): MdxIssue {
  const text = error instanceof Error ? error.message : String(error);
  const match = /^(\d+):(\d+):\s*([\s\S]*)$/.exec(text);
  const message = (match?.[3] ?? text)
    .replace(/\s*\([\w-]+:[\w-]+\)\s*$/, '')
    .replace(/\s*\(\d+:\d+\)/g, '')
    .trim();
  return { line: Number(match?.[1] ?? 1), col: Number(match?.[2] ?? 1), message: `MDX syntax: ${message}` };
}

/** The few mdast fields read here (satteri's union type is exact but too wide to walk generically). */
interface Node {
  type: string;
  position?: { start: { line: number; column: number } };
  name?: string | null;
  value?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Node[];
}

function visit(node: Node, scan: MdxScan, parent?: number): void {
  const { line = 1, column: col = 1 } = node.position?.start ?? {};
  let inside = parent;
  if (node.type === 'mdxjsEsm') {
    scan.issues.push({ line, col, message: 'import and export are not allowed in lessons: the MDX kit is provided automatically' });
  } else if ((node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') && !isComment(String(node.value))) {
    scan.issues.push({ line, col, message: `{${String(node.value).trim()}} would run as code: write \\{ and \\} for literal braces` });
  } else if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name) {
    const attributes: MdxElement['attributes'] = {};
    for (const attr of node.attributes ?? []) {
      if (attr.type !== 'mdxJsxAttribute' || !attr.name) continue;
      attributes[attr.name] = attr.value === null || attr.value === undefined ? true : typeof attr.value === 'string' ? attr.value : null;
    }
    inside = scan.elements.push({ name: node.name, attributes, ...(parent === undefined ? {} : { parent }), text: textOf(node), line, col }) - 1;
  }
  for (const child of node.children ?? []) visit(child, scan, inside);
}

function textOf(node: Node): string {
  const parts: string[] = [];
  const walk = (n: Node) => {
    if (n.type === 'text' || n.type === 'inlineCode') parts.push(String(n.value));
    for (const child of n.children ?? []) walk(child);
  };
  for (const child of node.children ?? []) walk(child);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function isComment(expression: string): boolean {
  const trimmed = expression.trim();
  return trimmed.startsWith('/*') && trimmed.endsWith('*/');
}
