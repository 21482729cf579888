/**
 * The curriculum as the server sees it: tracks, modules (with their rendered lesson), quizzes, role-plays,
 * calibration exercises, judgment cases, standards and module content versions, read from Astro's content collections.
 *
 * SERVER ONLY. Quizzes carry their answer keys, role-plays their effects and scores, exercises their expert's calls:
 * pages, the MDX kit, actions and the engines may import this; islands and any client script must never do so (the
 * key-leak e2e test searches the built client bundle).
 */
import { getCollection, getEntry, render, type CollectionEntry, type CollectionKey } from 'astro:content';
import type { MarkdownHeading } from 'astro';
import { renderDeep, type Organization } from '../../features/content/organization';
import type {
  Audience,
  Exercise,
  QualityScorecard,
  JobAidFrontmatter,
  JudgmentCase,
  ModuleFrontmatter,
  Quiz,
  Roleplay,
  Standard,
  Track,
} from '../../features/content/schema';
import type { HealthReport } from '../../features/reports/assessment-health';

/**
 * A built server's content cannot change before the next build, so in production each collection is read from
 * Astro once per process and kept as an index by id: every `getEntry` call would otherwise import the content store
 * modules again and copy the entry (a measurable part of a quiz submit). Entries are frozen, so no caller can change
 * what the next one reads. In dev, Astro reloads content on edit, so every call reads it afresh.
 */
const indexes = new Map<CollectionKey, Promise<Map<string, CollectionEntry<CollectionKey>>>>();

function indexOf<C extends CollectionKey>(collection: C): Promise<Map<string, CollectionEntry<C>>> {
  let index = indexes.get(collection);
  if (!index) {
    index = Promise.all([getCollection(collection), organization()]).then(
      ([all, org]) => new Map(all.map((e) => [e.id, deepFreeze(rendered(e, org))])),
    );
    // A failed read is not kept: the next call tries again.
    index.catch(() => indexes.delete(collection));
    indexes.set(collection, index);
  }
  return index as Promise<Map<string, CollectionEntry<C>>>;
}

async function entryOf<C extends CollectionKey>(collection: C, id: string): Promise<CollectionEntry<C> | undefined> {
  if (!import.meta.env.PROD) {
    const entry = (await getEntry(collection, id)) as CollectionEntry<C> | undefined;
    return entry && rendered(entry, await organization());
  }
  return (await indexOf(collection)).get(id);
}

async function entriesOf<C extends CollectionKey>(collection: C): Promise<CollectionEntry<C>[]> {
  if (!import.meta.env.PROD) {
    const org = await organization();
    return (await getCollection(collection)).map((e) => rendered(e, org));
  }
  return [...(await indexOf(collection)).values()];
}

/** The policy values placeholders show (content/organization.yaml); undefined when the file is missing. */
export async function organization(): Promise<Organization | undefined> {
  return (await getEntry('organization', 'organization'))?.data;
}

/** The entry as learners read it: `{{name}}` in its data replaced by the organisation's value. */
function rendered<E extends { data: unknown }>(entry: E, org: Organization | undefined): E {
  return org ? { ...entry, data: renderDeep(entry.data, org) } : entry;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export interface ModuleInfo extends ModuleFrontmatter {
  slug: string;
}
export interface Lesson extends ModuleInfo {
  Content: Awaited<ReturnType<typeof render>>['Content'];
  headings: MarkdownHeading[];
}

/** All tracks, or those for one audience, by title. */
export async function listTracks(audience?: Audience): Promise<Track[]> {
  const tracks = (await entriesOf('tracks')).map((e) => e.data);
  return tracks.filter((t) => !audience || t.audience === audience).sort((a, b) => a.title.localeCompare(b.title));
}

export async function getTrack(id: string): Promise<Track | undefined> {
  return (await entryOf('tracks', id))?.data;
}

export async function listModules(): Promise<ModuleInfo[]> {
  return (await entriesOf('modules')).map((e) => ({ slug: e.id, ...e.data }));
}

/** Which module's lesson shows each judgment case (`<JudgmentCase id="…"` in its MDX), for progress per module. */
export async function caseModules(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await entriesOf('modules')) {
    for (const m of (e.body ?? '').matchAll(/<JudgmentCase\s+id="([^"]+)"/g)) out.set(m[1]!, e.id);
  }
  return out;
}

/** Frontmatter only: cheap, for outlines and lists. */
export async function getModuleInfo(slug: string): Promise<ModuleInfo | undefined> {
  const entry = await entryOf('modules', slug);
  return entry && { slug: entry.id, ...entry.data };
}

/** The lesson with its rendered body (pass the MDX kit as `components`) and its headings for the outline. */
export async function getModule(slug: string): Promise<Lesson | undefined> {
  const entry = await entryOf('modules', slug);
  if (!entry) return undefined;
  const { Content, headings } = await render(entry);
  return { slug: entry.id, ...entry.data, Content, headings };
}

