/**
 * Standard titles and the lesson that teaches each, for the debrief's links. Built once per request from the
 * catalog (all standards and the modules listing them), so a transcript with many tags costs no extra look-ups.
 */
import { getModuleInfo, listStandards, modulesTeaching } from '../../lib/server/catalog';
import type { StandardLookup, StandardRef } from './debrief';

export async function standardLookup(ids: Iterable<string>): Promise<StandardLookup> {
  const titles = new Map((await listStandards()).map((s) => [s.id, s.title]));
  const refs = new Map<string, StandardRef>();
  for (const id of new Set(ids)) {
    const [slug] = await modulesTeaching(id);
    const lesson = slug ? await getModuleInfo(slug) : undefined;
    refs.set(id, {
      id,
      title: titles.get(id) ?? id,
      ...(lesson ? { lesson: { href: `/modules/${lesson.slug}`, title: lesson.title } } : {}),
    });
  }
  return (id) => refs.get(id) ?? { id, title: titles.get(id) ?? id };
}
