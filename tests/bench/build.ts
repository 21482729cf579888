/**
 * Bench part d: `astro build` and `content:check` wall time, for the real content/ and for a copy of the project
 * whose content/ has 100 more modules. Generated modules are real ones cloned under new ids — each with its own
 * quiz and judgment cases — so the checker and the build do the same work per module as for authored ones.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT } from '../helpers/server';

export interface BuildTimes {
  buildMs: number;
  checkMs: number;
  modules: number;
}
export interface BuildBench {
  real: BuildTimes | { buildMs: number };
  generated?: BuildTimes;
}

async function timed(args: string[], cwd: string): Promise<number> {
  const start = performance.now();
  await new Promise<void>((ok, fail) => {
    const p = spawn(NODE, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`)),
    );
  });
  return performance.now() - start;
}

/** Builds the project at `root` into `outDir`; returns the wall time. */
export async function buildApp(root: string, outDir: string): Promise<{ buildMs: number }> {
  return { buildMs: await timed([join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', outDir], root) };
}

async function checkTime(root: string): Promise<number> {
  return timed(['--import', 'tsx', join(ROOT, 'src/cli/content-check.ts'), join(root, 'content')], root);
}

/** Adds `n` modules to the content/ at `dir`, cloned round-robin from the real ones; returns the module count. */
export function generateModules(dir: string, n: number): number {
  const modules = readdirSync(join(dir, 'modules')).filter((f) => /^[^_].*\.mdx$/.test(f));
  for (let i = 0; i < n; i++) {
    const source = modules[i % modules.length]!.replace(/\.mdx$/, '');
    const slug = `generated-${String(i + 1).padStart(3, '0')}-${source}`;
    let mdx = readFileSync(join(dir, 'modules', `${source}.mdx`), 'utf8').replace(
      /^title: (.*)$/m,
      `title: "Generated ${i + 1}: $1"`,
    );
    const quiz = /^quiz: ([a-z0-9-]+)$/m.exec(mdx)?.[1];
    if (quiz) {
      const yaml = readFileSync(join(dir, 'quizzes', `${quiz}.yaml`), 'utf8')
        .replace(/^id: .*$/m, `id: ${slug}-quiz`)
        .replace(/^module: .*$/m, `module: ${slug}`);
      writeFileSync(join(dir, 'quizzes', `${slug}-quiz.yaml`), yaml);
      mdx = mdx
        .replaceAll(`quiz: ${quiz}`, `quiz: ${slug}-quiz`)
        .replaceAll(`<Quiz id="${quiz}"`, `<Quiz id="${slug}-quiz"`);
    }
    for (const [, caseId] of mdx.matchAll(/<JudgmentCase id="([a-z0-9-]+)"/g)) {
      const copy = `${slug}-${caseId}`;
      writeFileSync(
        join(dir, 'cases', `${copy}.yaml`),
        readFileSync(join(dir, 'cases', `${caseId}.yaml`), 'utf8').replace(/^id: .*$/m, `id: ${copy}`),
      );
      mdx = mdx.replaceAll(`<JudgmentCase id="${caseId}"`, `<JudgmentCase id="${copy}"`);
    }
    writeFileSync(join(dir, 'modules', `${slug}.mdx`), mdx);
  }
  return modules.length + n;
}

/** A copy of the project (sources and content; node_modules linked) under `dir`. */
function copyProject(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['src', 'public', 'db', 'content', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

export async function benchBuild(opts: {
  work: string;
  real?: { buildMs: number };
  log: (s: string) => void;
}): Promise<BuildBench> {
  const realModules = readdirSync(join(ROOT, 'content/modules')).filter((f) => /^[^_].*\.mdx$/.test(f)).length;
  const realBuild = opts.real ?? (await buildApp(ROOT, join(opts.work, 'dist-real')));
  const realCheck = await checkTime(ROOT);
  const copy = join(opts.work, 'project-100');
  copyProject(copy);
  const modules = generateModules(join(copy, 'content'), 100);
  opts.log(`  d. ${modules} modules: content check and build…`);
  const checkMs = await checkTime(copy);
  const { buildMs } = await buildApp(copy, join(opts.work, 'dist-100'));
  return { real: { ...realBuild, checkMs: realCheck, modules: realModules }, generated: { buildMs, checkMs, modules } };
}