export interface JobAid extends JobAidFrontmatter {
  module: string;
  Content: Awaited<ReturnType<typeof render>>['Content'];
}

/** A module's printable job aid (content/job-aids/<module>.mdx), rendered; undefined when it has none. */
export async function getJobAid(module: string): Promise<JobAid | undefined> {
  const entry = await entryOf('jobAids', module);
  if (!entry) return undefined;
  const { Content } = await render(entry);
  return { module: entry.id, ...entry.data, Content };
}

/** Title only: for the lesson's link, without rendering the page. */
export async function jobAidTitle(module: string): Promise<string | undefined> {
  return (await entryOf('jobAids', module))?.data.title;
}

export async function getQuiz(id: string): Promise<Quiz | undefined> {
  return (await entryOf('quizzes', id))?.data;
}

export async function getRoleplay(id: string): Promise<Roleplay | undefined> {
  return (await entryOf('roleplays', id))?.data;
}

export async function listQuizzes(): Promise<Quiz[]> {
  return (await entriesOf('quizzes')).map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id));
}

export async function listRoleplays(): Promise<Roleplay[]> {
  return (await entriesOf('roleplays')).map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id));
}

export async function getExercise(id: string): Promise<Exercise | undefined> {
  return (await entryOf('exercises', id))?.data;
}

export async function listExercises(): Promise<Exercise[]> {
  return (await entriesOf('exercises')).map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id));
}

/** Quality scorecards for real contacts, by channel order (phone, chat, email, social). */
export async function listQualityScorecards(): Promise<QualityScorecard[]> {
  const order = ['phone', 'chat', 'email', 'social'];
  return (await entriesOf('scorecards'))
    .map((e) => e.data)
    .sort((a, b) => order.indexOf(a.channel) - order.indexOf(b.channel));
}

export async function getCase(id: string): Promise<JudgmentCase | undefined> {
  return (await entryOf('cases', id))?.data;
}

export async function getStandard(id: string): Promise<Standard | undefined> {
  return (await entryOf('standards', id))?.data;
}

export async function listStandards(): Promise<Standard[]> {
  return (await entriesOf('standards')).map((e) => e.data).sort((a, b) => a.id.localeCompare(b.id));
}

/** Every standard by id (for scorecards). */
export async function standardsById(): Promise<Map<string, Standard>> {
  return new Map((await listStandards()).map((s) => [s.id, s]));
}

/** The module's content version (SHA-256 of it and what it references); stored with attempts and certificates. */
export async function moduleVersion(slug: string): Promise<string | undefined> {
  return (await entryOf('versions', slug))?.data.version;
}

/** Slugs of the modules that teach a standard (list it in their frontmatter), in track order where possible. */
export async function modulesTeaching(standardId: string): Promise<string[]> {
  const modules = await listModules();
  const order = (await listTracks()).flatMap((t) => t.modules);
  const rank = (slug: string) => (order.includes(slug) ? order.indexOf(slug) : order.length);
  return modules
    .filter((m) => m.standards.includes(standardId))
    .map((m) => m.slug)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Where a standard is taught: the first module teaching it (track order) and, when the lesson places the standard
 * with `<Standard id>`, that block's anchor (the MDX kit's Standard.astro gives it the id `standard-<id>`).
 */
export async function standardLesson(standardId: string): Promise<{ module: string; href: string } | undefined> {
  const [module] = await modulesTeaching(standardId);
  if (!module) return undefined;
  const body = (await entryOf('modules', module))?.body ?? '';
  const placed = new RegExp(`<Standard\\s+id=["']${standardId}["']`).test(body);
  return { module, href: `/modules/${module}${placed ? `#standard-${standardId}` : ''}` };
}

export interface TrackPlace {
  track: Track;
  /** 0-based position of the module in the track. */
  index: number;
  previous?: ModuleInfo;
  next?: ModuleInfo;
}

/** Where a module sits: in `trackId` if given and it contains the module, else the first track (by title) that does. */
export async function trackPlace(slug: string, trackId?: string): Promise<TrackPlace | undefined> {
  const tracks = await listTracks();
  const track =
    tracks.find((t) => t.id === trackId && t.modules.includes(slug)) ?? tracks.find((t) => t.modules.includes(slug));
  if (!track) return undefined;
  const index = track.modules.indexOf(slug);
  const at = async (i: number) => (i >= 0 && i < track.modules.length ? getModuleInfo(track.modules[i]!) : undefined);
  return { track, index, previous: await at(index - 1), next: await at(index + 1) };
}

/** The assessment health report of the current content (lint findings and naive-strategy simulations). */
export async function getAssessmentHealth(): Promise<HealthReport | undefined> {
  return (await entryOf('health', 'report'))?.data.report;
}
