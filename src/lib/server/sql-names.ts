/**
 * Column lists for hand-written SQL (INSERT … SELECT from a JSON parameter, where the query builder's per-value work
 * is the cost being avoided): named through the drizzle schema, so renaming a column there changes the SQL too, and
 * removing one fails to compile.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** `"a", "b", …`: unqualified names, as an INSERT's column list needs. */
export function columnList(...columns: SQLiteColumn[]): SQL {
  return sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
}
