// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import solid from '@astrojs/solid-js';
import { fileURLToPath } from 'node:url';
import { checkContent } from './src/features/content/check.ts';
import { formatProblem, loadContent } from './src/features/content/load.ts';
import { lessonSteps } from './src/features/lesson/lesson-steps.ts';
import { cspDirectives } from './src/lib/server/headers.ts';
import { bundleCli } from './src/cli/bundle-cli.mjs';

/**
 * Runs the content checker (what `npm run content:check` runs). `astro build` fails on any problem, listing each as
 * `file:line:col message`; `astro dev` only warns, and re-checks on every save under content/, so an author keeps a
 * live preview while fixing what the checker says.
 * @returns {import('astro').AstroIntegration}
 */
function contentCheck() {
  /** @param {URL} root */
  const problemsIn = async (root) =>
    checkContent(await loadContent(fileURLToPath(new URL('./content/', root)), 'content/')).map(formatProblem);
  /** @type {URL} */
  let root;
  return {
    name: 'frontline:content-check',
    hooks: {
      'astro:config:setup': async ({ config, command, logger }) => {
        root = config.root;
        if (command !== 'build' && command !== 'dev') return;
        const problems = await problemsIn(root);
        if (problems.length === 0) return;
        if (command === 'build') throw new Error(`content check failed:\n${problems.join('\n')}`);
        logger.warn(`content check:\n${problems.join('\n')}`);
      },
      'astro:server:setup': ({ server, logger }) => {
        const dir = fileURLToPath(new URL('./content/', root));
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        let timer;
        server.watcher.on('all', (_event, path) => {
          if (!path.startsWith(dir)) return;
          clearTimeout(timer);
          timer = setTimeout(async () => {
            const problems = await problemsIn(root);
            if (problems.length > 0) logger.warn(`content check:\n${problems.join('\n')}`);
            else logger.info('content check: OK');
          }, 300);
        });
      },
    },
  };
}

export default defineConfig({
  output: 'server',
  // Middleware mode: src/cli/serve.ts owns the HTTP server and the static files. bundleCli() builds it (and the
  // commands production runs) into dist/cli/.
  adapter: node({ mode: 'middleware' }),
  // Lessons read as steps (a label and a "Continue" link per `##` section): src/features/lesson/lesson-steps.ts.
  integrations: [contentCheck(), mdx({ processor: satteri({ hastPlugins: [lessonSteps] }) }), solid(), bundleCli()],
  security: {
    // Off here, on in src/middleware.ts (src/lib/server/origin-check.ts): the same check, with the one exemption
    // RFC 8058's one-click unsubscribe needs.
    checkOrigin: false,
    // Every action is a small form: the largest legitimate one (a quiz of 100 questions, or a judgment answer)
    // is a few KB. 64 KB leaves room and refuses oversized bodies with 413 before they are parsed.
    actionBodySizeLimit: 64 * 1024,
    // Astro hashes every inline script and style it emits (the island loader included) into each page's
    // Content-Security-Policy header, and src/layouts/Base.astro adds Solid's hydration script (src/lib/server/solid-csp.ts):
    // script-src needs no 'unsafe-inline'. Style attributes (a meter's width)
    // cannot be hashed: style-src-attr allows them, which lets no script run. Other responses get the same
    // directives from src/lib/server/headers.ts.
    csp: {
      directives: [...cspDirectives],
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
});
