/**
 * A few months of history for the demo organization, so that /team, /trainer and /learn open on a story instead of
 * empty charts. Each person follows a short script (pass or fail this quiz on that day, play that role-play well or
 * badly); the records are made by the real engines, as in large.ts: questions drawn and graded by the quiz
 * engine, role-plays walked with the traversal functions, certificates decided and planned by the certification
 * rules after every result, in time order, as `updateCertifications` does for real use. The scripts are in
 * history-scripts.ts.
 */
import { randomInt } from 'node:crypto';
import type { Tx } from '../../../db/client';
import {
  assignmentTable,
  certificateTable,
  certificationEventTable,
  judgmentAnswerTable,
  judgmentReviewTable,
  quizAnswerTable,
  quizAttemptTable,
  roleplayRunTable,
  roleplayStepTable,
  standardResultTable,
} from '../../../db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import { answerFor, loadCatalog, type Catalog } from './large';
import { loadContent } from '../../features/content/load';
import type { JudgmentCase, Track } from '../../features/content/schema';
import {
  cycleStart,
  decideCertification,
  latestCertificate,
  mayIssue,
  planIssue,
  type CertificateFacts,
  type Results,
} from '../../features/certification/certification';
import { seededRandom } from '../../lib/random';
import { drawQuestions, gradeAttempt, type Answers } from '../../features/quiz/quiz';
import { applyChoice, initialPosition, type RunPosition } from '../../features/roleplay/roleplay';
import { newId, randomToken } from '../../lib/server/ids';
import { newRunSecrets } from '../../features/roleplay/reply-tokens.server';
import { demoScripts } from './history-scripts';

const DAY = 86_400_000;

interface Who {
  id: string;
  job: 'rep' | 'manager';
}

/** A graded attempt with the wanted outcome: the first of a fixed series of seeds whose simulated answers give it. */
function attempt(c: Catalog, job: Who['job'], quizId: string, pass: boolean, salt: number) {
  const quiz = c.quizzes[job].find((q) => q.id === quizId);
  if (!quiz) throw new Error(`demo history: no ${job} quiz ${quizId}`);
  for (let i = 0; i < 200; i++) {
    const seed = salt * 1000 + i;
    const random = seededRandom(seed);
    const frozen = drawQuestions(quiz, seed);
    const answers: Answers = {};
    for (const f of frozen) answers[f.id] = answerFor(quiz, f, pass ? 0.97 : 0.55, random);
    const grade = gradeAttempt(quiz, frozen, answers);
    if (grade.passed === pass) return { quiz, seed, frozen, grade };
  }
  throw new Error(`demo history: no ${pass ? 'passing' : 'failing'} attempt found for ${quizId}`);
}

/** A run that takes the best reply at every turn (good) or the first other one (bad), to its ending. */
function walk(c: Catalog, job: Who['job'], roleplayId: string, good: boolean) {
  const rp = c.roleplays[job].find((r) => r.id === roleplayId);
  if (!rp) throw new Error(`demo history: no ${job} role-play ${roleplayId}`);
  let pos: RunPosition = initialPosition(rp);
  const steps: { nodeId: string; choiceId: string; state: unknown; honours: string[]; breaks: string[] }[] = [];
  while (steps.length < 40) {
    const choices = rp.nodes[pos.nodeId]!.choices;
    const choice = (good ? choices.find((ch) => ch.best) : choices.find((ch) => !ch.best)) ?? choices[0]!;
    const out = applyChoice(rp, pos, choice.id);
    if (!out.ok) throw new Error(`demo history: ${roleplayId} refused ${choice.id}`);
    steps.push({
      nodeId: pos.nodeId,
      choiceId: choice.id,
      state: out.state,
      honours: choice.honours,
      breaks: choice.breaks,
    });
    if (out.next.kind === 'ending')
      return {
        rp,
        steps,
        end: { nodeId: pos.nodeId, state: out.state, id: out.next.id, score: out.next.ending.score },
      };
    pos = { nodeId: out.next.id, state: out.state };
  }
  throw new Error(`demo history: ${roleplayId} did not end`);
}

