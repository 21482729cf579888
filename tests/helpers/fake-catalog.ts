/**
 * A stand-in for src/lib/server/catalog.ts (which reads Astro's content collections, unavailable under vitest).
 * Tests mock the catalog with this module and edit `fakeContent` to add, change or remove content mid-test:
 *
 *   vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));
 *
 * Module versions are derived from the module's quiz, role-plays and calibration exercises, like the real hash covers
 * the files a module references, plus `versionSalt` so a test can change a module's material without touching its quiz.
 */
import { createHash } from 'node:crypto';
import type { Exercise, ModuleFrontmatter, Quiz, Roleplay, Track } from '../../src/features/content/schema';

export interface FakeModule extends ModuleFrontmatter {
  slug: string;
}

export const fakeContent = {
  tracks: [] as Track[],
  modules: [] as FakeModule[],
  quizzes: [] as Quiz[],
  roleplays: [] as Roleplay[],
  exercises: [] as Exercise[],
  versionSalt: {} as Record<string, string>,
};

export function resetFakeContent(): void {
  fakeContent.tracks = [];
  fakeContent.modules = [];
  fakeContent.quizzes = [];
  fakeContent.roleplays = [];
  fakeContent.exercises = [];
  fakeContent.versionSalt = {};
}

export async function listTracks(): Promise<Track[]> {
  return [...fakeContent.tracks];
}
export async function getTrack(id: string): Promise<Track | undefined> {
  return fakeContent.tracks.find((t) => t.id === id);
}
export async function listModules(): Promise<FakeModule[]> {
  return [...fakeContent.modules];
}
export async function getModuleInfo(slug: string): Promise<FakeModule | undefined> {
  return fakeContent.modules.find((m) => m.slug === slug);
}
export async function getQuiz(id: string): Promise<Quiz | undefined> {
  return fakeContent.quizzes.find((q) => q.id === id);
}
export async function listQuizzes(): Promise<Quiz[]> {
  return [...fakeContent.quizzes];
}
export async function getRoleplay(id: string): Promise<Roleplay | undefined> {
  return fakeContent.roleplays.find((r) => r.id === id);
}
export async function listRoleplays(): Promise<Roleplay[]> {
  return [...fakeContent.roleplays];
}
export async function getExercise(id: string): Promise<Exercise | undefined> {
  return fakeContent.exercises.find((e) => e.id === id);
}
export async function listExercises(): Promise<Exercise[]> {
  return [...fakeContent.exercises];
}
export async function moduleVersion(slug: string): Promise<string | undefined> {
  const m = fakeContent.modules.find((x) => x.slug === slug);
  if (!m) return undefined;
  const parts = [
    JSON.stringify(m),
    JSON.stringify(fakeContent.quizzes.find((q) => q.id === m.quiz) ?? null),
    JSON.stringify(fakeContent.roleplays.filter((r) => r.module === slug)),
    JSON.stringify(fakeContent.exercises.filter((e) => e.module === slug)),
    fakeContent.versionSalt[slug] ?? '',
  ];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
/** Fake lessons have no bodies, so they show no judgment cases. */
export async function caseModules(): Promise<Map<string, string>> {
  return new Map();
}
