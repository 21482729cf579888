/**
 * Certification in the database. Rows: `certificate` (one per issue or renewal, never rewritten except to record a
 * revocation), `certification_event` (the history: issued, renewed, revoked, update_required, updated) and
 * `content_version` (each module version the server has seen, and whether a trainer marked it editorial).
 * The rules are the pure functions in certification.ts; this file loads their inputs and writes their outcomes.
 *
 * `updateCertifications(tx, userId, at)` is called by every engine whose result can complete a track — the quiz
 * submit, the role-play run's end and the calibration exercise's submit — inside the same transaction that records
 * the result.
 */
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../../../db/client';
import {
  certificateTable,
  certificationEventTable,
  contentVersionTable,
  exerciseAttemptTable,
  judgmentAnswerTable,
  lessonCompletionTable,
  organizationTable,
  quizAttemptTable,
  roleplayRunTable,
  userTable,
} from '../../../db/schema';
import {
  caseModules,
  listExercises,
  listModules,
  listQuizzes,
  listRoleplays,
  listTracks,
  moduleVersion,
} from '../../lib/server/catalog';
import { measureProgress, type ModuleActivity, type TrackProgress } from './progress';
import { pendingUpdatesFrom } from './updates.server';
import { now } from '../../lib/server/clock';
import { newId, randomToken } from '../../lib/server/ids';
import { writeTransaction } from '../../lib/server/write-lock';
import { writeAudit } from '../../lib/server/audit';
import { contentLookup, freezeOnEvent } from '../exports/xapi/freeze.server';
import type { Track } from '../content/schema';
import {
  certificateStatus,
  coveredVersions,
  cycleStart,
  decideCertification,
  latestCertificate,
  mayIssue,
  modulesNeedingUpdate,
  planIssue,
  trackLifecycle,
  type Decision,
  type Lifecycle,
  type Results,
  type UpdateNeeded,
  type VersionSeen,
} from './certification';
import { Refusal } from '../../lib/refusal';

export type Certificate = typeof certificateTable.$inferSelect;
type Reader = Db | Tx;

/** Codes: 20 random bytes (160 bits), lower-case base32 — URL-safe, unambiguous when read aloud in upper case. */
export function newCertificateCode(): string {
  return randomToken(20);
}

/** Codes as people type them: any case, with spaces or dashes between groups. */
export function normalizeCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]+/g, '');
}

// ---------------------------------------------------------------------------------------------- content facts

interface Catalog {
  tracks: Track[];
  quizPassMark: Map<string, number>;
  roleplayPassScore: Map<string, number>;
  exercisePassMark: Map<string, number>;
  /** quiz id → the module it checks */
  quizModule: Map<string, string>;
  /** module slug → its quiz id */
  moduleQuiz: Map<string, string>;
  versions: Record<string, string>;
}

async function loadCatalog(): Promise<Catalog> {
  const [tracks, quizzes, roleplays, exercises, modules] = await Promise.all([
    listTracks(),
    listQuizzes(),
    listRoleplays(),
    listExercises(),
    listModules(),
  ]);
  return {
    tracks,
    quizPassMark: new Map(quizzes.map((q) => [q.id, q.passMark])),
    roleplayPassScore: new Map(roleplays.map((r) => [r.id, r.passScore])),
    exercisePassMark: new Map(exercises.map((e) => [e.id, e.passMark])),
    quizModule: new Map(quizzes.map((q) => [q.id, q.module])),
    moduleQuiz: new Map(modules.map((m) => [m.slug, m.quiz])),
    versions: await currentModuleVersions(modules.map((m) => m.slug)),
  };
}

export async function currentModuleVersions(slugs?: string[]): Promise<Record<string, string>> {
  const all = slugs ?? (await listModules()).map((m) => m.slug);
  const out: Record<string, string> = {};
  for (const slug of all) {
    const v = await moduleVersion(slug);
    if (v) out[slug] = v;
  }
  return out;
}

