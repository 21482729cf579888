/**
 * A small world for quiz and certification integration tests: an organization with learners (inserted directly;
 * sign-in is not under test here), and fake content built from the fixture quizzes. Use with
 * `vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'))`.
 */
import { getDb } from '../../db/client';
import { organizationTable, userTable } from '../../db/schema';
import type { Exercise, Quiz, Roleplay, Track } from '../../src/features/content/schema';
import { newId } from '../../src/lib/server/ids';
import { fakeContent } from './fake-catalog';

export async function makeOrg(name = 'Test Org'): Promise<string> {
  const id = newId();
  await getDb().insert(organizationTable).values({ id, name, createdAt: Date.now() });
  return id;
}

export async function makeLearner(organizationId: string, name = 'Rita Rep'): Promise<string> {
  const id = newId();
  await getDb()
    .insert(userTable)
    .values({
      id,
      organizationId,
      email: `${id}@example.test`,
      name,
      passwordHash: 'x',
      role: 'learner',
      job: 'rep',
      createdAt: Date.now(),
    });
  return id;
}

/** Puts a quiz (and a module for it) into the fake content; returns the module slug. */
export function addQuiz(quiz: Quiz): string {
  fakeContent.quizzes = [...fakeContent.quizzes.filter((q) => q.id !== quiz.id), quiz];
  if (!fakeContent.modules.some((m) => m.slug === quiz.module)) {
    fakeContent.modules.push({
      slug: quiz.module,
      title: `Module ${quiz.module}`,
      summary: 'A module.',
      audience: 'rep',
      minutes: 10,
      standards: ['never-argue'],
      prerequisites: [],
      quiz: quiz.id,
    });
  }
  return quiz.module;
}

export function addTrack(track: Partial<Track> & Pick<Track, 'id' | 'modules' | 'requires'>): Track {
  const full: Track = {
    title: `Track ${track.id}`,
    summary: 'A track.',
    audience: 'rep',
    mandatory: true,
    dueDays: 30,
    validityMonths: 12,
    ...track,
  };
  fakeContent.tracks = [...fakeContent.tracks.filter((t) => t.id !== track.id), full];
  return full;
}

export function addRoleplay(id: string, module: string, passScore = 60): Roleplay {
  const roleplay: Roleplay = {
    id,
    title: `Role-play ${id}`,
    audience: 'rep',
    channel: 'phone',
    module,
    passScore,
    persona: { name: 'Pat', situation: 'Upset.' },
    state: {},
    start: 'n1',
    nodes: {
      n1: {
        line: 'Hello?',
        choices: [
          { id: 'c1', text: 'Hi.', effects: {}, honours: [], breaks: [], feedback: 'Fine.', best: false, next: 'end' },
        ],
      },
    },
    endings: { end: { kind: 'resolved', title: 'Done', text: 'Bye.', score: 100 } },
  };
  fakeContent.roleplays = [...fakeContent.roleplays.filter((r) => r.id !== id), roleplay];
  return roleplay;
}

/** Puts a calibration exercise into the fake content (its module must exist, e.g. through addQuiz). */
export function addExercise(exercise: Exercise): Exercise {
  if (!fakeContent.modules.some((m) => m.slug === exercise.module))
    throw new Error(`add a quiz for module ${exercise.module} first`);
  fakeContent.exercises = [...fakeContent.exercises.filter((e) => e.id !== exercise.id), exercise];
  return exercise;
}
