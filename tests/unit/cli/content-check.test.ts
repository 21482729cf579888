/**
 * `npm run content:check` as authors run it, on copies of the lint-clean fixture tree: problems keep their format
 * and exit code, lint findings print as warnings (exit 0) unless `--strict` makes those on certification content
 * errors, and `--drafts` checks `_`-prefixed drafts in place of the files they rework.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the clean tree with `edits` (path → new text) applied. */
function contentDir(edits: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fa-content-check-'));
  made.push(dir);
  cpSync('tests/fixtures/lint/clean', dir, { recursive: true });
  for (const [path, text] of Object.entries(edits)) writeFileSync(join(dir, path), text);
  return dir;
}

function run(dir: string, ...flags: string[]) {
  const out = spawnSync('node_modules/.bin/node', ['--import', 'tsx', 'src/cli/content-check.ts', ...flags, dir], {
    encoding: 'utf8',
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr, prefix: `${relative(process.cwd(), dir)}/` };
}

const quiz = readFileSync('tests/fixtures/lint/clean/quizzes/greeting-quiz.yaml', 'utf8');
const everyQuestion = quiz.replace('draw: 6\n', '');

describe('content:check', () => {
  it('passes clean content with exit 0 and nothing on stderr', () => {
    const r = run(contentDir());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'content OK: 2 standards, 1 modules, 1 quizzes, 1 roleplays, 1 cases, 0 exercises, 0 scorecards, 1 tracks, 0 job aids\n',
    );
  });

  it('prints findings as warnings with a suggestion, and still exits 0', () => {
    const r = run(contentDir({ 'quizzes/greeting-quiz.yaml': everyQuestion }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${r.prefix}quizzes/greeting-quiz.yaml:7:1 warning: the quiz asks all 9 of its questions on every attempt, so a retake is the same test and the answers can be memorised [small-pool]\n` +
        '    suggestion: add `draw: 9` and 5 more questions (a pool of at least 14, 1.5 × the draw), or draw fewer\n',
    );
    expect(r.stdout).toContain('content OK with 1 warning: 2 standards');
  });

  it('--strict turns findings on certification content into errors (exit 1)', () => {
    const r = run(contentDir({ 'quizzes/greeting-quiz.yaml': everyQuestion }), '--strict');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${r.prefix}quizzes/greeting-quiz.yaml:7:1 the quiz asks all 9 of its questions`);
    expect(r.stderr).not.toContain('warning:');
    expect(r.stderr).toContain('1 lint error on certification content in');
  });

  it('--strict leaves findings on practice content as warnings', () => {
    const r = run(
      contentDir({
        'quizzes/greeting-quiz.yaml': everyQuestion
          .replace('mode: certification', 'mode: practice')
          .replace('draw: 6\n', ''),
      }),
      '--strict',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('keeps the format and exit code of real problems', () => {
    const r = run(
      contentDir({
        'quizzes/greeting-quiz.yaml': quiz.replace('standards: [greet-by-name]', 'standards: [greet-by-nam]'),
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`${r.prefix}quizzes/greeting-quiz.yaml:12:17 unknown standard "greet-by-nam"`);
    expect(r.stderr).toContain('1 problem in');
  });

  it('--drafts checks a draft in place of the file it reworks', () => {
    const dir = contentDir({ 'quizzes/_greeting-quiz.yaml': everyQuestion });
    expect(run(dir).stderr).toBe('');
    const r = run(dir, '--drafts');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${r.prefix}quizzes/_greeting-quiz.yaml:7:1 warning: the quiz asks all 9`);
    expect(r.stdout).toContain('(with drafts)');
  });
});