async function versionHistory(db: Reader): Promise<Record<string, VersionSeen[]>> {
  const rows = await db.select().from(contentVersionTable).all();
  const out: Record<string, VersionSeen[]> = {};
  for (const r of rows)
    (out[r.moduleId] ??= []).push({ version: r.version, firstSeenAt: r.firstSeenAt, editorial: r.editorial });
  return out;
}

// ---------------------------------------------------------------------------------------------- results

/**
 * The learner's graded certification attempts, ended role-plays (practice runs never count) and submitted calibration
 * exercises. One statement whose columns are JSON arrays: the per-row cost of the driver and the mapper was most of a
 * passing submit's certification decision (docs/benchmarks.md, "Measurements behind the code").
 */
async function loadResults(db: Reader, userId: string): Promise<Results> {
  const [q, r, e] = [quizAttemptTable, roleplayRunTable, exerciseAttemptTable];
  const row = await db.get<{ quizzes: string; roleplays: string; exercises: string }>(sql`
    SELECT
      (SELECT json_group_array(json_array(${q.quizId}, coalesce(${q.score}, 0), ${q.contentVersion}, coalesce(${q.submittedAt}, 0)))
         FROM ${q} WHERE ${q.userId} = ${userId} AND ${q.status} = 'submitted' AND ${q.mode} = 'certification') AS quizzes,
      (SELECT json_group_array(json_array(${r.roleplayId}, coalesce(${r.score}, 0), coalesce(${r.endedAt}, 0)))
         FROM ${r} WHERE ${r.userId} = ${userId} AND ${r.status} = 'ended' AND ${r.practice} = 0) AS roleplays,
      (SELECT json_group_array(json_array(${e.exerciseId}, coalesce(${e.score}, 0), coalesce(${e.submittedAt}, 0)))
         FROM ${e} WHERE ${e.userId} = ${userId} AND ${e.status} = 'submitted') AS exercises`);
  const quizzes = JSON.parse(row.quizzes) as [string, number, string, number][];
  const roleplays = JSON.parse(row.roleplays) as [string, number, number][];
  const exercises = JSON.parse(row.exercises) as [string, number, number][];
  return {
    quizzes: quizzes.map(([quizId, score, contentVersion, at]) => ({ quizId, score, contentVersion, at })),
    roleplays: roleplays.map(([roleplayId, score, at]) => ({ roleplayId, score, at })),
    exercises: exercises.map(([exerciseId, score, at]) => ({ exerciseId, score, at })),
  };
}

function rulesOf(catalog: Catalog) {
  return {
    quizPassMark: (id: string) => catalog.quizPassMark.get(id),
    roleplayPassScore: (id: string) => catalog.roleplayPassScore.get(id),
    exercisePassMark: (id: string) => catalog.exercisePassMark.get(id),
  };
}

/** Passing certification attempts as module re-takes (what completes an update). */
function retakesOf(catalog: Catalog, results: Results) {
  return results.quizzes.flatMap((r) => {
    const moduleId = catalog.quizModule.get(r.quizId);
    const mark = catalog.quizPassMark.get(r.quizId);
    return moduleId && mark !== undefined && r.score >= mark
      ? [{ moduleId, contentVersion: r.contentVersion, at: r.at }]
      : [];
  });
}

/**
 * The module versions a new certificate covers: for each module of the track, the version its quiz was passed on
 * (the latest passing attempt of this cycle), else — a module without a quiz requirement — its current version.
 */
function versionsCovered(catalog: Catalog, track: Track, results: Results, since: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const moduleId of track.modules) {
    const quizId = catalog.moduleQuiz.get(moduleId);
    const mark = quizId ? catalog.quizPassMark.get(quizId) : undefined;
    const pass = results.quizzes
      .filter((r) => r.quizId === quizId && r.at >= since && mark !== undefined && r.score >= mark)
      .sort((a, b) => b.at - a.at)[0];
    const version = pass?.contentVersion ?? catalog.versions[moduleId];
    if (version) out[moduleId] = version;
  }
  return out;
}

/**
 * From when a learner's attempts at an assessment of `moduleId` count for its attempt policy, per their
 * certificates on the tracks that include the module: a renewal or a revocation starts a fresh count. While a
 * certificate is simply valid, re-takes (module updates) count from its issue; once a new one may be issued
 * (renewal window, revocation), from the start of that cycle.
 */
