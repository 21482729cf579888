/**
 * `npm start` (after the build), the e2e and reliability harness, the bench: serves a build with the server that
 * was bundled into it (dist/cli/serve.mjs, see bundle-cli.mjs). Plain JavaScript that needs no dev dependency, so
 * a production install (`npm ci --omit=dev`) runs it with Node alone.
 *
 * FRONTLINE_DIST names another build (default dist/).
 */
import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.env.FRONTLINE_DIST ?? 'dist');
const bundle = join(dist, 'cli/serve.mjs');
if (!existsSync(bundle)) {
  console.error(`No built server in ${dist}: run \`npm run build\` first.`);
  process.exit(1);
}
// The bundles import their packages (argon2, libSQL, …) from node_modules. A build made outside the project
// (`astro build --outDir /tmp/x`, as the e2e harness and the bench do) has none above it: point it at ours.
const distModules = join(dist, 'node_modules');
if (!dist.startsWith(process.cwd() + sep) && !existsSync(distModules)) {
  symlinkSync(resolve('node_modules'), distModules, 'dir');
}
// One serving process, or a cluster primary with WEB_CONCURRENCY workers (each of which runs this file again).
const { start } = await import(pathToFileURL(bundle).href);
try {
  await start();
} catch (error) {
  // A configuration mistake is the sysadmin's to fix: its message alone, not a stack trace around it.
  if (error instanceof Error && error.name === 'EnvError') {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