/**
 * Writes the scripts' records for the people given (email → id and job) through `tx`, dated before `at`, with the
 * certificates the rules issue after each result and the renewal notice of a certificate inside its window.
 */
export async function insertDemoHistory(tx: Tx, people: Map<string, Who>, at: number): Promise<void> {
  const c = await loadCatalog();
  const cases = (await loadContent('content')).cases;
  let salt = 1;
  for (const [email, script] of Object.entries(demoScripts)) {
    const who = people.get(email);
    if (!who) throw new Error(`demo history: no demo person ${email}`);
    const results: { quizzes: Results['quizzes'][number][]; roleplays: Results['roleplays'][number][] } = {
      quizzes: [],
      roleplays: [],
    };
    const certificates = new Map<string, CertificateFacts[]>();
    // Every track is decided after each result, as updateCertifications does: a manager who has finished the frontline
    // part of the manager track also holds the frontline certificate.
    const tracks: Track[] = [...c.tracks.rep, ...c.tracks.manager];

    for (const step of [...script].sort((a, b) => b.daysAgo - a.daysAgo)) {
      const when = Math.round(at - step.daysAgo * DAY);
      if ('quiz' in step) {
        const { quiz, seed, frozen, grade } = attempt(c, who.job, step.quiz, step.pass, salt++);
        const id = newId();
        const startedAt = when - 12 * 60_000;
        const contentVersion = c.moduleVersion.get(quiz.module) ?? '';
        await tx.insert(quizAttemptTable).values({
          id,
          userId: who.id,
          quizId: quiz.id,
          moduleId: quiz.module,
          mode: quiz.mode,
          contentVersion,
          seed,
          questions: frozen,
          startedAt,
          deadlineAt: quiz.timeLimitMinutes ? startedAt + quiz.timeLimitMinutes * 60_000 : null,
          submittedAt: when,
          status: 'submitted',
          score: grade.score,
          passed: grade.passed,
        });
        await tx.insert(quizAnswerTable).values(
          grade.questions.map((g) => ({
            attemptId: id,
            questionId: g.id,
            chosen: g.chosen,
            correct: g.correct,
            standards: g.standards,
          })),
        );
        const touched = grade.questions
          .filter((g) => g.chosen.length > 0)
          .flatMap((g) => g.standards.map((s) => ({ s, ok: g.correct })));
        if (touched.length)
          await tx.insert(standardResultTable).values(
            touched.map(({ s, ok }) => ({
              id: newId(),
              userId: who.id,
              standardId: s,
              source: 'quiz' as const,
              sourceId: id,
              ok,
              at: when,
            })),
          );
        if (quiz.mode === 'certification')
          results.quizzes.push({ quizId: quiz.id, score: grade.score, contentVersion, at: when });
      } else if ('roleplay' in step) {
        const { rp, steps, end } = walk(c, who.job, step.roleplay, step.good);
        const id = newId();
        const startedAt = when - steps.length * 45_000;
        await tx.insert(roleplayRunTable).values({
          id,
          userId: who.id,
          roleplayId: rp.id,
          contentVersion: c.roleplayVersion.get(rp.id)!,
          status: 'ended',
          nodeId: end.nodeId,
          state: end.state,
          step: steps.length,
          ...newRunSecrets(randomInt(0, 2 ** 32)),
          endingId: end.id,
          score: end.score,
          startedAt,
          endedAt: when,
        });
        await tx.insert(roleplayStepTable).values(
          steps.map((s, i) => ({
            runId: id,
            step: i,
            nodeId: s.nodeId,
            choiceId: s.choiceId,
            stateAfter: s.state,
            at: startedAt + (i + 1) * 45_000,
          })),
        );
        const touched = steps.flatMap((s) => [
          ...s.honours.map((h) => ({ s: h, ok: true })),
          ...s.breaks.map((b) => ({ s: b, ok: false })),
        ]);
        if (touched.length)
          await tx.insert(standardResultTable).values(
            touched.map(({ s, ok }) => ({
              id: newId(),
              userId: who.id,
              standardId: s,
              source: 'roleplay' as const,
              sourceId: id,
              ok,
              at: when,
            })),
          );
        results.roleplays.push({ roleplayId: rp.id, score: end.score, at: when });
      } else {
        const jc: JudgmentCase | undefined = cases.get(step.case)?.data;
        const option = jc?.options[step.option];
        if (!jc?.prompt || !option) throw new Error(`demo history: no written case ${step.case}`);
        const answerId = newId();
        await tx.insert(judgmentAnswerTable).values({
          id: answerId,
          userId: who.id,
          caseId: jc.id,
          optionId: option.id,
          text: step.text,
          autoScore: option.score,
          createdAt: when,
        });
        if (step.review) {
          const reviewer = people.get(step.review.by)!;
          const rating = step.review.rating;
          await tx.insert(judgmentReviewTable).values({
            answerId,
            reviewerId: reviewer.id,
            ratings: Object.fromEntries(jc.rubric.map((r) => [r.id, rating])),
            comment: step.review.comment,
            createdAt: at - step.review.daysAgo * DAY,
          });
        }
        continue;
      }
      await certify(tx, c, who, tracks, results, certificates, when);
    }
    for (const track of tracks) {
      const latest = latestCertificate(certificates.get(track.id) ?? []);
      await closeOnboarding(tx, who.id, track.id, latest, certificates.get(track.id) ?? []);
      if (latest && mayIssue(latest, at)) {
        await tx.insert(assignmentTable).values({
          id: newId(),
          userId: who.id,
          trackId: track.id,
          dueAt: latest.expiresAt,
          mandatory: true,
          kind: 'renewal',
          certificateId: latest.id,
          createdAt: latest.expiresAt - 30 * DAY,
        });
      }
    }
  }
}