export async function attemptWindowStart(db: Reader, userId: string, moduleId: string): Promise<number> {
  let start = 0;
  for (const latest of await latestCertificatesCovering(db, userId, moduleId)) {
    start = Math.max(start, mayIssue(latest, now()) ? cycleStart(latest) : latest.issuedAt);
  }
  return start;
}

/** The learner's latest certificate on each track that includes `moduleId` (tracks without one are left out). */
async function latestCertificatesCovering(db: Reader, userId: string, moduleId: string) {
  const trackIds = (await listTracks()).filter((t) => t.modules.includes(moduleId)).map((t) => t.id);
  if (trackIds.length === 0) return [];
  const certificates = await db
    .select()
    .from(certificateTable)
    .where(and(eq(certificateTable.userId, userId), inArray(certificateTable.trackId, trackIds)));
  return trackIds.flatMap((trackId) => latestCertificate(certificates.filter((c) => c.trackId === trackId)) ?? []);
}

/**
 * From when a pass of an assessment of `moduleId` still stands for the learner: 0 while their certificates on the
 * tracks that include it are valid (or there are none), the start of the new cycle once one may be issued again
 * (renewal window, revocation). A quiz passed since then is not retaken for certification: retakes are practice.
 */
export async function passWindowStart(db: Reader, userId: string, moduleId: string): Promise<number> {
  let start = 0;
  for (const latest of await latestCertificatesCovering(db, userId, moduleId)) {
    if (mayIssue(latest, now())) start = Math.max(start, cycleStart(latest));
  }
  return start;
}

// ---------------------------------------------------------------------------------------------- deciding and writing

/** Writes a certification event and, in the same transaction, freezes its xAPI statement. */
async function recordEvent(tx: Tx, event: typeof certificationEventTable.$inferInsert): Promise<void> {
  await tx.insert(certificationEventTable).values(event);
  await freezeOnEvent(tx, contentLookup({ tracks: await listTracks() }), { events: [event.id] }, event.at);
}

/**
 * Re-decides every track for one learner after a new result, inside the caller's write transaction: issues a
 * certificate (or renews one) when the requirements of the current cycle are met, and records an `updated` event
 * when a re-take completes a module update. Reads through `tx` so it sees the result just written.
 */
export async function updateCertifications(tx: Tx, userId: string, at: number): Promise<void> {
  const catalog = await loadCatalog();
  // The three reads start at once (`all()` sends a query now, `await` would wait a turn): one round trip to a libSQL
  // server while the write lock is held.
  const [results, certificates, history] = await Promise.all([
    loadResults(tx, userId),
    tx.select().from(certificateTable).where(eq(certificateTable.userId, userId)).all(),
    versionHistory(tx),
  ]);

  for (const track of catalog.tracks) {
    const latest = latestCertificate(certificates.filter((c) => c.trackId === track.id));
    if (mayIssue(latest, at)) {
      const since = cycleStart(latest);
      if (!decideCertification(track, results, rulesOf(catalog), since).met) continue;
      const plan = planIssue(latest, track.validityMonths, at);
      const cert: Certificate = {
        id: newId(),
        code: newCertificateCode(),
        userId,
        trackId: track.id,
        issuedAt: at,
        expiresAt: plan.expiresAt,
        replacesId: plan.replacesId,
        moduleVersions: versionsCovered(catalog, track, results, since),
        revokedAt: null,
        revokedBy: null,
        revokeReason: null,
      };
      await tx.insert(certificateTable).values(cert);
      await recordEvent(tx, {
        id: newId(),
        userId,
        trackId: track.id,
        certificateId: cert.id,
        kind: plan.kind,
        detail: { expiresAt: cert.expiresAt, replaces: plan.replacesId, moduleVersions: cert.moduleVersions },
        at,
      });
      continue;
    }
    if (!latest) continue;
    const before = modulesNeedingUpdate(latest.moduleVersions, catalog.versions, history, at);
    if (before.length === 0) continue;
    const covered = coveredVersions(latest, retakesOf(catalog, results));
    const still = new Set(modulesNeedingUpdate(covered, catalog.versions, history, at).map((u) => u.moduleId));
    const done = before.filter((u) => !still.has(u.moduleId));
    await recordUpdated(tx, latest, done, { by: 'retake' }, at);
  }
}

