/**
 * `npm run export:xapi -- [--out FILE] [--since 2026-01-01T00:00:00Z]` — every xAPI statement (graded attempts
 * and answers, role-play replies and endings, calibration exercises, certification events) of every organization, as one JSON array in
 * FILE (default xapi-statements-<date>.json), for loading into an LRS. Activity ids use SITE_URL (default
 * http://localhost:4321). Statements are written page by page, so memory stays flat however many there are, and
 * each is checked against the xAPI statement schema first: an invalid one stops the export.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { closeDb, getDb, migrateDb } from '../../db/client';
import { organizationTable } from '../../db/schema';
import { loadValidContent, type Entry } from '../features/content/load';
import { contentLookup, statementPage } from '../features/exports/xapi.server';
import { MAX_PAGE_SIZE, type Position } from '../features/exports/xapi-cursor';
import { statementSchema } from '../features/exports/xapi-schema';

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
  const content = await loadValidContent('content');
  const lookup = contentLookup({
    quizzes: dataOf(content.quizzes),
    roleplays: dataOf(content.roleplays),
    tracks: dataOf(content.tracks),
    exercises: dataOf(content.exercises),
  });
  const site = { baseUrl: process.env.SITE_URL ?? 'http://localhost:4321' };
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
        site,
        lookup,
        { organizationId: org.id },
        { from, since: options.since, limit: MAX_PAGE_SIZE },
      );
      for (const statement of page.statements) {
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
