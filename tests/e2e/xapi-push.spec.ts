/**
 * The server pushes to an LRS by itself: the built app, started with XAPI_LRS_URL and a one-second schedule on a
 * fresh database (the demo organization and its history), freezes the history's statements and delivers every one
 * of them to a real LRS process (Learning Locker's, tests/helpers/lrs.ts), once each, under the IRI it fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { startLrs } from '../helpers/lrs';
import { builtDist, startServer } from '../helpers/server';

test('the server delivers every statement to the LRS on its schedule, once each', async () => {
  test.setTimeout(180_000);
  const lrs = await startLrs();
  const dir = mkdtempSync(join(tmpdir(), 'fa-xapi-push-'));
  const dbFile = join(dir, 'app.db');
  const endpoint = new URL(lrs.endpoint);
  endpoint.username = lrs.key;
  endpoint.password = lrs.secret;
  const server = await startServer({
    dist: builtDist(),
    dbFile,
    env: { XAPI_LRS_URL: endpoint.href, XAPI_PUSH_INTERVAL: '1', XAPI_PUSH_BATCH: '40' },
  });
  const db = createClient({ url: `file:${dbFile}` });
  try {
    const counts = async () => {
      const row = (await db.execute('SELECT count(*) AS n, sum(pushed_at IS NOT NULL) AS pushed FROM xapi_statement'))
        .rows[0]!;
      return { n: Number(row.n), pushed: Number(row.pushed ?? 0) };
    };
    await expect
      .poll(
        async () => {
          const c = await counts();
          return c.n > 0 && c.pushed === c.n;
        },
        { timeout: 90_000, intervals: [1000] },
      )
      .toBe(true);
    const { n } = await counts();
    const held = await lrs.statements();
    expect(held).toHaveLength(n);
    expect(new Set(held.map((s) => s.id)).size).toBe(n);
    // Ids under the organization's IRI, fixed from this server's SITE_URL.
    expect(held.every((s) => s.object.id.startsWith(`${server.url}/xapi/activities/`))).toBe(true);
    expect((await db.execute('SELECT xapi_iri FROM organization')).rows[0]!.xapi_iri).toBe(server.url);
  } finally {
    db.close();
    await server.stop();
    await lrs.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
