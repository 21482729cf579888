/**
 * `npm run content:check`: validate everything under content/ and print `file:line:col message` per problem.
 * Exits 1 when there is any problem, so `npm test` and the build stop on broken content.
 * An optional argument checks another directory (e.g. a fixture): `npm run content:check -- tests/fixtures/…`.
 */
import { relative, resolve } from 'node:path';
import { checkContent } from '../features/content/check';
import { formatProblem, loadContent } from '../features/content/load';

const dir = resolve(process.argv[2] ?? 'content');
const prefix = `${relative(process.cwd(), dir).split('\\').join('/') || '.'}/`;
const content = await loadContent(dir, prefix);
const problems = checkContent(content);

for (const problem of problems) console.error(formatProblem(problem));
const counts = (['standards', 'modules', 'quizzes', 'roleplays', 'cases', 'exercises', 'tracks'] as const)
  .map((kind) => `${content[kind].size} ${kind}`)
  .join(', ');
if (problems.length > 0) {
  console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${prefix} (${counts})`);
  process.exit(1);
}
console.log(`content OK: ${counts}`);
