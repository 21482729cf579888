/**
 * An Astro integration: after `astro build`, bundles the server wrapper and every command a deployment runs
 * (migrate, seed, first admin, backup, reminders, xAPI export and push) from TypeScript into `<outDir>/cli/*.mjs`, so that
 * production runs them with plain Node: no tsx, no dev dependency. Our code is bundled; packages stay imports,
 * resolved from node_modules as the app's own server bundle does. One self-contained file per command (no shared
 * chunks), so each file's `import.meta.url` is its own (serve.mjs finds the build it serves by it).
 *
 * Development tools (content:check, the bench, drizzle-kit) still run the sources through tsx.
 */
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Output name (dist/cli/<name>.mjs) → source, from the project root. */
export const cliEntries = {
  serve: 'src/cli/serve.ts',
  migrate: 'db/migrate.ts',
  seed: 'src/cli/seed/cli.ts',
  backup: 'db/backup.ts',
  reminders: 'src/cli/reminders.ts',
  'export-xapi': 'src/cli/export-xapi.ts',
  'xapi-push': 'src/cli/xapi-push.ts',
  move: 'db/move.ts',
  'admin-create': 'src/cli/admin-create.ts',
};

/** @returns {import('astro').AstroIntegration} */
export function bundleCli() {
  /** @type {URL} */
  let root;
  /** @type {URL} */
  let outDir;
  return {
    name: 'frontline:bundle-cli',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        outDir = config.outDir;
      },
      'astro:build:done': async ({ logger }) => {
        const cli = fileURLToPath(new URL('cli/', outDir));
        await build({
          absWorkingDir: fileURLToPath(root),
          entryPoints: Object.fromEntries(Object.entries(cliEntries)),
          outdir: cli,
          outExtension: { '.js': '.mjs' },
          bundle: true,
          packages: 'external',
          platform: 'node',
          format: 'esm',
          target: 'node24',
          // esbuild reads tsconfig.json from absWorkingDir, so the `~/` alias (its `paths`) resolves as in the app.
          tsconfig: 'tsconfig.json',
          // What Astro's build defines for the app: the commands share its modules (catalog.ts, session.ts).
          define: { 'import.meta.env.PROD': 'true', 'import.meta.env.DEV': 'false' },
          logLevel: 'warning',
        });
        // Started by serve.mjs as a worker thread, beside it.
        copyFileSync(new URL('./checkpoint-worker.mjs', import.meta.url), `${cli}checkpoint-worker.mjs`);
        logger.info(`server and commands bundled into ${cli}`);
      },
    },
  };
}
