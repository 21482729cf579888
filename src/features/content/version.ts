/**
 * Content versions: per module, a SHA-256 over the lesson file and every file it references — its quiz(zes), the
 * role-plays and calibration exercises it shows or that name it as their module, the judgment cases it shows, and
 * the standards it lists or shows or its exercises score against.
 * Attempts, runs and certificates store it, so a change to any of that material is noticed (and can trigger
 * recertification) while edits elsewhere in content/ leave the version alone.
 *
 * The organisation's policy values a module shows (through `{{name}}` or `<Policy>`) are part of it too: raising a
 * goodwill limit changes what the lesson teaches, while an unrelated value leaves the version alone.
 *
 * Stable across runs and machines: files are hashed in sorted order, with line endings normalised.
 */
import { createHash } from 'node:crypto';
import type { Content, Entry, Kind } from './load';
import { kitReferences, scanMdx } from './mdx';
import { placeholderNames, policyText } from './organization';

/** `kind/id` keys of the files a module is made of (the module itself first). */
export function moduleSources(content: Content, slug: string): string[] {
  const module = content.modules.get(slug);
  if (!module) return [];
  const refs = kitReferences(scanMdx(module.text).elements);
  const fm = module.data;
  const keys = new Set<string>();
  const add = (kind: Kind, ids: Iterable<string>) => {
    for (const id of ids) keys.add(`${kind}/${id}`);
  };
  add('standards', [...(fm?.standards ?? []), ...refs.standards]);
  add('quizzes', [...(fm ? [fm.quiz] : []), ...refs.quizzes]);
  add('cases', refs.cases);
  add('roleplays', refs.roleplays);
  for (const rp of content.roleplays.values()) if (rp.data?.module === slug) add('roleplays', [rp.id]);
  const exercises = new Set([...refs.exercises, ...[...content.exercises.values()].filter((ex) => ex.data?.module === slug).map((ex) => ex.id)]);
  add('exercises', exercises);
  // An exercise shows its scorecard's standards (text and measure) to the scorer: they are part of the material.
  for (const id of exercises) add('standards', content.exercises.get(id)?.data?.scorecard ?? []);
  return [`modules/${slug}`, ...[...keys].sort()];
}

export function moduleVersion(content: Content, slug: string): string | undefined {
  if (!content.modules.has(slug)) return undefined;
  const hash = createHash('sha256');
  const used = new Set<string>();
  for (const key of moduleSources(content, slug)) {
    const [kind, id] = key.split('/') as [Kind, string];
    const entry: Entry<unknown> | undefined = content[kind].get(id);
    // A missing file still counts (as missing), so adding it later changes the version.
    hash.update(`${key}\n${entry ? entry.text.replace(/\r\n?/g, '\n') : '(missing)'}\0`);
    if (!entry) continue;
    const names =
      kind === 'modules'
        ? scanMdx(entry.text).elements.flatMap((el) => (el.name === 'Policy' && typeof el.attributes.name === 'string' ? [el.attributes.name] : []))
        : placeholderNames(entry.text);
    for (const name of names) used.add(name);
  }
  const org = content.organization?.data;
  for (const name of [...used].sort()) hash.update(`value/${name}\n${(org && policyText(org, name)) ?? '(missing)'}\0`);
  return hash.digest('hex');
}

export function moduleVersions(content: Content): Map<string, string> {
  return new Map([...content.modules.keys()].map((slug) => [slug, moduleVersion(content, slug)!]));
}