/** One `updated` event per (certificate, module, version), however often the learner re-takes. */
async function recordUpdated(
  tx: Tx,
  c: Certificate,
  done: readonly UpdateNeeded[],
  detail: Record<string, unknown>,
  at: number,
) {
  if (done.length === 0) return;
  const previous = await tx
    .select({ detail: certificationEventTable.detail })
    .from(certificationEventTable)
    .where(and(eq(certificationEventTable.certificateId, c.id), eq(certificationEventTable.kind, 'updated')));
  const seen = new Set(previous.map((p) => key(p.detail)));
  for (const u of done) {
    if (seen.has(`${u.moduleId}@${u.to}`)) continue;
    await recordEvent(tx, {
      id: newId(),
      userId: c.userId,
      trackId: c.trackId,
      certificateId: c.id,
      kind: 'updated',
      detail: { moduleId: u.moduleId, version: u.to, ...detail },
      at,
    });
  }
}

function key(detail: unknown): string {
  const d = (detail ?? {}) as { moduleId?: string; version?: string };
  return `${d.moduleId}@${d.version}`;
}

// ---------------------------------------------------------------------------------------------- content versions

let syncedFingerprint: string | undefined;

/**
 * Records the current module versions (first time seen) and flags certificates whose modules changed since they
 * were issued with an `update_required` event. Runs once per content state per process (cheap afterwards), outside
 * any other transaction. Nobody needs to remember it: every reader of certification status here starts with
 * syncedCatalog() below, and the quiz and exercise starts call it before their write transaction.
 */
export async function syncContentVersions(at = now()): Promise<void> {
  const versions = await currentModuleVersions();
  const fingerprint = JSON.stringify(versions);
  if (fingerprint === syncedFingerprint) return;
  await writeTransaction(async (tx) => {
    const rows = Object.entries(versions).map(([moduleId, version]) => ({ moduleId, version, firstSeenAt: at }));
    if (rows.length > 0) await tx.insert(contentVersionTable).values(rows).onConflictDoNothing();
    await flagChangedCertificates(tx, versions, at);
  });
  syncedFingerprint = fingerprint;
}

/** The catalog for reading certification status, after the content versions are recorded (the one place readers sync). */
async function syncedCatalog(): Promise<Catalog> {
  await syncContentVersions();
  return loadCatalog();
}

async function flagChangedCertificates(tx: Tx, versions: Record<string, string>, at: number): Promise<void> {
  const history = await versionHistory(tx);
  const certificates = await tx.select().from(certificateTable);
  const flagged = await tx
    .select({ certificateId: certificationEventTable.certificateId, detail: certificationEventTable.detail })
    .from(certificationEventTable)
    .where(eq(certificationEventTable.kind, 'update_required'));
  const seen = new Set(
    flagged.flatMap((f) =>
      ((f.detail as { modules?: UpdateNeeded[] })?.modules ?? []).map(
        (m) => `${f.certificateId}|${m.moduleId}@${m.to}`,
      ),
    ),
  );
  const byPair = new Map<string, Certificate>();
  for (const c of certificates) {
    const k = `${c.userId}|${c.trackId}`;
    const other = byPair.get(k);
    if (!other || c.issuedAt > other.issuedAt) byPair.set(k, c);
  }
  for (const c of byPair.values()) {
    if (c.revokedAt !== null || at >= c.expiresAt) continue;
    const updates = modulesNeedingUpdate(c.moduleVersions, versions, history, at).filter(
      (u) => !seen.has(`${c.id}|${u.moduleId}@${u.to}`),
    );
    if (updates.length === 0) continue;
    await recordEvent(tx, {
      id: newId(),
      userId: c.userId,
      trackId: c.trackId,
      certificateId: c.id,
      kind: 'update_required',
      detail: { modules: updates, graceUntil: certificateStatus(c, updates, at).graceUntil ?? null },
      at,
    });
  }
}

