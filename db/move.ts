/**
 * `npm run db:move -- --from <url> --to <url>`: moves the whole database from one place to another — the embedded
 * file to a libSQL server (`--from file:data/frontline.db --to http://host:8080` or `libsql://…`) or back.
 *
 * Both ends are brought to the current migrations first; the target must hold no rows. Rows are copied by
 * db/copy.ts in short transactions, then both ends are fingerprinted (row count and SHA-256 of every row, per
 * table) and the move fails loudly unless they are equal. Stop the app first: writes made during the move would be
 * missing from the copy (the fingerprints would then differ). DATABASE_AUTH_TOKEN is sent to a server end.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { copyRows, fingerprint, tablesInOrder } from './copy';
import { isEmbeddedUrl } from './embedded-client';

const JOURNAL = '__drizzle_migrations';

function open(url: string): Client {
  return createClient({ url, authToken: isEmbeddedUrl(url) ? undefined : process.env.DATABASE_AUTH_TOKEN });
}

export interface MoveResult {
  rows: Record<string, number>;
}

export async function moveDatabase(
  fromUrl: string,
  toUrl: string,
  log: (line: string) => void = () => {},
): Promise<MoveResult> {
  if (fromUrl === toUrl) throw new Error('--from and --to name the same database.');
  const from = open(fromUrl);
  const to = open(toUrl);
  try {
    const migrationsFolder = resolve(import.meta.dirname, 'migrations');
    await migrate(drizzle(from), { migrationsFolder });
    await migrate(drizzle(to), { migrationsFolder });
    for (const table of await tablesInOrder(to)) {
      if (table === JOURNAL) continue;
      const { rows } = await to.execute(`SELECT count(*) AS n FROM "${table}"`);
      if (Number(rows[0]!.n) > 0)
        throw new Error(`${toUrl} is not empty (${table} has rows): move into an empty database.`);
    }
    log(`Copying ${fromUrl} → ${toUrl}`);
    const rows = await copyRows(from, to, { skip: [JOURNAL], log });
    const [a, b] = await Promise.all([fingerprint(from, [JOURNAL]), fingerprint(to, [JOURNAL])]);
    const differ = Object.keys({ ...a, ...b }).filter(
      (t) => a[t]?.rows !== b[t]?.rows || a[t]?.sha256 !== b[t]?.sha256,
    );
    if (differ.length > 0)
      throw new Error(`The copy differs from the source in ${differ.join(', ')} (was the app still writing?).`);
    return { rows };
  } finally {
    from.close();
    to.close();
  }
}

async function main(args: string[]): Promise<number> {
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const fromUrl = value('--from');
  const toUrl = value('--to');
  if (!fromUrl || !toUrl || args.length !== 4) {
    console.error('Usage: npm run db:move -- --from <file:…|libsql://…|http://…> --to <file:…|libsql://…|http://…>');
    return 2;
  }
  try {
    const { rows } = await moveDatabase(fromUrl, toUrl, (line) => console.log(line));
    const total = Object.values(rows).reduce((s, n) => s + n, 0);
    console.log(
      `Moved ${total.toLocaleString('en')} rows; every table's rows match the source. Point DATABASE_URL at ${toUrl}.`,
    );
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
