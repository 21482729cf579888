/**
 * Assessment health: for every quiz, role-play and judgment case, the authoring lint's findings and what naive
 * strategies score through the real engines (naive-strategies.ts), with a verdict: certification content must keep
 * every naive strategy below its pass mark. Pure and plain data (no Maps), so the build can compute it once per
 * content version and store it (the `health` collection in src/content.config.ts); the trainer's health page
 * reads it and adds the item analysis from the database.
 */
import { certificationScope, lintContent, type Finding } from '../content/lint';
import { casesShownIn } from '../content/lint/scope';
import type { Content } from '../content/load';
import {
  simulateCase,
  simulateQuiz,
  simulateRoleplay,
  type Leak,
  type Strategy,
  type StrategyResult,
} from './naive-strategies';

interface Assessed {
  id: string;
  title: string;
  /** On certification content (content/lint/scope.ts). */
  certification: boolean;
  findings: Finding[];
  results: StrategyResult[];
  /** Strategies that get through (see StrategyResult.getsThrough). */
  through: Strategy[];
}

export interface QuizHealth extends Assessed {
  module: string;
  passMark: number;
  /** Questions per attempt, and in the pool. */
  asked: number;
  pool: number;
  leaks: Leak[];
}

export interface RoleplayHealth extends Assessed {
  module: string;
  /** The score naive runs are measured against: the lowest a track requires, else the role-play's passScore. */
  passScore: number;
  /** Tracks that require it. */
  requiredBy: string[];
  leaks: Leak[];
}

export interface CaseHealth extends Assessed {
  /** Lessons that show it. */
  modules: string[];
}

export interface TrackHealth {
  id: string;
  title: string;
  findings: Finding[];
  /** What belongs to the track: the quizzes of its modules, their role-plays and the cases their lessons show. */
  quizzes: string[];
  roleplays: string[];
  cases: string[];
}

export interface HealthReport {
  tracks: TrackHealth[];
  quizzes: QuizHealth[];
  roleplays: RoleplayHealth[];
  cases: CaseHealth[];
}

export function assessmentHealth(content: Content): HealthReport {
  const findings = lintContent(content);
  const scope = certificationScope(content);
  const about = (kind: Finding['subject']['kind'], id: string) =>
    findings.filter((f) => f.subject.kind === kind && f.subject.id === id);
  const through = (results: StrategyResult[]) => results.filter((r) => r.getsThrough).map((r) => r.strategy);
  const tracks = [...content.tracks.values()].flatMap((e) => (e.data ? [e.data] : []));

  const quizzes = [...content.quizzes.values()].flatMap((e): QuizHealth[] => {
    const quiz = e.data;
    if (!quiz) return [];
    const { results, leaks } = simulateQuiz(quiz);
    return [
      {
        id: quiz.id,
        title: quiz.title,
        module: quiz.module,
        certification: scope.quizzes.has(e.id),
        passMark: quiz.passMark,
        asked: Math.min(quiz.draw ?? quiz.questions.length, quiz.questions.length),
        pool: quiz.questions.length,
        findings: about('quiz', e.id),
        results,
        through: through(results),
        leaks,
      },
    ];
  });

  const roleplays = [...content.roleplays.values()].flatMap((e): RoleplayHealth[] => {
    const rp = e.data;
    if (!rp) return [];
    const requirements = tracks.flatMap((t) =>
      t.requires.flatMap((r) =>
        'roleplay' in r && r.roleplay === e.id ? [{ track: t.id, score: r.minScore ?? rp.passScore }] : [],
      ),
    );
    const passScore = requirements.length > 0 ? Math.min(...requirements.map((r) => r.score)) : rp.passScore;
    const { results, leaks } = simulateRoleplay(rp, passScore);
    return [
      {
        id: rp.id,
        title: rp.title,
        module: rp.module,
        certification: scope.roleplays.has(e.id),
        passScore,
        requiredBy: requirements.map((r) => r.track),
        findings: about('roleplay', e.id),
        results,
        through: through(results),
        leaks,
      },
    ];
  });

  const shownIn = new Map<string, string[]>();
  for (const [slug, lesson] of content.modules) {
    for (const id of casesShownIn(lesson.text)) shownIn.set(id, [...(shownIn.get(id) ?? []), slug]);
  }
  const cases = [...content.cases.values()].flatMap((e): CaseHealth[] => {
    const c = e.data;
    if (!c) return [];
    const { results } = simulateCase(c);
    return [
      {
        id: c.id,
        title: c.title,
        certification: scope.cases.has(e.id),
        modules: shownIn.get(e.id) ?? [],
        findings: about('case', e.id),
        results,
        through: through(results),
      },
    ];
  });

  const trackHealth = tracks.map((t): TrackHealth => {
    const quizIds = t.modules.flatMap((m) => {
      const quiz = content.modules.get(m)?.data?.quiz;
      return quiz && content.quizzes.has(quiz) ? [quiz] : [];
    });
    return {
      id: t.id,
      title: t.title,
      findings: about('track', t.id),
      quizzes: quizIds,
      roleplays: roleplays.filter((r) => t.modules.includes(r.module) || r.requiredBy.includes(t.id)).map((r) => r.id),
      cases: [...new Set(t.modules.flatMap((m) => casesShownIn(content.modules.get(m)?.text ?? '')))].filter((id) =>
        content.cases.has(id),
      ),
    };
  });

  return { tracks: trackHealth, quizzes, roleplays, cases };
}

export type AssessmentKind = 'quiz' | 'roleplay' | 'case';
export type Failing =
  { kind: 'quiz'; item: QuizHealth } | { kind: 'roleplay'; item: RoleplayHealth } | { kind: 'case'; item: CaseHealth };

/** Certification content that some naive strategy gets through: what the health page leads with. */
export function failingCertification(report: HealthReport): Failing[] {
  const failing = (a: Assessed) => a.certification && a.through.length > 0;
  return [
    ...report.quizzes.filter(failing).map((item) => ({ kind: 'quiz' as const, item })),
    ...report.roleplays.filter(failing).map((item) => ({ kind: 'roleplay' as const, item })),
    ...report.cases.filter(failing).map((item) => ({ kind: 'case' as const, item })),
  ];
}
