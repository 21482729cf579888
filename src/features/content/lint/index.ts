/**
 * The authoring lint over all content: every rule, each finding marked whether it is on certification content.
 * Pure; `npm run content:check` prints the findings and the health page shows them per quiz, role-play and case.
 */
import type { Content } from '../load';
import { lintCase } from './case';
import type { Finding } from './finding';
import { lintQuiz } from './quiz';
import { lintRecall } from './recall';
import { lintRoleplay } from './roleplay';
import { certificationScope } from './scope';
import { lintTrack } from './track';

export { lintLimits, lintRuleLabels, lintRules, type Finding, type LintRule, type Subject } from './finding';
export { certificationScope, type CertificationScope } from './scope';

export function lintContent(content: Content): Finding[] {
  const scope = certificationScope(content);
  const findings = [
    ...[...content.quizzes.values()].flatMap((e) => lintQuiz(e, scope.quizzes.has(e.id))),
    ...[...content.roleplays.values()].flatMap((e) => lintRoleplay(e, scope.roleplays.has(e.id))),
    ...[...content.cases.values()].flatMap((e) => lintCase(e, scope.cases.has(e.id))),
    ...[...content.tracks.values()].flatMap((e) => lintTrack(e, content)),
    ...lintRecall(content, scope),
  ];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

/** `file:line:col warning: message` (or without `warning:` when it counts as an error), then the suggestion. */
export function formatFinding(f: Finding, asError = false): string {
  return `${f.file}:${f.line}:${f.col} ${asError ? '' : 'warning: '}${f.message} [${f.rule}]\n    suggestion: ${f.suggestion}`;
}
