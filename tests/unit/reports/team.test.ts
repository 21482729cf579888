import { describe, expect, it } from 'vitest';
import type { Track } from '~/features/content/schema';
import { recordsToCsv } from '~/features/reports/csv';
import { standardBars, teamCsvColumns, teamCsvRows, trackProgress, type TeamPerson } from '~/features/reports/team';
import { readTrainerFilters } from '~/features/reports/trainer-filters';

const DAY = 86_400_000;
const T = Date.UTC(2026, 5, 15);
const track: Track = {
  id: 'rep',
  title: 'Rep track',
  summary: 's',
  audience: 'rep',
  mandatory: true,
  dueDays: 30,
  validityMonths: 12,
  modules: ['a', 'b'],
  requires: [{ quiz: 'qa' }, { quiz: 'qb' }, { roleplay: 'rp', minScore: 70 }],
};
const rules = { quizPassMark: () => 80, roleplayPassScore: () => 60, exercisePassMark: () => 90 };
const pass = (quizId: string, at: number) => ({ quizId, score: 90, contentVersion: 'v', at });

describe('trackProgress', () => {
  it('counts requirements met by any result when there is no certificate yet', () => {
    const results = { quizzes: [pass('qa', T - 100 * DAY)], roleplays: [{ roleplayId: 'rp', score: 75, at: T - DAY }] };
    expect(trackProgress(track, results, [], rules, T)).toEqual({ done: 2, total: 3, renewal: false });
  });

  it('uses the role-play’s minScore from the track, not its pass score', () => {
    const results = { quizzes: [], roleplays: [{ roleplayId: 'rp', score: 65, at: T - DAY }] };
    expect(trackProgress(track, results, [], rules, T).done).toBe(0);
  });

  it('counts only the new cycle once the renewal window is open', () => {
    const cert = {
      id: 'c',
      userId: 'u',
      trackId: 'rep',
      issuedAt: T - 340 * DAY,
      expiresAt: T + 20 * DAY,
      revokedAt: null,
    };
    const results = { quizzes: [pass('qa', T - 350 * DAY), pass('qb', T - 5 * DAY)], roleplays: [] };
    expect(trackProgress(track, results, [cert], rules, T)).toEqual({ done: 1, total: 3, renewal: true });
    // While the certificate is simply valid, the requirements it was earned with count.
    expect(trackProgress(track, results, [{ ...cert, expiresAt: T + 200 * DAY }], rules, T)).toEqual({
      done: 2,
      total: 3,
      renewal: false,
    });
  });

  it('is 0 of 0 for a track that no longer exists', () => {
    expect(trackProgress(undefined, { quizzes: [], roleplays: [] }, [], rules, T)).toEqual({
      done: 0,
      total: 0,
      renewal: false,
    });
  });
});

describe('team CSV', () => {
  const person = (over: Partial<TeamPerson>): TeamPerson => ({
    id: 'u',
    name: 'Ana',
    email: 'ana@x.test',
    hireDate: '2026-01-02',
    lastActivity: null,
    lines: [],
    ...over,
  });

  it('writes one record per person and track, and one for someone with nothing assigned', () => {
    const people = [
      person({
        name: '=HYPERLINK("x")',
        lastActivity: Date.UTC(2026, 4, 3, 10),
        lines: [
          {
            userId: 'u',
            trackId: 'rep',
            trackTitle: 'Rep, basics',
            assignmentId: 'a',
            mandatory: false,
            dueAt: Date.UTC(2026, 5, 1, 23),
            completedAt: null,
            status: 'overdue',
            certificateId: null,
            expiresAt: null,
            updates: [],
            updateDueAt: null,
            expiredBecause: null,
            renewal: false,
            done: 1,
            total: 3,
          },
        ],
      }),
      person({ id: 'v', name: 'Bo', email: 'bo@x.test', hireDate: null }),
    ];
    const csv = recordsToCsv(teamCsvColumns, teamCsvRows('Billing', people));
    const lines = csv.replace('\uFEFF', '').split('\r\n');
    expect(lines[0]).toBe(
      'Team,Person,Email,Hire date,Track,Track id,Priority,Status,Requirements met,Requirements,Due date,Certificate expires,Last activity',
    );
    expect(lines[1]).toBe(
      `Billing,"'=HYPERLINK(""x"")",ana@x.test,2026-01-02,"Rep, basics",rep,Recommended,Overdue,1,3,2026-06-01,,2026-05-03`,
    );
    expect(lines[2]).toBe('Billing,Bo,bo@x.test,,,,,,,,,,');
    expect(lines).toHaveLength(4);
  });
});

describe('standardBars', () => {
  it('puts the weakest standards first, then the better-evidenced, and drops empty ones', () => {
    const bars = standardBars(
      [
        { standardId: 'a', ok: 9, total: 10 },
        { standardId: 'b', ok: 1, total: 4 },
        { standardId: 'c', ok: 5, total: 20 },
        { standardId: 'd', ok: 0, total: 0 },
      ],
      (id) => id.toUpperCase(),
    );
    expect(bars.map((b) => [b.title, b.pct])).toEqual([
      ['C', 25],
      ['B', 25],
      ['A', 90],
    ]);
  });
});

describe('trainer filters', () => {
  const choices = {
    tracks: [
      { id: 'rep', quizzes: ['q1', 'q2'], roleplays: ['r1'], exercises: [] },
      { id: 'mgr', quizzes: ['m1'], roleplays: [], exercises: ['x1', 'x2'] },
    ],
    teams: ['t1'],
  };
  const read = (q: string) => readTrainerFilters(new URLSearchParams(q), choices, T);

  it('defaults to the first track, its first quiz and role-play, every team, the last 90 days', () => {
    expect(read('')).toEqual({
      track: 'rep',
      quiz: 'q1',
      roleplay: 'r1',
      exercise: undefined,
      team: undefined,
      from: '2026-03-17',
      to: '2026-06-15',
      range: { from: Date.UTC(2026, 2, 17), to: Date.UTC(2026, 5, 16) },
      problems: [],
    });
  });

  it('falls back quietly to the track’s first quiz when the quiz belongs to another track', () => {
    expect(read('track=mgr&quiz=q2')).toMatchObject({ track: 'mgr', quiz: 'm1', roleplay: undefined, problems: [] });
  });

  it('picks the track’s calibration exercise: the one asked for, else its first', () => {
    expect(read('track=mgr').exercise).toBe('x1');
    expect(read('track=mgr&exercise=x2').exercise).toBe('x2');
    expect(read('track=rep&exercise=x2')).toMatchObject({ exercise: undefined, problems: [] });
  });

  it('reports unknown tracks and teams and bad dates, and swaps a reversed range', () => {
    expect(read('track=../x').problems).toHaveLength(1);
    expect(read('team=nope')).toMatchObject({ team: undefined, problems: [expect.stringMatching(/team/)] });
    expect(read('from=31/01/2026').problems).toEqual(['“From” must be a date (YYYY-MM-DD).']);
    expect(read('from=2026-06-01&to=2026-05-01')).toMatchObject({
      from: '2026-05-01',
      to: '2026-06-01',
      problems: [expect.stringMatching(/swapped/)],
    });
    expect(read('team=t1').team).toBe('t1');
  });
});
