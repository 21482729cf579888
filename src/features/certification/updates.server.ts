/**
 * The module updates certificates still owe, for the dashboards and the reminders job (which runs outside the
 * Astro server, so nothing here reads the content collections: the caller passes the content facts — from
 * src/lib/server/catalog.ts in the server, from the files under content/ in the CLI, `diskUpdateFacts`).
 * The rule itself is certification.ts (`modulesNeedingUpdate`, `coveredVersions`), the one /learn and /verify use.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { certificateTable, contentVersionTable, quizAttemptTable } from '../../../db/schema';
import { loadValidContent } from '../content/load';
import { moduleVersions } from '../content/version';
import { writeTransaction } from '../../lib/server/write-lock';
import { coveredVersions, modulesNeedingUpdate, type UpdateNeeded, type VersionSeen } from './certification';

export interface UpdateFacts {
  /** quiz id → the module it checks */
  quizModule: ReadonlyMap<string, string>;
  quizPassMark: ReadonlyMap<string, number>;
  /** module slug → its current content version */
  versions: Readonly<Record<string, string>>;
  /** The organisation's time zone (content/organization.yaml), for what the CLI writes; undefined: the server's. */
  timeZone?: string;
}

let fromDisk: Promise<UpdateFacts> | undefined;

/** The facts from the content files (for the CLI commands), read once per process. */
export function diskUpdateFacts(dir = 'content'): Promise<UpdateFacts> {
  fromDisk ??= loadValidContent(dir).then(
    (content) => {
      const quizzes = [...content.quizzes.values()].flatMap((e) => (e.data ? [e.data] : []));
      return {
        quizModule: new Map(quizzes.map((q) => [q.id, q.module])),
        quizPassMark: new Map(quizzes.map((q) => [q.id, q.passMark])),
        versions: Object.fromEntries(moduleVersions(content)),
        ...(content.organization?.data?.timeZone ? { timeZone: content.organization.data.timeZone } : {}),
      };
    },
    (error: unknown) => {
      fromDisk = undefined;
      throw error;
    },
  );
  return fromDisk;
}

/**
 * Records the current versions as first seen at `at` unless already known, so a grace period runs from when a change
 * was first seen by any process (the server does it in syncContentVersions, the reminders job here).
 */
export async function recordVersionsSeen(facts: UpdateFacts, at: number): Promise<void> {
  const rows = Object.entries(facts.versions).map(([moduleId, version]) => ({ moduleId, version, firstSeenAt: at }));
  if (rows.length > 0)
    await writeTransaction((tx) => tx.insert(contentVersionTable).values(rows).onConflictDoNothing());
}

/**
 * Outstanding updates of each person's latest certificate per track at `at`, by certificate id (those owing none
 * are left out). Read-only: a current version not recorded yet counts as first seen at `at` (see recordVersionsSeen).
 */
export async function pendingUpdatesFrom(
  userIds: readonly string[],
  at: number,
  facts: UpdateFacts,
): Promise<Map<string, UpdateNeeded[]>> {
  const out = new Map<string, UpdateNeeded[]>();
  if (userIds.length === 0) return out;
  const db = getDb();
  const ids = [...userIds];
  const [certificates, seen] = await Promise.all([
    db.select().from(certificateTable).where(inArray(certificateTable.userId, ids)),
    db.select().from(contentVersionTable),
  ]);
  // Passes matter only to people who hold a certificate: reading everyone's first read every attempt of a page of
  // the admin overview (500 people, about 50,000 attempts, of whom a few dozen hold one).
  const holders = [...new Set(certificates.map((c) => c.userId))];
  const passes =
    holders.length === 0
      ? []
      : await db
          .select({
            userId: quizAttemptTable.userId,
            quizId: quizAttemptTable.quizId,
            contentVersion: quizAttemptTable.contentVersion,
            score: quizAttemptTable.score,
            at: quizAttemptTable.submittedAt,
          })
          .from(quizAttemptTable)
          .where(
            and(
              inArray(quizAttemptTable.userId, holders),
              eq(quizAttemptTable.mode, 'certification'),
              eq(quizAttemptTable.passed, true),
            ),
          );
  const history: Record<string, VersionSeen[]> = {};
  for (const r of seen)
    (history[r.moduleId] ??= []).push({ version: r.version, firstSeenAt: r.firstSeenAt, editorial: r.editorial });
  const latest = new Map<string, (typeof certificates)[number]>();
  for (const c of certificates) {
    const k = `${c.userId}|${c.trackId}`;
    const other = latest.get(k);
    if (c.issuedAt <= at && (!other || c.issuedAt > other.issuedAt)) latest.set(k, c);
  }
  // By person first: matching every certificate against every pass was quadratic in the people asked about (a page
  // of the admin overview: 500 people, about 20,000 passes).
  const passesOf = new Map<string, typeof passes>();
  for (const p of passes) {
    const mine = passesOf.get(p.userId);
    if (mine) mine.push(p);
    else passesOf.set(p.userId, [p]);
  }
  for (const c of latest.values()) {
    const retakes = (passesOf.get(c.userId) ?? []).flatMap((p) => {
      const moduleId = facts.quizModule.get(p.quizId);
      const mark = facts.quizPassMark.get(p.quizId);
      return moduleId && mark !== undefined && (p.score ?? 0) >= mark && p.at !== null
        ? [{ moduleId, contentVersion: p.contentVersion, at: p.at }]
        : [];
    });
    const covered = coveredVersions({ issuedAt: c.issuedAt, moduleVersions: c.moduleVersions }, retakes);
    const updates = modulesNeedingUpdate(covered, { ...facts.versions }, history, at);
    if (updates.length > 0) out.set(c.id, updates);
  }
  return out;
}
