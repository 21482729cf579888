/**
 * Retention for `db:backup --keep N`: the snapshots this command names `frontline-<ISO time>.db` sort by name in
 * the order they were taken, so the newest N are the last N names. Files named otherwise are never touched.
 */
export const SNAPSHOT_NAME = /^frontline-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

export function snapshotName(at: Date): string {
  return `frontline-${at.toISOString().replace(/[:.]/g, '-')}.db`;
}

/** The snapshots among `names` to delete so that the newest `keep` remain. */
export function snapshotsToDelete(names: readonly string[], keep: number): string[] {
  const snapshots = names.filter((n) => SNAPSHOT_NAME.test(n)).sort();
  return snapshots.slice(0, Math.max(0, snapshots.length - keep));
}
