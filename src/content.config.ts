/**
 * Astro content collections over content/. The formats (with a doc comment per field) live in
 * src/features/content/schema.ts so that the checker, scripts and tests use exactly the same schemas without
 * Astro. A leading `_` in a file name hides a draft. Dev mode reloads any of these on save.
 *
 * `versions` is derived: one entry per module with its content version hash (src/features/content/version.ts),
 * recomputed whenever anything under content/ changes.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import type { Loader } from 'astro/loaders';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadContent } from './features/content/load';
import {
  exerciseSchema,
  judgmentCaseSchema,
  moduleFrontmatterSchema,
  quizSchema,
  roleplaySchema,
  standardSchema,
  trackSchema,
} from './features/content/schema';
import { moduleVersions } from './features/content/version';

const yamlIn = (folder: string) => glob({ pattern: '[^_]*.yaml', base: `./content/${folder}` });

const versionsLoader: Loader = {
  name: 'content-versions',
  load: async ({ config, store, watcher, logger }) => {
    const dir = fileURLToPath(new URL('./content/', config.root));
    const sync = async () => {
      const versions = moduleVersions(await loadContent(dir));
      store.clear();
      for (const [id, version] of versions) store.set({ id, data: { version } });
    };
    await sync();
    watcher?.on('all', (_event, path) => {
      if (path.startsWith(dir)) sync().catch((error: unknown) => logger.error(`content versions: ${String(error)}`));
    });
  },
};

export const collections = {
  standards: defineCollection({ loader: yamlIn('standards'), schema: standardSchema }),
  modules: defineCollection({ loader: glob({ pattern: '[^_]*.mdx', base: './content/modules' }), schema: moduleFrontmatterSchema }),
  quizzes: defineCollection({ loader: yamlIn('quizzes'), schema: quizSchema }),
  roleplays: defineCollection({ loader: yamlIn('roleplays'), schema: roleplaySchema }),
  cases: defineCollection({ loader: yamlIn('cases'), schema: judgmentCaseSchema }),
  exercises: defineCollection({ loader: yamlIn('exercises'), schema: exerciseSchema }),
  tracks: defineCollection({ loader: yamlIn('tracks'), schema: trackSchema }),
  versions: defineCollection({ loader: versionsLoader, schema: z.strictObject({ version: z.string() }) }),
};