export interface VersionRow {
  moduleId: string;
  version: string;
  firstSeenAt: number;
  editorial: boolean;
  current: boolean;
  markedBy: string | null;
}

/** Every recorded version, newest first per module, for the trainer page. */
export async function listContentVersions(): Promise<VersionRow[]> {
  await syncContentVersions();
  const current = await currentModuleVersions();
  const rows = await getDb()
    .select()
    .from(contentVersionTable)
    .orderBy(contentVersionTable.moduleId, desc(contentVersionTable.firstSeenAt));
  return rows.map((r) => ({ ...r, current: current[r.moduleId] === r.version }));
}

export class CertificationError extends Refusal<never, 'NOT_FOUND' | 'BAD_REQUEST' | 'CONFLICT'> {}

/**
 * A trainer marks a module version as editorial (no recertification) or takes that back. Certificates that were
 * flagged for exactly this change get an `updated` event saying so; status is derived, so it follows at once.
 */
export async function markVersionEditorial(input: {
  moduleId: string;
  version: string;
  editorial: boolean;
  actor: { id: string; organizationId: string };
}) {
  const at = now();
  await writeTransaction(async (tx) => {
    const changed = await tx
      .update(contentVersionTable)
      .set({ editorial: input.editorial, markedBy: input.actor.id })
      .where(and(eq(contentVersionTable.moduleId, input.moduleId), eq(contentVersionTable.version, input.version)));
    if (changed.rowsAffected !== 1)
      throw new CertificationError('NOT_FOUND', 'That module version has not been recorded.');
    await writeAudit(tx, {
      organizationId: input.actor.organizationId,
      actorId: input.actor.id,
      action: input.editorial ? 'content.marked_editorial' : 'content.unmarked_editorial',
      target: `${input.moduleId}@${input.version}`,
    });
    if (!input.editorial) return;
    const flagged = await tx
      .select()
      .from(certificationEventTable)
      .where(eq(certificationEventTable.kind, 'update_required'));
    const ids = new Set(
      flagged
        .filter((f) =>
          ((f.detail as { modules?: UpdateNeeded[] })?.modules ?? []).some(
            (m) => m.moduleId === input.moduleId && m.to === input.version,
          ),
        )
        .map((f) => f.certificateId!),
    );
    if (ids.size === 0) return;
    const history = await versionHistory(tx);
    const versions = await currentModuleVersions();
    const certificates = await tx
      .select()
      .from(certificateTable)
      .where(inArray(certificateTable.id, [...ids]));
    for (const c of certificates) {
      const still = modulesNeedingUpdate(c.moduleVersions, versions, history, at);
      if (still.some((u) => u.moduleId === input.moduleId)) continue;
      await recordUpdated(
        tx,
        c,
        [{ moduleId: input.moduleId, from: c.moduleVersions[input.moduleId] ?? '', to: input.version, since: at }],
        { by: 'editorial' },
        at,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------- reading status

export interface TrackStanding {
  track: Track;
  /** The one definition of progress (progress.ts); also the certification decision of the cycle it counts. */
  progress: TrackProgress;
  decision: Decision;
  lifecycle: Lifecycle;
  certificate?: Certificate;
}

async function updatesFor(
  c: Certificate,
  catalog: Catalog,
  results: Results,
  history: Record<string, VersionSeen[]>,
  at: number,
) {
  const covered = coveredVersions(c, retakesOf(catalog, results));
  return modulesNeedingUpdate(covered, catalog.versions, history, at);
}

/**
 * Everything a learner did in each module, whatever it scored: lessons completed, quiz attempts and exercise
 * attempts started, judgment cases answered, role-play runs started (what makes a module "in progress").
 */
async function moduleActivity(db: Reader, userId: string): Promise<ModuleActivity[]> {
  const [lessons, quizzes, exercises, answers, runs, roleplays, cases] = await Promise.all([
    db
      .select({ moduleId: lessonCompletionTable.moduleId, at: lessonCompletionTable.completedAt })
      .from(lessonCompletionTable)
      .where(eq(lessonCompletionTable.userId, userId)),
    db
      .select({ moduleId: quizAttemptTable.moduleId, at: quizAttemptTable.startedAt })
      .from(quizAttemptTable)
      .where(eq(quizAttemptTable.userId, userId)),
    db
      .select({ moduleId: exerciseAttemptTable.moduleId, at: exerciseAttemptTable.startedAt })
      .from(exerciseAttemptTable)
      .where(eq(exerciseAttemptTable.userId, userId)),
    db
      .select({ caseId: judgmentAnswerTable.caseId, at: judgmentAnswerTable.createdAt })
      .from(judgmentAnswerTable)
      .where(eq(judgmentAnswerTable.userId, userId)),
    db
      .select({ roleplayId: roleplayRunTable.roleplayId, at: roleplayRunTable.startedAt })
      .from(roleplayRunTable)
      .where(eq(roleplayRunTable.userId, userId)),
    listRoleplays(),
    caseModules(),
  ]);
  const roleplayModule = new Map(roleplays.map((r) => [r.id, r.module]));
  return [
    ...lessons,
    ...quizzes,
    ...exercises,
    ...answers.flatMap((a) => (cases.has(a.caseId) ? [{ moduleId: cases.get(a.caseId)!, at: a.at }] : [])),
    ...runs.flatMap((r) =>
      roleplayModule.has(r.roleplayId) ? [{ moduleId: roleplayModule.get(r.roleplayId)!, at: r.at }] : [],
    ),
  ];
}

/** A learner's standing on each track (all tracks, or those listed), for /learn, the track pages and the certificate pages. */
export async function learnerStandings(userId: string, at = now(), trackIds?: string[]): Promise<TrackStanding[]> {
  const db = getDb();
  const catalog = await syncedCatalog();
  const [results, certificates, history, activity, roleplays, exercises] = await Promise.all([
    loadResults(db, userId),
    db.select().from(certificateTable).where(eq(certificateTable.userId, userId)),
    versionHistory(db),
    moduleActivity(db, userId),
    listRoleplays(),
    listExercises(),
  ]);
  const moduleOf = moduleOfRequirement(catalog, roleplays, exercises);
  const tracks = trackIds ? catalog.tracks.filter((t) => trackIds.includes(t.id)) : catalog.tracks;
  const out: TrackStanding[] = [];
  for (const track of tracks) {
    const mine = certificates.filter((c) => c.trackId === track.id);
    const latest = latestCertificate(mine);
    const progress = measureProgress({
      track,
      results,
      rules: rulesOf(catalog),
      moduleOf,
      activity,
      certificates: mine,
      at,
    });
    const updates = latest ? await updatesFor(latest, catalog, results, history, at) : [];
    const lifecycle = trackLifecycle(latest, updates, progress, at);
    out.push({ track, progress, decision: progress, lifecycle, ...(latest ? { certificate: latest } : {}) });
  }
  return out;
}

/** The module holding each requirement (progress.ts `moduleOf`). */
function moduleOfRequirement(
  catalog: Catalog,
  roleplays: readonly { id: string; module: string }[],
  exercises: readonly { id: string; module: string }[],
) {
  const roleplay = new Map(roleplays.map((r) => [r.id, r.module]));
  const exercise = new Map(exercises.map((e) => [e.id, e.module]));
  return (kind: 'quiz' | 'roleplay' | 'exercise', id: string) =>
    kind === 'quiz' ? catalog.quizModule.get(id) : kind === 'roleplay' ? roleplay.get(id) : exercise.get(id);
}

/** The same for many people, without activity (team pages show counts only): quiz → module etc. for progress.ts. */
export async function requirementModules() {
  const [catalog, roleplays, exercises] = await Promise.all([loadCatalog(), listRoleplays(), listExercises()]);
  return moduleOfRequirement(catalog, roleplays, exercises);
}

/**
 * The module updates each person's latest certificate per track still owes at `at`, by certificate id: what the
 * team dashboards, the admin overview and /learn's reminders pass to the status rule (src/features/progress/status.ts),
 * so they say what /learn and /verify say.
 */
export async function pendingUpdates(userIds: readonly string[], at = now()): Promise<Map<string, UpdateNeeded[]>> {
  if (userIds.length === 0) return new Map();
  const catalog = await syncedCatalog();
  return pendingUpdatesFrom(userIds, at, {
    quizModule: catalog.quizModule,
    quizPassMark: catalog.quizPassMark,
    versions: catalog.versions,
  });
}

export interface CertificateRecord {
  certificate: Certificate;
  holder: { id: string; name: string; organizationId: string };
  organization: string;
  track?: Track;
  lifecycle: Lifecycle;
  events: (typeof certificationEventTable.$inferSelect)[];
}

/** A certificate by its public code, with its holder, organization, track, status and history; undefined if none. */
export async function findCertificate(code: string, at = now()): Promise<CertificateRecord | undefined> {
  const db = getDb();
  const [row] = await db
    .select({
      certificate: certificateTable,
      holderName: userTable.name,
      organizationId: userTable.organizationId,
      organization: organizationTable.name,
    })
    .from(certificateTable)
    .innerJoin(userTable, eq(userTable.id, certificateTable.userId))
    .innerJoin(organizationTable, eq(organizationTable.id, userTable.organizationId))
    .where(eq(certificateTable.code, normalizeCode(code)));
  if (!row) return undefined;
  const c = row.certificate;
  const catalog = await syncedCatalog();
  const [results, history, events] = await Promise.all([
    loadResults(db, c.userId),
    versionHistory(db),
    db
      .select()
      .from(certificationEventTable)
      .where(eq(certificationEventTable.certificateId, c.id))
      .orderBy(certificationEventTable.at),
  ]);
  const updates = await updatesFor(c, catalog, results, history, at);
  const track = catalog.tracks.find((t) => t.id === c.trackId);
  return {
    certificate: c,
    holder: { id: c.userId, name: row.holderName, organizationId: row.organizationId },
    organization: row.organization,
    ...(track ? { track } : {}),
    lifecycle: certificateStatus(c, updates, at),
    events,
  };
}

/** Certificates of one organization, newest first, for the admin list; `query` matches the holder's name or email. */
export async function listCertificates(organizationId: string, query = '', limit = 200) {
  const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matches = query
    ? sql`(lower(${userTable.name}) like ${pattern} escape '\\' or ${userTable.email} like ${pattern} escape '\\')`
    : undefined;
  return getDb()
    .select({ certificate: certificateTable, holderName: userTable.name, holderEmail: userTable.email })
    .from(certificateTable)
    .innerJoin(userTable, eq(userTable.id, certificateTable.userId))
    .where(and(eq(userTable.organizationId, organizationId), matches))
    .orderBy(desc(certificateTable.issuedAt))
    .limit(limit);
}

/**
 * An admin revokes a certificate of their own organization, with a reason. The row gains revokedAt/by/reason (the
 * only update a certificate ever gets) and the history a `revoked` event; a second revocation is refused.
 */
export async function revokeCertificate(input: {
  code: string;
  reason: string;
  admin: { id: string; organizationId: string };
}) {
  const found = await findCertificate(input.code);
  if (!found || found.holder.organizationId !== input.admin.organizationId)
    throw new CertificationError('NOT_FOUND', 'There is no such certificate.');
  const at = now();
  await writeTransaction(async (tx) => {
    const done = await tx
      .update(certificateTable)
      .set({ revokedAt: at, revokedBy: input.admin.id, revokeReason: input.reason })
      .where(and(eq(certificateTable.id, found.certificate.id), isNull(certificateTable.revokedAt)));
    if (done.rowsAffected !== 1) throw new CertificationError('CONFLICT', 'This certificate is already revoked.');
    await recordEvent(tx, {
      id: newId(),
      userId: found.holder.id,
      trackId: found.certificate.trackId,
      certificateId: found.certificate.id,
      kind: 'revoked',
      detail: { reason: input.reason, by: input.admin.id },
      at,
    });
    await writeAudit(tx, {
      organizationId: input.admin.organizationId,
      actorId: input.admin.id,
      action: 'certificate.revoked',
      target: found.certificate.id,
      detail: { reason: input.reason },
    });
  });
}
