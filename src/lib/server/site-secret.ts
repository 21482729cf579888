/**
 * Site secrets: random keys made once, kept in the database (`site_secret`) so the server and the CLI commands
 * (`npm run reminders`) agree on them without any configuration. The first process to ask inserts one; a second
 * asking at the same moment loses the insert (ON CONFLICT DO NOTHING) and reads the winner's.
 */
import { eq } from 'drizzle-orm';
import { encodeBase64urlNoPadding, decodeBase64urlIgnorePadding } from '@oslojs/encoding';
import { getDb } from '../../../db/client';
import { siteSecretTable } from '../../../db/schema';
import { now } from './clock';

const cache = new Map<string, Promise<Uint8Array>>();

async function loadSecret(name: string): Promise<Uint8Array> {
  const db = getDb();
  const value = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  await db.insert(siteSecretTable).values({ name, value, createdAt: now() }).onConflictDoNothing();
  const [row] = await db
    .select({ value: siteSecretTable.value })
    .from(siteSecretTable)
    .where(eq(siteSecretTable.name, name));
  if (!row) throw new Error(`site secret ${name} could not be stored`);
  return decodeBase64urlIgnorePadding(row.value);
}

/** The named secret's bytes, loaded once per process (a failed load is not kept). */
export function getSiteSecret(name: string): Promise<Uint8Array> {
  let secret = cache.get(name);
  if (!secret) {
    secret = loadSecret(name).catch((error: unknown) => {
      cache.delete(name);
      throw error;
    });
    cache.set(name, secret);
  }
  return secret;
}
