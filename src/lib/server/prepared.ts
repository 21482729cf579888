/**
 * Drizzle prepared queries for hot reads (the session check and the attempt read run on every quiz submit).
 * A prepared query keeps its built SQL, so drizzle does not rebuild it per request. It belongs to one database
 * handle, and tests swap the handle (`closeDb` + a fresh database), so each is built once per handle, on first use.
 *
 * Only for reads on the plain handle: a query prepared on `getDb()` runs outside any write transaction (libSQL
 * gives the transaction its own connection), so reads that must see a transaction's own writes go through `tx`.
 */
import { getDb, type Db } from '../../../db/client';

export function preparedQuery<Q>(build: (db: Db) => Q): () => Q {
  const byDb = new WeakMap<Db, Q>();
  return () => {
    const db = getDb();
    let q = byDb.get(db);
    if (q === undefined) {
      q = build(db);
      byDb.set(db, q);
    }
    return q;
  };
}
