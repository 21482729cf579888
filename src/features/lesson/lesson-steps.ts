/**
 * Lessons read as steps: a build-time Sätteri hast plugin (astro.config.mjs) for content/modules/*.mdx. Each `##`
 * section of the lesson becomes a step. Before its heading goes a "Step 2 of 6" label; at its end (just before the
 * next heading, or at the end of the lesson) a "Continue" link to the next step or to the lesson's end
 * (`#lesson-end`, where the page puts the completion moment). The links are plain anchors, so they work without
 * JavaScript; src/features/lesson/lesson-client.ts moves focus with them and counts the sections read.
 *
 * Nothing is hidden or reordered: the lesson stays one page people can scroll, search and print.
 *
 * Heading ids: Astro's own heading-ids plugin runs after ours and keeps an id that is already set, so we give every
 * heading its slug here (with the same slugger, in document order) and the links, the outline and the headings agree.
 */
import Slugger from 'github-slugger';
import type { HastPluginEntry, HastVisitorContext } from 'satteri';
import type { Element, ElementContent, Root, RootContent } from 'hast';

/** Where the last "Continue" leads: the page's completion block has this id. */
export const LESSON_END_ID = 'lesson-end';

interface Step {
  slug: string;
  title: string;
}

/** The "Continue" link that ends step `index` (0-based) of `steps`. */
function continueLink(steps: readonly Step[], index: number): Element {
  const next = steps[index + 1];
  const ends = steps[index]?.slug ?? '';
  const label = next ? `Step ${index + 2} of ${steps.length}: ${next.title}` : 'The end of the lesson';
  return el('p', { className: ['lesson-continue'], dataEnds: ends }, [
    el('a', { href: `#${next?.slug ?? LESSON_END_ID}`, dataContinue: '' }, [
      el('span', { className: ['lesson-continue-verb'] }, [{ type: 'text', value: 'Continue' }]),
      { type: 'text', value: ' ' },
      el('span', { className: ['lesson-continue-next'] }, [{ type: 'text', value: label }]),
    ]),
  ]);
}

/** The label above the heading of step `index`. */
function stepLabel(steps: readonly Step[], index: number): Element {
  return el('p', { className: ['lesson-step'] }, [{ type: 'text', value: `Step ${index + 1} of ${steps.length}` }]);
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}

const HEADING = /^h[1-6]$/;

function headingsIn(nodes: readonly (RootContent | ElementContent)[], out: Element[] = []): Element[] {
  for (const node of nodes) {
    if (node.type === 'element' && HEADING.test(node.tagName)) out.push(node);
    if ('children' in node && Array.isArray(node.children)) headingsIn(node.children as RootContent[], out);
  }
  return out;
}

function addSteps(root: Readonly<Root>, ctx: HastVisitorContext): void {
  const slugger = new Slugger();
  const slugs = new Map<Element, string>();
  for (const heading of headingsIn(root.children)) {
    const existing = heading.properties?.id;
    const slug = typeof existing === 'string' ? existing : slugger.slug(ctx.textContent(heading));
    slugs.set(heading, slug);
    if (typeof existing !== 'string') ctx.setProperty(heading, 'id', slug);
  }
  const sections = root.children.filter((n): n is Element => n.type === 'element' && n.tagName === 'h2');
  if (sections.length === 0) return;
  const steps: Step[] = sections.map((h) => ({ slug: slugs.get(h) ?? '', title: ctx.textContent(h).trim() }));
  sections.forEach((heading, i) => {
    ctx.insertBefore(heading, i === 0 ? [stepLabel(steps, i)] : [continueLink(steps, i - 1), stepLabel(steps, i)]);
  });
  ctx.appendChild(root, continueLink(steps, steps.length - 1));
}

/** For `satteri({ hastPlugins: [lessonSteps] })`: applies to lessons only (not job aids or other Markdown). */
export const lessonSteps: HastPluginEntry = (file) =>
  file.fileURL?.pathname.includes('/content/modules/') ? { name: 'frontline:lesson-steps', before: addSteps } : null;
