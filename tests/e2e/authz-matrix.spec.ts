/**
 * The authorization matrix: every page, endpoint and action, requested by each kind of person, against ONE table of
 * expected outcomes. The table is written from what each role should be able to do, not read from
 * src/lib/server/access.ts; and it must list every route pattern under src/pages and every action under
 * src/actions, so a route added without a row fails here.
 *
 * The people (columns):
 *   anon      signed out
 *   learner   a new rep of team A (Billing Support) whose records the URLs name: "the rep"
 *   peer      another rep of the same team
 *   mgrA      the manager of team A (manager1)
 *   mgrB      the manager of team B (manager2), who must not reach the rep's records
 *   trainer   the demo trainer
 *   admin     the demo admin
 *
 * Outcomes: 'ok' (2xx, or a redirect to a page other than sign-in), 'login' (a redirect to sign-in, or 401 for
 * scripts), 403, 404, 405, and 'bad' (another 4xx: the request got past authorization and was refused on its
 * content, e.g. a review without ratings; used where a real success would change data that other rows need).
 *
 * The rep's records are made in beforeAll through the real invite pages and actions: a certificate (every quiz and
 * the role-play of the rep track), an open attempt, a written judgment answer and an assignment; only the reminder
 * for that assignment is written straight into the database (see addReminder). Pages are requested before
 * actions; within an action row the people go in the order anon, peer, mgrB, trainer, mgrA, admin, learner, so
 * that the rep's own (state-changing) request comes last.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { actionAccess } from '../../src/lib/server/access';
import { signUnsubscribeToken } from '../../src/features/notifications/notifications';
import {
  callAction,
  certifyRep,
  createInviteLink,
  demo,
  e2eDb,
  invitePerson,
  newClient,
  one,
  realContent,
  scoreExercise,
  signedIn,
  startQuiz,
  TEAM_A,
  TEAM_B,
  teamId,
  userId,
  writtenCase,
  type Person,
} from '../helpers/e2e-world';
import { actionNames, routePatterns } from '../helpers/routes';

type Who = 'anon' | 'learner' | 'peer' | 'mgrA' | 'mgrB' | 'trainer' | 'admin';
type Outcome = 'ok' | 'login' | 'bad' | 403 | 404 | 405 | 500;
type Expect = [
  anon: Outcome,
  learner: Outcome,
  peer: Outcome,
  mgrA: Outcome,
  mgrB: Outcome,
  trainer: Outcome,
  admin: Outcome,
];
const columns: Who[] = ['anon', 'learner', 'peer', 'mgrA', 'mgrB', 'trainer', 'admin'];
const order: Who[] = ['anon', 'peer', 'mgrB', 'trainer', 'mgrA', 'admin', 'learner'];

interface Row {
  /** The Astro route pattern (pages and endpoints) or the action name this row covers. */
  route?: string;
  action?: string;
  method?: 'GET' | 'POST';
  /** URL with {placeholders} from the world below. */
  url?: string;
  /** Form fields (action input, or a page's form post); JSON body for `json`. */
  form?: Record<string, string>;
  json?: unknown;
  expect: Expect;
  /** These people may see the page, but it must not show the rep's name (another team's rows)… */
  hidesRep?: Who[];
  /** …and these must see it (so the check above looks at a page that would show the rep if it leaked). */
  showsRep?: Who[];
}

const signedInAll: Expect = ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const everyone = (o: Outcome): Expect => [o, o, o, o, o, o, o];

