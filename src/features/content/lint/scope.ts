/**
 * Certification content: what a certificate rests on, so what `content:check --strict` holds to the lint.
 * - quizzes with `mode: certification`;
 * - role-plays that a track requires;
 * - judgment cases shown (`<JudgmentCase id>`) in the lesson of a module that some track lists;
 * - every track (a track defines a certificate).
 * content/README.md states the same definition for authors.
 */
import type { Content } from '../load';
import { kitReferences, scanMdx } from '../mdx';

export interface CertificationScope {
  quizzes: Set<string>;
  roleplays: Set<string>;
  cases: Set<string>;
  tracks: Set<string>;
}

export function certificationScope(content: Content): CertificationScope {
  const scope: CertificationScope = { quizzes: new Set(), roleplays: new Set(), cases: new Set(), tracks: new Set() };
  for (const [id, entry] of content.quizzes) if (entry.data?.mode === 'certification') scope.quizzes.add(id);
  const inTracks = new Set<string>();
  for (const [id, entry] of content.tracks) {
    const track = entry.data;
    if (!track) continue;
    scope.tracks.add(id);
    for (const m of track.modules) inTracks.add(m);
    for (const r of track.requires) if ('roleplay' in r) scope.roleplays.add(r.roleplay);
  }
  for (const slug of inTracks) {
    const lesson = content.modules.get(slug);
    if (lesson) for (const id of casesShownIn(lesson.text)) scope.cases.add(id);
  }
  return scope;
}

/** Ids of the judgment cases a lesson shows, in page order. */
export function casesShownIn(mdx: string): string[] {
  return kitReferences(scanMdx(mdx).elements).cases;
}