/** What `updateCertifications` does after a result, on the results so far: issue or renew where the rules say so. */
async function certify(
  tx: Tx,
  c: Catalog,
  who: Who,
  tracks: Track[],
  results: Results,
  certificates: Map<string, CertificateFacts[]>,
  when: number,
) {
  const rules = {
    quizPassMark: (id: string) => c.quizzes[who.job].find((q) => q.id === id)?.passMark,
    roleplayPassScore: (id: string) => c.roleplays[who.job].find((r) => r.id === id)?.passScore,
    // The demo history makes no calibration exercise attempts: a track that requires one is not met here.
    exercisePassMark: () => undefined,
  };
  for (const track of tracks) {
    const held = certificates.get(track.id) ?? [];
    const latest = latestCertificate(held);
    if (!mayIssue(latest, when) || !decideCertification(track, results, rules, cycleStart(latest)).met) continue;
    const plan = planIssue(latest, track.validityMonths, when);
    const moduleVersions = Object.fromEntries(track.modules.map((m) => [m, c.moduleVersion.get(m) ?? '']));
    const cert = {
      id: newId(),
      code: randomToken(20),
      userId: who.id,
      trackId: track.id,
      issuedAt: when,
      expiresAt: plan.expiresAt,
      replacesId: plan.replacesId,
      moduleVersions,
      revokedAt: null,
    };
    await tx.insert(certificateTable).values(cert);
    await tx.insert(certificationEventTable).values({
      id: newId(),
      userId: who.id,
      trackId: track.id,
      certificateId: cert.id,
      kind: plan.kind,
      detail: { expiresAt: cert.expiresAt, replaces: plan.replacesId, moduleVersions },
      at: when,
    });
    certificates.set(track.id, [...held, cert]);
  }
}

/** The onboarding row written with the account is complete once the first certificate of its track was issued. */
async function closeOnboarding(
  tx: Tx,
  userId: string,
  trackId: string,
  latest: CertificateFacts | undefined,
  held: CertificateFacts[],
) {
  if (!latest) return;
  const first = Math.min(...held.map((h) => h.issuedAt));
  await tx
    .update(assignmentTable)
    .set({ completedAt: first })
    .where(
      and(
        eq(assignmentTable.userId, userId),
        eq(assignmentTable.trackId, trackId),
        eq(assignmentTable.kind, 'onboarding'),
        isNull(assignmentTable.completedAt),
      ),
    );
}