// prettier-ignore
const matrix: Row[] = [
  //                                                                                   anon     learner peer   mgrA   mgrB   trainer admin
  { route: '/', url: '/',                                                     expect: signedInAll },
  { route: '/login', url: '/login',                                           expect: everyone('ok') },
  { route: '/login', method: 'POST', url: '/login', form: {},                 expect: everyone('bad') },
  { route: '/logout', url: '/logout',                                         expect: everyone(405) },
  { route: '/403', url: '/403',                                               expect: everyone(403) },
  { route: '/404', url: '/404',                                               expect: everyone(404) },
  { route: '/500', url: '/500',                                               expect: everyone(500) },
  // What a page form post over the write limit is rewritten to: a message only, answered with its 429 ('bad').
  { route: '/429', url: '/429',                                               expect: everyone('bad') },
  { url: '/no-such-page',                                                     expect: everyone(404) },
  { route: '/invite/[token]', url: '/invite/{invite}',                        expect: everyone('ok') },
  { route: '/invite/[token]', url: '/invite/not-a-real-token',                expect: everyone(404) },
  { route: '/invite/[token]', method: 'POST', url: '/invite/{invite}', form: {}, expect: everyone('bad') },
  { route: '/team/invites/bulk', url: '/team/invites/bulk',                  expect: ['login', 403, 403, 'ok', 'ok', 403, 'ok'] },
  { route: '/team/invites/bulk', method: 'POST', url: '/team/invites/bulk', form: { list: '' }, expect: ['login', 403, 403, 'bad', 'bad', 403, 'bad'] },
  { route: '/forgot-password', url: '/forgot-password',                       expect: everyone('ok') },
  { route: '/forgot-password', method: 'POST', url: '/forgot-password', form: {}, expect: everyone('bad') },
  { route: '/reset-password/[token]', url: '/reset-password/not-a-real-token', expect: everyone(404) },
  { route: '/reset-password/[token]', method: 'POST', url: '/reset-password/{invite}', form: { password: 'lantern orbit velvet 9' }, expect: everyone(404) },
  { route: '/account', url: '/account',                                       expect: signedInAll },
  { route: '/account', method: 'POST', url: '/account', form: {},             expect: ['login', 'bad',  'bad', 'bad', 'bad', 'bad',  'bad'] },
  { route: '/api/test/clock', method: 'POST', url: '/api/test/clock', json: { offsetMs: 0 }, expect: everyone('ok') },
  { route: '/api/test/error', url: '/api/test/error',                         expect: everyone(500) },
  // Curriculum and own learning
  { route: '/learn', url: '/learn',                                           expect: signedInAll },
  { route: '/notices', url: '/notices',                                       expect: signedInAll },
  { route: '/tracks', url: '/tracks',                                         expect: signedInAll },
  { route: '/tracks/[track]', url: '/tracks/{track}',                        expect: signedInAll },
  { route: '/modules/[module]', url: '/modules/{module}',                     expect: signedInAll },
  { route: '/modules/[module]/job-aid', url: '/modules/{jobAidModule}/job-aid', expect: signedInAll },
  { route: '/quizzes/[quiz]', url: '/quizzes/{quiz}',                         expect: signedInAll },
  { route: '/roleplays/[roleplay]', url: '/roleplays/{roleplay}',             expect: signedInAll },
  { route: '/exercises/[exercise]', url: '/exercises/{exercise}',             expect: signedInAll },
  // The rep's records: the rep, their manager and the admin; nobody else (404, as for a missing record)
  { route: '/quizzes/[quiz]/attempts/[attempt]', url: '/quizzes/{quiz}/attempts/{attempt}', expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/roleplays/[roleplay]/runs/[run]', url: '/roleplays/{roleplay}/runs/{run}',    expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/exercises/[exercise]/attempts/[attempt]', url: '/exercises/{exercise}/attempts/{exerciseAttempt}', expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/certificates/[code]', url: '/certificates/{certificate}',                     expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/certificates/[code]/badge.jwt', url: '/certificates/{certificate}/badge.jwt',       expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/certificates/[code]/badge.svg', url: '/certificates/{certificate}/badge.svg',       expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'] },
  { route: '/.well-known/jwks.json', url: '/.well-known/jwks.json',           expect: everyone('ok') },
  { route: '/.well-known/jwks/[kid]', url: '/.well-known/jwks/{kid}',         expect: everyone('ok') },
  { route: '/.well-known/jwks/[kid]', url: '/.well-known/jwks/not-a-key',     expect: everyone(404) },
  { route: '/status/revocation/[list]', url: '/status/revocation/0',          expect: everyone('ok') },
  { route: '/status/revocation/[list]', url: '/status/revocation/99',         expect: everyone(404) },
  // One-click unsubscribe: the signed token is the authorization, signed in or not.
  { route: '/unsubscribe/[token]', url: '/unsubscribe/{unsubscribe}',         expect: everyone('ok') },
  { route: '/unsubscribe/[token]', url: '/unsubscribe/nobody.bm90LWEtc2lnbmF0dXJl', expect: everyone(404) },
  { route: '/issuer', url: '/issuer',                                         expect: everyone('ok') },
  { route: '/achievements/[track]', url: '/achievements/{track}',             expect: everyone('ok') },
  { route: '/achievements/[track]', url: '/achievements/no-such-track',       expect: everyone(404) },
  { route: '/healthz', url: '/healthz',                                       expect: everyone('ok') },
  { route: '/verify', url: '/verify',                                         expect: everyone('ok') },
  { route: '/verify/[code]', url: '/verify/{certificate}',                    expect: everyone('ok') },
  // Team pages: managers (their own teams) and admins
  { route: '/team', url: '/team',                                             expect: ['login', 403,  403,  'ok', 'ok', 403,  'ok'], hidesRep: ['mgrB'] },
  { route: '/team', url: '/team?team={teamA}',                                expect: ['login', 403,  403,  'ok', 403,  403,  'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/team', url: '/team?team={teamB}',                                expect: ['login', 403,  403,  403,  'ok', 403,  'ok'], hidesRep: ['mgrB', 'admin'] },
  { route: '/team/export.csv', url: '/team/export.csv?team={teamA}',          expect: ['login', 403,  403,  'ok', 403,  403,  'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/team/export.csv', url: '/team/export.csv?team={teamB}',          expect: ['login', 403,  403,  403,  'ok', 403,  'ok'], hidesRep: ['mgrB', 'admin'] },
  { route: '/api/xapi/statements', url: '/api/xapi/statements?team={teamA}&limit=500', expect: ['login', 403, 403, 'ok', 403, 403, 'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/api/xapi/statements', url: '/api/xapi/statements?team={teamB}&limit=500', expect: ['login', 403, 403, 403, 'ok', 403, 'ok'], hidesRep: ['mgrB', 'admin'] },
  { route: '/api/xapi/statements', url: '/api/xapi/statements?limit=500',              expect: ['login', 403, 403, 'ok', 'ok', 403, 'ok'], hidesRep: ['mgrB'] },
  { route: '/team/people/[user]', url: '/team/people/{rep}',                  expect: ['login', 403,  403,  'ok', 404,  403,  'ok'] },
  { route: '/team/people/[user]/runs', url: '/team/people/{rep}/runs',        expect: ['login', 403,  403,  'ok', 404,  403,  'ok'] },
  { route: '/team/reviews', url: '/team/reviews',                             expect: ['login', 403,  403,  'ok', 'ok', 403,  'ok'], hidesRep: ['mgrB'], showsRep: ['mgrA'] },
  { route: '/team/invites', url: '/team/invites',                             expect: ['login', 403,  403,  'ok', 'ok', 403,  'ok'] },
  { route: '/team/invites', method: 'POST', url: '/team/invites', form: {},   expect: ['login', 403,  403,  'bad', 'bad', 403, 'bad'] },
  // Quality: evaluators see the teams they evaluate (mgrA team A, mgrB team B, the admin both); a rep sees their own
  // submitted evaluations, never a colleague's; anyone else gets 404, as for a missing record.
  { route: '/quality', url: '/quality',                                       expect: signedInAll, hidesRep: ['peer', 'mgrB', 'trainer'] },
  { route: '/quality/evaluate', url: '/quality/evaluate',                     expect: signedInAll },
  { route: '/quality/evaluate', url: '/quality/evaluate?rep={rep}&channel=phone', expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], showsRep: ['mgrA', 'admin'] },
  // Without fields: refused on its content (400) by everyone who gets past sign-in.
  { route: '/quality/evaluate', method: 'POST', url: '/quality/evaluate', form: {}, expect: ['login', 'bad', 'bad', 'bad', 'bad', 'bad', 'bad'] },
  { route: '/quality/evaluations/[id]', url: '/quality/evaluations/{evaluation}', expect: ['login', 'ok', 404, 'ok', 404, 404, 'ok'], showsRep: ['learner', 'mgrA', 'admin'] },
  // The acknowledgement: the rep's own (last in the row); anyone else's post is a 404.
  { route: '/quality/evaluations/[id]', method: 'POST', url: '/quality/evaluations/{evaluation}', form: {}, expect: ['login', 'ok', 404, 404, 404, 404, 404] },
  { route: '/quality/teams/[team]', url: '/quality/teams/{teamA}',            expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/quality/teams/[team]', url: '/quality/teams/{teamB}',            expect: ['login', 404, 404, 404, 'ok', 404, 'ok'], hidesRep: ['mgrB', 'admin'] },
  // The huddle's results: anonymous by default (the rep is named only with names=1, to the team's evaluators).
  { route: '/quality/teams/[team]/results', url: '/quality/teams/{teamA}/results', expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], hidesRep: ['mgrA', 'admin'] },
  { route: '/quality/teams/[team]/results', url: '/quality/teams/{teamA}/results?names=1', expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/quality/teams/[team]/export.csv', url: '/quality/teams/{teamA}/export.csv', expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/quality/teams/[team]/export.csv', url: '/quality/teams/{teamB}/export.csv', expect: ['login', 404, 404, 404, 'ok', 404, 'ok'], hidesRep: ['mgrB', 'admin'] },
  // A calibration of the rep's contact: team A's evaluators only; a post without a score is refused on its content.
  { route: '/quality/calibrations/[id]', url: '/quality/calibrations/{calibration}', expect: ['login', 404, 404, 'ok', 404, 404, 'ok'], showsRep: ['mgrA', 'admin'] },
  { route: '/quality/calibrations/[id]', method: 'POST', url: '/quality/calibrations/{calibration}', form: {}, expect: ['login', 404, 404, 'bad', 404, 404, 'bad'] },
  // The sampling plan: team A's manager and the admin reach the number check (none sent: refused, unchanged).
  { route: '/quality/teams/[team]', method: 'POST', url: '/quality/teams/{teamA}', form: {}, expect: ['login', 404, 404, 'bad', 404, 404, 'bad'] },
  // Trainers (and admins)
  { route: '/trainer', url: '/trainer',                                       expect: ['login', 403,  403,  403,  403,  'ok', 'ok'] },
  { route: '/trainer/content', url: '/trainer/content',                       expect: ['login', 403,  403,  403,  403,  'ok', 'ok'] },
  { route: '/trainer/health', url: '/trainer/health',                         expect: ['login', 403,  403,  403,  403,  'ok', 'ok'] },
  { route: '/trainer/preview', url: '/trainer/preview',                       expect: ['login', 403,  403,  403,  403,  'ok', 'ok'] },
  { route: '/trainer/preview/quizzes/[quiz]', url: '/trainer/preview/quizzes/{quiz}',          expect: ['login', 403, 403, 403, 403, 'ok', 'ok'] },
  { route: '/trainer/preview/roleplays/[roleplay]', url: '/trainer/preview/roleplays/{roleplay}', expect: ['login', 403, 403, 403, 403, 'ok', 'ok'] },
  { route: '/trainer/preview/exercises/[exercise]', url: '/trainer/preview/exercises/{exercise}', expect: ['login', 403, 403, 403, 403, 'ok', 'ok'] },
  // Admins
  { route: '/admin/users', url: '/admin/users',                               expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/users/[id]', url: '/admin/users/{rep}',                    expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/users/[id]', method: 'POST', url: '/admin/users/{rep}', form: {}, expect: ['login', 403, 403, 403, 403, 403, 'bad'] },
  { route: '/admin/certificates', url: '/admin/certificates',                 expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/overview', url: '/admin/overview',                         expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/lrs-credentials', url: '/admin/lrs-credentials',           expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/lrs-credentials', method: 'POST', url: '/admin/lrs-credentials', form: {}, expect: ['login', 403, 403, 403, 403, 403, 'bad'] },
  { route: '/admin/sso', url: '/admin/sso',                                   expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/sso', method: 'POST', url: '/admin/sso', form: {},          expect: ['login', 403, 403, 403, 403, 403, 'bad'] },
  { route: '/admin/scim-tokens', url: '/admin/scim-tokens',                   expect: ['login', 403,  403,  403,  403,  403,  'ok'] },
  { route: '/admin/scim-tokens', method: 'POST', url: '/admin/scim-tokens', form: {}, expect: ['login', 403, 403, 403, 403, 403, 'bad'] },
  // Single sign-on's return: without the state it started with, anyone is sent back to sign in (a refusal page).
  { route: '/sso/callback', url: '/sso/callback?code=forged&state=forged',    expect: everyone('login') },
  // SCIM: only an admin-made bearer token opens it; a session (of any role) is no credential: 401 for everyone.
  { route: '/scim/v2/[...path]', url: '/scim/v2/Users',                       expect: everyone('login') },
  { route: '/scim/v2/[...path]', method: 'POST', url: '/scim/v2/Users', json: { userName: 'x@contoso.test' }, expect: everyone('login') },

  // Actions (posted as the islands post them). The rep's own request goes last in each row.
  //                                                                                   anon     learner peer   mgrA   mgrB   trainer admin
  { action: 'quiz.start', form: { quiz: '{quiz}' },                           expect: signedInAll },
  // Saving answers: someone else's attempt is a 404. The rep passed this quiz, so their open attempt is practice,
  // which checks one answer per save: sent without one, the rep's own save is refused on its content (400).
  { action: 'quiz.save', form: { attempt: '{openAttempt}' },                  expect: ['login', 'bad', 404, 404,  404,  404,  404] },
  // Someone else's attempt is a 404, like a missing one; the rep submits their own open attempt.
  { action: 'quiz.submit', form: { attempt: '{openAttempt}' },                expect: ['login', 'ok', 404,  404,  404,  404,  404] },
  { action: 'exercise.start', form: { exercise: '{exercise}' },               expect: signedInAll },
  // Someone else's attempt is a 404; the rep's own open attempt sent without calls is refused as incomplete.
  { action: 'exercise.submit', form: { attempt: '{openExerciseAttempt}' },    expect: ['login', 'bad', 404, 404, 404, 404, 404] },
  // "Replay from here" on the rep's own finished run starts a practice run; anyone else's run is a 404.
  { action: 'roleplay.replay', form: { run: '{run}', step: '0' },             expect: ['login', 'ok', 404,  404,  404,  404,  404] },
  // Starting resumes the rep's open (practice) run; everyone else starts their own.
  { action: 'roleplay.start', form: { roleplay: '{roleplay}' },               expect: signedInAll },
  // The rep's own finished run is refused as finished (409); anyone else's is a 404. (A token-shaped reply: the run
  // is refused before any reply is looked at.)
  { action: 'roleplay.choose', form: { run: '{run}', step: '0', reply: 'AAAAAAAAAAAAAAAA' }, expect: ['login', 'bad', 404, 404, 404, 404, 404] },
  { action: 'roleplay.abandon', form: { run: '{run}' },                       expect: ['login', 'bad', 404, 404, 404, 404, 404] },
  { action: 'judgment.answer', form: { case: '{otherCase}', option: '{otherCaseOption}' }, expect: signedInAll },
  // Anyone signed in may finish any lesson they can read; it records only their own completion.
  { action: 'lesson.complete', form: { module: '{module}' },                  expect: signedInAll },
  // Reviewers who oversee the rep get as far as the rubric (no ratings sent: refused, nothing written).
  { action: 'judgment.review', form: { answer: '{answer}', comment: 'Good call.' }, expect: ['login', 403, 403, 'bad', 404, 403, 'bad'] },
  // Team A, but a person of team B: the own manager and the admin get as far as "not a member".
  // The rep still has attempts left, so their manager and the admin are refused on the content (409).
  { action: 'attempts.allowAnother', form: { learner: '{rep}', quiz: '{quiz}' }, expect: ['login', 403, 403, 'bad', 404, 403, 'bad'] },
  { action: 'assignments.assign', form: { team: '{teamA}', who: '{teamBRep}', track: '{track}', due: '{due}', priority: 'recommended' }, expect: ['login', 403, 403, 'bad', 403, 403, 'bad'] },
  { action: 'assignments.dismissNotice', form: { notice: '{notice}' },        expect: ['login', 'ok', 404,  404,  404,  404,  404] },
  // Reminders: team A's own manager and the admin get as far as "not a member" (the rep is of team B).
  { action: 'team.nudge', form: { team: '{teamA}', who: '{teamBRep}' },      expect: ['login', 403, 403, 'bad', 403, 403, 'bad'] },
  // A count that cannot match the overdue list: staff get past authorization and are refused (409, nothing sent).
  { action: 'team.nudgeAllTeams', form: { count: '99999' },                  expect: ['login', 403, 403, 'bad', 'bad', 403, 'bad'] },
  // The rep's assignment: those who oversee the rep reach the date check (a date in the past: refused, unchanged).
  { action: 'team.extendDue', form: { assignment: '{assignment}', due: '2000-01-01' }, expect: ['login', 403, 403, 'bad', 404, 403, 'bad'] },
  { action: 'certification.markEditorial', form: { module: '{versionModule}', version: '{version}', editorial: 'false' }, expect: ['login', 403, 403, 403, 403, 'ok', 'ok'] },
  { action: 'certification.revoke', form: { code: '{certificate}', reason: 'Issued in error (authorization test).' }, expect: ['login', 403, 403, 403, 403, 403, 'ok'] },
];

// ---------------------------------------------------------------------------------------------- what exists

test('the table has a row for every route pattern under src/pages and every action under src/actions', () => {
  const patterns = routePatterns();
  const actions = actionNames();
  expect(patterns).toEqual(expect.arrayContaining(['/', '/login', '/team/people/[user]', '/team/export.csv']));
  expect(actions).toEqual(expect.arrayContaining(['quiz.submit', 'roleplay.choose', 'certification.revoke']));
  const routesInTable = new Set(matrix.flatMap((r) => (r.route ? [r.route] : [])));
  const actionsInTable = new Set(matrix.flatMap((r) => (r.action ? [r.action] : [])));
  expect(
    patterns.filter((p) => !routesInTable.has(p)),
    'routes without a row in the matrix',
  ).toEqual([]);
  expect(
    actions.filter((a) => !actionsInTable.has(a)),
    'actions without a row in the matrix',
  ).toEqual([]);
  // And nothing in the table that no longer exists.
  expect(
    [...routesInTable].filter((p) => !patterns.includes(p)),
    'rows for routes that do not exist',
  ).toEqual([]);
  expect(
    [...actionsInTable].filter((a) => !actions.includes(a)),
    'rows for actions that do not exist',
  ).toEqual([]);
  // tests/unit/lib/server/access.test.ts checks routeAccess against the pages; nothing checks the actions' entries.
  expect(Object.keys(actionAccess).sort(), 'actionAccess in src/lib/server/access.ts').toEqual([...actions].sort());
});

// ---------------------------------------------------------------------------------------------- the walk

type World = Record<string, string>;
let world: World;
let rep: Person;
const clients = new Map<Who, APIRequestContext>();

const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY = 24 * 60 * 60 * 1000;

test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const mgrA = await signedIn(playwright, base, demo.managerA);
  clients.set('anon', await newClient(playwright, base));
  clients.set('mgrA', mgrA);
  clients.set('mgrB', await signedIn(playwright, base, demo.managerB));
  clients.set('trainer', await signedIn(playwright, base, demo.trainer));
  clients.set('admin', await signedIn(playwright, base, demo.admin));
  const [teamA, teamB] = [await teamId(TEAM_A), await teamId(TEAM_B)];
  rep = await invitePerson(playwright, base, mgrA, { name: 'Tess Matrix', teamId: teamA });
  const peer = await invitePerson(playwright, base, mgrA, { name: 'Piet Peer', teamId: teamA });
  clients.set('learner', rep.ctx);
  clients.set('peer', peer.ctx);

  const content = await realContent();
  const { code, attempts, runs } = await certifyRep(rep.ctx, rep.id);
  const attempt = await one<{ quiz_id: string }>('SELECT quiz_id FROM quiz_attempt WHERE id = ?', [attempts[0]!]);
  const run = await one<{ roleplay_id: string }>('SELECT roleplay_id FROM roleplay_run WHERE id = ?', [runs[0]!]);
  const roleplay = content.roleplays.get(run.roleplay_id)!.data!;
  const openQuiz = [...content.quizzes.keys()].find((id) => id !== attempt.quiz_id)!;
  const openAttempt = await startQuiz(rep.ctx, openQuiz);
  // A calibration exercise: one graded attempt (passed, so no cooldown) and one open.
  const exercise = [...content.exercises.keys()][0]!;
  const graded = await scoreExercise(rep.ctx, exercise);
  const reopened = await callAction(rep.ctx, 'exercise.start', [['exercise', exercise]]);
  expect(reopened.status(), await reopened.text()).toBe(200);
  const openExercise = await one<{ id: string }>(
    "SELECT id FROM exercise_attempt WHERE user_id = ? AND status = 'open'",
    [rep.id],
  );

  // A written judgment answer (it goes to the manager's review queue).
  const written = await writtenCase();
  const answered = await callAction(rep.ctx, 'judgment.answer', [
    ['case', written.caseId],
    ['option', written.optionId],
    ['text', 'I would listen first, then paraphrase.'],
  ]);
  expect(answered.status(), await answered.text()).toBe(200);
  const answer = await one<{ id: string }>('SELECT id FROM judgment_answer WHERE user_id = ? AND case_id = ?', [
    rep.id,
    written.caseId,
  ]);
  const otherCase = [...content.cases.values()].map((c) => c.data!).find((c) => c.id !== written.caseId)!;

  // An assignment due in three days, and the reminder the daily job writes for it.
  const manager = [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'manager')!;
  const assigned = await callAction(mgrA, 'assignments.assign', [
    ['team', teamA],
    ['who', rep.id],
    ['track', manager.id],
    ['due', isoDate(Date.now() + 3 * DAY)],
    ['priority', 'recommended'],
    // A manager track for a rep: confirmed, as the form's second step does.
    ['confirm', 'manager-track-to-reps'],
  ]);
  expect(assigned.status(), await assigned.text()).toBe(200);
  const notice = await addReminder(rep.id);
  const assignment = await one<{ id: string }>("SELECT id FROM assignment WHERE user_id = ? AND kind = 'manual'", [
    rep.id,
  ]);
  // A submitted quality evaluation of the rep's contact, through the real scorecard form.
  const phone = content.scorecards.get('phone')!.data!;
  const scored = await mgrA.post('/quality/evaluate', {
    form: {
      rep: rep.id,
      channel: 'phone',
      contactDate: isoDate(Date.now()),
      reference: 'CALL-MATRIX',
      intent: 'submit',
      ...Object.fromEntries(phone.items.map((i) => [`item.${i.id ?? i.standard}`, i.scale === 'scale' ? '5' : 'yes'])),
      // One miss, so the rep is the month's worst on it: the named results page shows them, the anonymous one not.
      'item.never-argue': 'no',
    },
  });
  expect(scored.status(), await scored.text()).toBe(303);
  const evaluation = await one<{ id: string }>('SELECT id FROM quality_evaluation WHERE rep_id = ?', [rep.id]);
  const scheduled = await mgrA.post(`/quality/teams/${teamA}`, {
    form: {
      intent: 'calibration',
      rep: rep.id,
      channel: 'phone',
      contactDate: isoDate(Date.now()),
      reference: 'CALL-MATRIX-CAL',
      sessionDate: isoDate(Date.now()),
    },
  });
  expect(scheduled.status(), await scheduled.text()).toBe(303);
  const calibration = await one<{ id: string }>('SELECT id FROM quality_calibration WHERE rep_id = ?', [rep.id]);
  const version = await one<{ module_id: string; version: string }>(
    'SELECT module_id, version FROM content_version ORDER BY module_id LIMIT 1',
  );

  world = {
    rep: rep.id,
    teamA,
    teamB,
    teamBRep: await userId('rep4@demo.test'),
    invite: await createInviteLink(mgrA, { email: `unused.${Date.now()}@demo.test`, teamId: teamA }),
    quiz: attempt.quiz_id,
    attempt: attempts[0]!,
    openAttempt,
    exercise,
    exerciseAttempt: graded.attemptId,
    openExerciseAttempt: openExercise.id,
    roleplay: roleplay.id,
    run: runs[0]!,
    certificate: code,
    track: [...content.tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!.id,
    module: [...content.modules.keys()][0]!,
    jobAidModule: [...content.jobAids.keys()][0]!,
    answer: answer.id,
    evaluation: evaluation.id,
    calibration: calibration.id,
    otherCase: otherCase.id,
    otherCaseOption: otherCase.options[0]!.id,
    notice,
    assignment: assignment.id,
    versionModule: version.module_id,
    version: version.version,
    due: isoDate(Date.now() + 10 * DAY),
    kid: ((await (await clients.get('anon')!.get('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] })
      .keys[0]!.kid,
    unsubscribe: await unsubscribeLinkOf(rep.id),
  };
});

/**
 * The rep's one-click unsubscribe token, signed as the reminders job signs it: with the site's stored secret, made
 * here if no process has made it yet (the server reads whichever one the table holds).
 */
async function unsubscribeLinkOf(userIdOf: string): Promise<string> {
  const db = e2eDb();
  await db.execute({
    sql: "INSERT OR IGNORE INTO site_secret (name, value, created_at) VALUES ('unsubscribe', ?, ?)",
    args: [Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url'), Date.now()],
  });
  const row = await one<{ value: string }>("SELECT value FROM site_secret WHERE name = 'unsubscribe'");
  return signUnsubscribeToken(new Uint8Array(Buffer.from(row.value, 'base64url')), userIdOf);
}

/**
 * A reminder for the rep's manual assignment, as the daily job (src/cli/reminders.ts) writes it. The job itself is
 * not run here: it writes everyone's reminders, and tests/e2e/team.spec.ts checks what a run of it adds.
 */
async function addReminder(userIdOf: string): Promise<string> {
  const assignment = await one<{ id: string }>("SELECT id FROM assignment WHERE user_id = ? AND kind = 'manual'", [
    userIdOf,
  ]);
  const id = `matrix${Date.now()}`;
  await e2eDb().execute({
    sql: `INSERT INTO notice (id, user_id, kind, assignment_id, dedupe_key, subject, body, created_at)
          VALUES (?, ?, 'due', ?, ?, 'Due soon: Manager essentials', 'Your training is due in 3 days.', ?)`,
    args: [id, userIdOf, assignment.id, `matrix:${id}`, Date.now()],
  });
  return id;
}

test.afterAll(async () => {
  for (const ctx of clients.values()) await ctx.dispose();
});

function fill(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = world[key];
    if (v === undefined) throw new Error(`the matrix names {${key}}, which the world does not have`);
    return v;
  });
}

function outcomeOf(res: APIResponse): Outcome | `server error ${number}` | `unexpected ${number}` {
  const s = res.status();
  // 500 only where a row expects it: the error page itself and the route that fails on purpose to show it.
  if (s === 500) return 500;
  if (s > 500) return `server error ${s}`;
  if (s >= 300 && s < 400)
    return new URL(res.headers()['location'] ?? '/', 'http://x').pathname === '/login' ? 'login' : 'ok';
  if (s >= 200 && s < 300) return 'ok';
  if (s === 401) return 'login';
  if (s === 403 || s === 404 || s === 405) return s;
  if (s >= 400) return 'bad';
  return `unexpected ${s}`;
}

async function send(ctx: APIRequestContext, row: Row): Promise<APIResponse> {
  if (row.action) {
    const fields = Object.entries(row.form ?? {}).map(([k, v]) => [k, fill(v)] as [string, string]);
    return callAction(ctx, row.action, fields);
  }
  const url = fill(row.url!);
  if ((row.method ?? 'GET') === 'GET') return ctx.get(url);
  if (row.json !== undefined) return ctx.post(url, { data: row.json });
  return ctx.post(url, { form: Object.fromEntries(Object.entries(row.form ?? {}).map(([k, v]) => [k, fill(v)])) });
}

test('every row: each person gets the expected outcome', async () => {
  test.setTimeout(180_000);
  const failures: string[] = [];
  // Pages first: the action rows change data (the rep submits their open attempt, the admin revokes the certificate).
  const rows = [...matrix.filter((r) => !r.action), ...matrix.filter((r) => r.action)];
  for (const row of rows) {
    const label = row.action ?? `${row.method ?? 'GET'} ${row.url}`;
    for (const who of order) {
      const want = row.expect[columns.indexOf(who)]!;
      const res = await send(clients.get(who)!, row);
      const got = outcomeOf(res);
      const body = await res.text();
      if (got !== want)
        failures.push(
          `${label} as ${who}: expected ${want}, got ${got} (${res.status()} ${body.slice(0, 120).replace(/\s+/g, ' ')})`,
        );
      if (row.hidesRep?.includes(who) && body.includes(rep.name))
        failures.push(`${label} as ${who}: shows ${rep.name}, who is not on this team`);
      if (row.showsRep?.includes(who) && !body.includes(rep.name))
        failures.push(`${label} as ${who}: does not show ${rep.name}`);
    }
  }
  expect(failures, failures.join('\n')).toEqual([]);
});
