/**
 * The organization's xAPI IRI: the base of its statement ids and activity IRIs. Fixed the first time a statement is
 * made, from XAPI_ORGANIZATION_IRI or SITE_URL as configured (src/env.ts; never a request's Host header, nor the
 * localhost default), stored on the organization row and never changed, so moving the site to another address, or
 * running the CLI with another SITE_URL, keeps every id. Without either (a local server or CLI without SITE_URL;
 * production requires it) it refuses rather than fix a wrong one, and the statements wait for the catch-up.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../../../db/client';
import { organizationTable } from '../../../../db/schema';
import { env } from '../../../env';
import { normalizeBaseUrl } from './core';

export class XapiIriMissing extends Error {
  constructor() {
    super('The organization has no xAPI IRI yet: set SITE_URL (or XAPI_ORGANIZATION_IRI) to its public address.');
  }
}

const known = new Map<string, string>();

/** The stored IRI, fixing it first when there is none. Throws XapiIriMissing when there is nothing to fix it from. */
export async function organizationIri(db: Db | Tx, organizationId: string): Promise<string> {
  let iri = await storedOrganizationIri(db, organizationId);
  if (!iri) {
    const candidate = env().xapi.organizationIri;
    if (!candidate) throw new XapiIriMissing();
    await db
      .update(organizationTable)
      .set({ xapiIri: normalizeBaseUrl(candidate) })
      .where(and(eq(organizationTable.id, organizationId), isNull(organizationTable.xapiIri)));
    // Another process may have fixed it first: theirs wins.
    const [fixed] = await db
      .select({ iri: organizationTable.xapiIri })
      .from(organizationTable)
      .where(eq(organizationTable.id, organizationId));
    iri = fixed?.iri ?? undefined;
    if (!iri) throw new XapiIriMissing();
  }
  known.set(organizationId, iri);
  return iri;
}

/** The IRI once fixed (a read, never a write), or undefined while the organization has none. */
export async function storedOrganizationIri(db: Db | Tx, organizationId: string): Promise<string | undefined> {
  const cached = known.get(organizationId);
  if (cached) return cached;
  const [row] = await db
    .select({ iri: organizationTable.xapiIri })
    .from(organizationTable)
    .where(eq(organizationTable.id, organizationId));
  if (row?.iri) known.set(organizationId, row.iri);
  return row?.iri ?? undefined;
}
