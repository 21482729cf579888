/**
 * `npm run content:check`: validate everything under content/ and print `file:line:col message` per problem, then
 * the authoring lint's findings as `file:line:col warning: message [rule]`, each with a suggestion.
 * Exits 1 when there is any problem (so `npm test` and the build stop on broken content); warnings alone exit 0.
 *
 *   --strict   findings on certification content count as errors (printed without `warning:`, exit 1)
 *   --drafts   also check `_`-prefixed drafts; a draft stands in for the published file of the same id
 *   [dir]      check another directory (e.g. a fixture): `npm run content:check -- tests/fixtures/…`
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent } from '../features/content/check';
import { formatFinding, lintContent } from '../features/content/lint';
import { formatProblem, loadContent } from '../features/content/load';

const { values, positionals } = parseArgs({
  options: { strict: { type: 'boolean', default: false }, drafts: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const dir = resolve(positionals[0] ?? 'content');
const prefix = `${relative(process.cwd(), dir).split('\\').join('/') || '.'}/`;
const content = await loadContent(dir, prefix, { drafts: values.drafts });
const problems = checkContent(content);
// Lint reads valid data only: with problems, findings could be about a file that is half read.
const findings = problems.length === 0 ? lintContent(content) : [];
const isError = (f: (typeof findings)[number]) => values.strict && f.certification;

for (const problem of problems) console.error(formatProblem(problem));
for (const finding of findings) console.error(formatFinding(finding, isError(finding)));

const counts = (
  ['standards', 'modules', 'quizzes', 'roleplays', 'cases', 'exercises', 'scorecards', 'tracks', 'jobAids'] as const
)
  .map((kind) => `${content[kind].size} ${kind === 'jobAids' ? 'job aids' : kind}`)
  .join(', ');
const errors = problems.length + findings.filter(isError).length;
const warnings = findings.length - findings.filter(isError).length;
const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const what = [
  problems.length > 0 && s(problems.length, 'problem'),
  findings.some(isError) && s(findings.filter(isError).length, 'lint error') + ' on certification content',
  warnings > 0 && s(warnings, 'warning'),
]
  .filter(Boolean)
  .join(', ');
const mode = [values.strict && 'strict', values.drafts && 'with drafts'].filter(Boolean).join(', ');
if (errors > 0) {
  console.error(`\n${what} in ${prefix} (${counts}${mode ? `; ${mode}` : ''})`);
  process.exit(1);
}
console.log(
  `${warnings > 0 ? '\n' : ''}content OK${warnings > 0 ? ` with ${what}` : ''}: ${counts}${mode ? ` (${mode})` : ''}`,
);
