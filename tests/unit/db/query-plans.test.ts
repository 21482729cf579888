/**
 * Query plans of the reads that must stay fast in a large organization (10,000 learners, 1,000,000 attempts):
 * the team dashboard, the admin overview, a learner's own pages, the verify page and the trainer's item analysis.
 * Each is written here as the SQL those features run (src/features/reports/team.server.ts, overview.server.ts,
 * assignments.server.ts, quiz.server.ts, certification.server.ts, trainer.server.ts) and checked with EXPLAIN
 * QUERY PLAN on the migrated schema — no ANALYZE, as in production — so that dropping or changing an index they
 * rely on fails here. Rule: a big table is only ever SEARCHed through an index, never SCANned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getClient } from '../../../db/client';
import { freshDb } from '../../helpers/db';

const BIG = [
  'item_tally',
  'quiz_attempt',
  'quiz_answer',
  'standard_result',
  'roleplay_run',
  'roleplay_step',
  'certification_event',
  'certificate',
  'assignment',
  'judgment_answer',
  'membership',
  'user',
];
const team = `'u1','u2','u3','u4','u5','u6','u7','u8','u9','u10','u11','u12','u13','u14','u15','u16','u17','u18','u19','u20'`;

/** Query name → SQL, and the index each big table must be searched with. */
const queries: Record<string, { sql: string; uses: Record<string, string> }> = {
  'team members': {
    sql: `SELECT u.id, u.name FROM membership m JOIN user u ON u.id = m.user_id WHERE m.team_id IN ('t1') AND m.kind = 'member' AND u.active = 1 ORDER BY u.name, u.id`,
    uses: { membership: 'membership_team', user: 'sqlite_autoindex_user_1' },
  },
  'team: assignments with derived completion': {
    sql: `SELECT a.id, (SELECT min(c.issued_at) FROM certificate c WHERE c.user_id = a.user_id AND c.track_id = a.track_id AND c.issued_at >= a.created_at) FROM assignment a WHERE a.user_id IN (${team})`,
    uses: { assignment: 'assignment_user', certificate: 'certificate_user_track' },
  },
  'team: certificates': {
    sql: `SELECT id, user_id, track_id, issued_at, expires_at, revoked_at FROM certificate WHERE user_id IN (${team})`,
    uses: { certificate: 'certificate_user_track' },
  },
  'team: passed certification attempts': {
    sql: `SELECT user_id, quiz_id, score, submitted_at, content_version FROM quiz_attempt WHERE user_id IN (${team}) AND mode = 'certification' AND passed = 1`,
    uses: { quiz_attempt: 'attempt_user_quiz' },
  },
  'team: ended role-play runs': {
    sql: `SELECT user_id, roleplay_id, score, ended_at FROM roleplay_run WHERE user_id IN (${team}) AND status = 'ended'`,
    uses: { roleplay_run: 'run_user_roleplay' },
  },
  'team: latest attempt per person': {
    sql: `SELECT user_id, max(started_at) FROM quiz_attempt WHERE user_id IN (${team}) GROUP BY user_id`,
    uses: { quiz_attempt: 'attempt_user_quiz' },
  },
  'team: latest judgment answer per person': {
    sql: `SELECT user_id, max(created_at) FROM judgment_answer WHERE user_id IN (${team}) GROUP BY user_id`,
    uses: { judgment_answer: 'judgment_user' },
  },
  'team: results per standard': {
    sql: `SELECT standard_id, sum(ok), count(*) FROM standard_result WHERE user_id IN (${team}) AND at >= 0 GROUP BY standard_id`,
    uses: { standard_result: 'standard_result_user' },
  },
  'team: monthly quiz scores': {
    sql: `SELECT strftime('%Y-%m', submitted_at / 1000, 'unixepoch') AS m, sum(score), count(*) FROM quiz_attempt
          WHERE user_id IN (${team}) AND status = 'submitted' AND mode = 'certification' AND submitted_at >= 0 GROUP BY m`,
    uses: { quiz_attempt: 'attempt_user_quiz' },
  },
  'admin overview: a page of teams': {
    sql: `SELECT id, name FROM team WHERE organization_id = 'o' ORDER BY name, id LIMIT 25 OFFSET 100`,
    uses: { team: 'team_org_name' },
  },
  'learner: attempts of one quiz': {
    sql: `SELECT * FROM quiz_attempt WHERE user_id = 'u' AND quiz_id = 'q' AND started_at >= 0 ORDER BY started_at`,
    uses: { quiz_attempt: 'attempt_user_quiz' },
  },
  'learner: latest attempts': {
    sql: `SELECT * FROM quiz_attempt WHERE user_id = 'u' ORDER BY started_at DESC`,
    uses: { quiz_attempt: 'attempt_user_quiz' },
  },
  'result page: an attempt and its answers': {
    sql: `SELECT * FROM quiz_answer WHERE attempt_id = 'a'`,
    uses: { quiz_answer: 'sqlite_autoindex_quiz_answer_1' },
  },
  'verify page: a certificate and its history': {
    sql: `SELECT e.* FROM certificate c JOIN certification_event e ON e.certificate_id = c.id WHERE c.code = 'code' ORDER BY e.at`,
    uses: { certificate: 'certificate_code', certification_event: 'cert_event_certificate' },
  },
  'trainer: item analysis of one quiz for one team (sums over its members’ attempts)': {
    sql: `WITH a AS MATERIALIZED (
            SELECT q.id, coalesce(q.score, 0) AS score FROM membership m JOIN user u ON u.id = m.user_id AND u.organization_id = 'o'
            CROSS JOIN quiz_attempt q INDEXED BY attempt_user_quiz ON q.user_id = m.user_id AND q.quiz_id = 'q'
            WHERE m.team_id = 't' AND m.kind = 'member' AND q.status = 'submitted' AND q.mode = 'certification' AND q.submitted_at >= 0 AND q.submitted_at < 9)
          SELECT '' AS questionId, score, '' AS optionId, count(*) AS answers, 0 AS correct FROM a GROUP BY score
          UNION ALL SELECT x.question_id, a.score, '', count(*), sum(x.correct) FROM a JOIN quiz_answer x ON x.attempt_id = a.id GROUP BY x.question_id, a.score
          UNION ALL SELECT x.question_id, a.score, j.value, count(*), sum(x.correct) FROM a JOIN quiz_answer x ON x.attempt_id = a.id, json_each(x.chosen) j
            GROUP BY x.question_id, a.score, j.value`,
    uses: {
      membership: 'membership_team',
      user: 'sqlite_autoindex_user_1',
      quiz_attempt: 'attempt_user_quiz',
      quiz_answer: 'sqlite_autoindex_quiz_answer_1',
    },
  },
  'trainer: item analysis of one quiz for the whole organization (tallies)': {
    sql: `SELECT question_id, score, option_id, sum(answers), sum(correct) FROM item_tally WHERE organization_id = 'o' AND quiz_id = 'q'
          AND day >= 0 AND day < 9 GROUP BY question_id, score, option_id`,
    uses: { item_tally: 'sqlite_autoindex_item_tally_1' },
  },
  'xAPI: attempts after a point in time, in order': {
    sql: `SELECT a.id FROM quiz_attempt a CROSS JOIN user u ON u.id = a.user_id WHERE a.status = 'submitted' AND a.submitted_at >= 5
          AND u.organization_id = 'o' ORDER BY a.submitted_at, a.id LIMIT 200`,
    uses: { quiz_attempt: 'attempt_submitted', user: 'sqlite_autoindex_user_1' },
  },
};

async function plan(sql: string): Promise<string[]> {
  return (await getClient().execute(`EXPLAIN QUERY PLAN ${sql}`)).rows.map((r) => String(r.detail));
}

describe('query plans for large organizations', () => {
  beforeAll(async () => {
    await freshDb();
  });

  for (const [name, q] of Object.entries(queries)) {
    it(`${name}: searches every big table through its index`, async () => {
      const lines = await plan(q.sql);
      for (const line of lines) {
        const scanned = /^SCAN (\w+)/.exec(line)?.[1];
        expect(BIG.includes(scanned ?? ''), `${name} scans ${scanned}: ${lines.join(' | ')}`).toBe(false);
      }
      for (const [table, index] of Object.entries(q.uses)) {
        const alias = new RegExp(`^SEARCH (?:${table}|\\w+) USING (?:COVERING )?INDEX ${index} `);
        expect(
          lines.some((l) => alias.test(l)),
          `${name}: ${table} via ${index}: ${lines.join(' | ')}`,
        ).toBe(true);
      }
    });
  }
});
