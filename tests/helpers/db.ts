/**
 * A fresh, migrated database file for the calling test file. Call in beforeAll (or beforeEach for full isolation).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, getDb, migrateDb } from '../../db/client';

export async function freshDb() {
  closeDb();
  const dir = mkdtempSync(join(tmpdir(), 'fa-test-'));
  process.env.DATABASE_URL = `file:${join(dir, 'test.db')}`;
  await migrateDb();
  return getDb();
}
