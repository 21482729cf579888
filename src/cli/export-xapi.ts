/**
 * `npm run export:xapi -- [--out FILE] [--since 2026-01-01T00:00:00Z]` — every xAPI statement (graded attempts
 * and answers, role-play replies and endings, calibration exercises, certification events) of every organization, as one JSON array in
 * FILE (default xapi-statements-<date>.json), for loading into an LRS: the statements as frozen when their events
 * happened (records that have none yet are frozen first), with ids under each organization's stored xAPI IRI, so
 * the file holds the same ids whatever SITE_URL is now. Written page by page, so memory stays flat however many
 * there are, and each is checked against the xAPI statement schema first: an invalid one stops the export.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { closeDb, getDb, migrateDb } from '../../db/client';
import { organizationTable } from '../../db/schema';
import { loadValidContent, type Entry } from '../features/content/load';
import { statementPage } from '../features/exports/xapi/xapi.server';
import { contentLookup, freezeMissingStatements } from '../features/exports/xapi/freeze.server';
import { XapiIriMissing } from '../features/exports/xapi/iri.server';
import { followStoredClock, now } from '../lib/server/clock';
import { MAX_PAGE_SIZE, type Position } from '../features/exports/xapi/cursor';
import { statementSchema } from '../features/exports/xapi/schema';

const USAGE = 'Usage: npm run export:xapi -- [--out FILE] [--since ISO-8601-timestamp]';

function readArgs(args: string[]): { out: string; since: number | undefined } | string {
  let out = `xapi-statements-${new Date().toISOString().slice(0, 10)}.json`;
  let since: number | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) return `${flag} needs a value. ${USAGE}`;
    if (flag === '--out') out = value;
    else if (flag === '--since') {
      since = Date.parse(value);
      if (Number.isNaN(since)) return `--since must be an ISO 8601 timestamp. ${USAGE}`;
    } else return `Unknown option ${flag}. ${USAGE}`;
  }
  return { out, since };
}

const dataOf = <T>(map: Map<string, Entry<T>>) => [...map.values()].flatMap((e) => (e.data ? [e.data] : []));

async function main(args: string[]): Promise<number> {
  const options = readArgs(args);
  if (typeof options === 'string') {
    console.error(options);
    return 2;
  }
  await migrateDb();
  // Under FRONTLINE_TEST_CLOCK=1, the server's moved clock (tests run the whole lifecycle through this command).
  await followStoredClock();
  const content = await loadValidContent('content');
  const lookup = contentLookup({
    quizzes: dataOf(content.quizzes),
    roleplays: dataOf(content.roleplays),
    tracks: dataOf(content.tracks),
    exercises: dataOf(content.exercises),
    scorecards: dataOf(content.scorecards),
    standards: dataOf(content.standards),
  });
  try {
    await freezeMissingStatements(getDb(), lookup, now());
  } catch (error) {
    if (!(error instanceof XapiIriMissing)) throw error;
    console.error(error.message);
    return 2;
  }
  const organizations = await getDb().select({ id: organizationTable.id }).from(organizationTable);

  const file = createWriteStream(options.out, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!file.write(text)) await once(file, 'drain');
  };
  let count = 0;
  await write('[');
  for (const org of organizations) {
    let from: Position | undefined;
    do {
      const page = await statementPage(
        { organizationId: org.id },
        { from, since: options.since, limit: MAX_PAGE_SIZE },
      );
      // `stored` is the LRS's own field: the receiving LRS sets it.
      for (const { stored: _stored, ...statement } of page.statements) {
        const checked = statementSchema.safeParse(statement);
        if (!checked.success)
          throw new Error(`statement ${statement.id} is not valid xAPI: ${checked.error.issues[0]?.message}`);
        await write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(statement)}`);
        count += 1;
      }
      from = page.next;
    } while (from);
  }
  await write('\n]\n');
  file.end();
  await once(file, 'finish');
  console.log(`Wrote ${count} statement(s) to ${options.out}.`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  closeDb();
}
