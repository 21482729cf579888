/**
 * Astro content collections over content/. The formats (with a doc comment per field) live in
 * src/features/content/schema.ts so that the checker, scripts and tests use exactly the same schemas without
 * Astro. A leading `_` in a file name hides a draft. Dev mode reloads any of these on save.
 *
 * `versions` is derived: one entry per module with its content version hash (src/features/content/version.ts),
 * recomputed whenever anything under content/ changes. So is `health`: one entry, the assessment health report
 * (lint findings and naive-strategy simulations, src/features/reports/assessment-health.ts), computed once per
 * content version at build (and on every save in dev) instead of on a trainer's request.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import type { Loader } from 'astro/loaders';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formatProblem, loadContent, loadOrganization } from './features/content/load';
import { organizationSchema } from './features/content/organization';
import {
  jobAidFrontmatterSchema,
  exerciseSchema,
  judgmentCaseSchema,
  moduleFrontmatterSchema,
  qualityScorecardSchema,
  quizSchema,
  roleplaySchema,
  standardSchema,
  trackSchema,
} from './features/content/schema';
import { moduleVersions } from './features/content/version';
import { assessmentHealth, type HealthReport } from './features/reports/assessment-health';

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

/** content/organization.yaml as a one-entry collection ("organization"): the values placeholders render. */
const organizationLoader: Loader = {
  name: 'organization',
  load: async ({ config, store, watcher, logger }) => {
    const dir = fileURLToPath(new URL('./content/', config.root));
    const sync = async () => {
      const { organization, problems } = await loadOrganization(dir);
      for (const problem of problems) logger.error(formatProblem(problem));
      store.clear();
      if (organization) store.set({ id: 'organization', data: organization });
    };
    await sync();
    watcher?.on('all', (_event, path) => {
      if (path.startsWith(dir)) sync().catch((error: unknown) => logger.error(`organization: ${String(error)}`));
    });
  },
};

const healthLoader: Loader = {
  name: 'assessment-health',
  load: async ({ config, store, watcher, logger }) => {
    const dir = fileURLToPath(new URL('./content/', config.root));
    const sync = async () => {
      const report = assessmentHealth(await loadContent(dir, 'content/'));
      store.clear();
      store.set({ id: 'report', data: { report } });
    };
    await sync();
    watcher?.on('all', (_event, path) => {
      if (path.startsWith(dir)) sync().catch((error: unknown) => logger.error(`assessment health: ${String(error)}`));
    });
  },
};

export const collections = {
  standards: defineCollection({ loader: yamlIn('standards'), schema: standardSchema }),
  modules: defineCollection({
    loader: glob({ pattern: '[^_]*.mdx', base: './content/modules' }),
    schema: moduleFrontmatterSchema,
  }),
  quizzes: defineCollection({ loader: yamlIn('quizzes'), schema: quizSchema }),
  roleplays: defineCollection({ loader: yamlIn('roleplays'), schema: roleplaySchema }),
  // Rubric criteria carry five level descriptors (the default rubric's are in schema.ts). Astro keeps parsed
  // entries until this file's text changes, so this line also retires entries parsed without them.
  cases: defineCollection({ loader: yamlIn('cases'), schema: judgmentCaseSchema }),
  exercises: defineCollection({ loader: yamlIn('exercises'), schema: exerciseSchema }),
  scorecards: defineCollection({ loader: yamlIn('scorecards'), schema: qualityScorecardSchema }),
  tracks: defineCollection({ loader: yamlIn('tracks'), schema: trackSchema }),
  jobAids: defineCollection({
    loader: glob({ pattern: '[^_]*.mdx', base: './content/job-aids' }),
    schema: jobAidFrontmatterSchema,
  }),
  organization: defineCollection({ loader: organizationLoader, schema: organizationSchema }),
  versions: defineCollection({ loader: versionsLoader, schema: z.strictObject({ version: z.string() }) }),
  // Built here from validated content by our own code, so it is typed rather than parsed again.
  health: defineCollection({ loader: healthLoader, schema: z.strictObject({ report: z.custom<HealthReport>() }) }),
};
