/**
 * Who may use what: THE table to audit. Every page and endpoint (by Astro route pattern) and every action (by
 * name) has one entry. The middleware enforces it before any page or action runs; actions and endpoints also
 * check ownership themselves (a manager's own teams, a learner's own attempt). A route missing here is refused,
 * and the authorization-matrix test fails on it.
 *
 * public     anyone, signed in or not
 * signed-in  any active account
 * [roles]    only those roles
 */
import type { Role } from '../../../db/schema';
import type { SessionUser } from './session';

export type Access = 'public' | 'signed-in' | readonly Role[];

const staff = ['admin', 'manager'] as const;

export const routeAccess: Record<string, Access> = {
  '/': 'signed-in',
  '/login': 'public',
  // Public so that a session which expired while the page was open still signs out cleanly.
  '/logout': 'public',
  '/403': 'public',
  '/404': 'public',
  // What an unexpected error shows (src/pages/500.astro): a message and the request's log id, nothing else.
  '/500': 'public',
  // Where a page form post over the write limit is rewritten to (src/middleware.ts); shows only a message.
  '/429': 'public',
  '/invite/[token]': 'public',
  // Asking for a reset link and using one: for people who cannot sign in (the link's token is the authorization).
  '/forgot-password': 'public',
  '/reset-password/[token]': 'public',
  '/account': 'signed-in',
  // Where identity providers send people back: the state (cookie and server row) is the authorization.
  '/sso/callback': 'public',
  '/admin/sso': ['admin'],
  '/admin/scim-tokens': ['admin'],
  // SCIM 2.0 (RFC 7644) for identity providers: no session, an admin-made bearer token with scopes, checked by the
  // endpoint itself (src/features/scim/scim-auth.server.ts).
  '/scim/v2/[...path]': 'public',
  // The unsubscribe link in reminder emails: its signed per-person token is the authorization (no sign-in, by design).
  '/unsubscribe/[token]': 'public',
  '/admin/users': ['admin'],
  '/admin/users/[id]': ['admin'],
  '/team/invites': staff,
  '/team/invites/bulk': staff,
  // Answers 404 unless FRONTLINE_TEST_CLOCK=1 (see src/lib/server/clock.ts).
  '/api/test/clock': 'public',
  // Fails on purpose, for the 500 page's test; 404 unless FRONTLINE_TEST_CLOCK=1 too.
  '/api/test/error': 'public',
  // Role-plays and judgment reviews: pages check ownership (own run, or a learner the viewer oversees) themselves.
  '/roleplays/[roleplay]': 'signed-in',
  '/roleplays/[roleplay]/runs/[run]': 'signed-in',
  '/team/reviews': staff,
  '/team/people/[user]/runs': staff,
  // Curriculum: any signed-in person may read any track or lesson; previews show answer keys, so trainers and admins only.
  '/tracks': 'signed-in',
  '/tracks/[track]': 'signed-in',
  '/modules/[module]': 'signed-in',
  '/modules/[module]/job-aid': 'signed-in',
  '/trainer/preview': ['trainer', 'admin'],
  '/trainer/preview/quizzes/[quiz]': ['trainer', 'admin'],
  '/trainer/preview/roleplays/[roleplay]': ['trainer', 'admin'],
  '/trainer/preview/exercises/[exercise]': ['trainer', 'admin'],
  // Quizzes and certification: the attempt and certificate pages check ownership (own, or a learner the viewer
  // oversees) themselves; verification is public by design and shows only name, track, status and dates.
  '/learn': 'signed-in',
  '/quizzes/[quiz]': 'signed-in',
  '/quizzes/[quiz]/attempts/[attempt]': 'signed-in',
  // Calibration exercises like quizzes: the attempt page checks ownership (own, or a learner the viewer oversees).
  '/exercises/[exercise]': 'signed-in',
  '/exercises/[exercise]/attempts/[attempt]': 'signed-in',
  '/certificates/[code]': 'signed-in',
  '/verify': 'public',
  '/verify/[code]': 'public',
  '/admin/certificates': ['admin'],
  '/trainer/content': ['trainer', 'admin'],
  // Team dashboard and its CSV: each also checks the team is one the viewer manages (admins: their organization's).
  '/team': staff,
  '/team/export.csv': staff,
  '/team/people/[user]': staff,
  // Everyone's own reminders (the list and where dismiss forms post).
  '/notices': 'signed-in',
  '/admin/overview': ['admin'],
  // Analytics over the viewer's organization only.
  '/trainer': ['trainer', 'admin'],
  // Lint findings and naive-strategy tables, with answer keys (like the previews).
  '/trainer/health': ['trainer', 'admin'],
  // xAPI statements: the endpoint authenticates itself (a staff session, or an admin-made LRS credential by HTTP
  // Basic, which has no session) and scopes the rows: admins their organization, managers their teams' members.
  '/api/xapi/statements': 'public',
  '/admin/lrs-credentials': ['admin'],
  // Open Badges: the credential download checks ownership like the certificate page; the key set is public.
  '/certificates/[code]/badge.jwt': 'signed-in',
  '/certificates/[code]/badge.svg': 'signed-in',
  '/.well-known/jwks.json': 'public',
  // Each public key on its own (what a credential's kid names), and the revocation status lists: for verifiers.
  '/.well-known/jwks/[kid]': 'public',
  '/status/revocation/[list]': 'public',
  // The issuer Profile and each track's Achievement: the ids inside every credential, so verifiers can follow them.
  '/issuer': 'public',
  '/achievements/[track]': 'public',
  // Quality scoring of real contacts: any signed-in person may be a rep with evaluations or an assigned evaluator,
  // so each page decides what it shows (src/features/quality/quality.server.ts): evaluators only the teams they
  // evaluate, reps only their own submitted evaluations; anything else answers 404.
  '/quality': 'signed-in',
  '/quality/evaluate': 'signed-in',
  '/quality/evaluations/[id]': 'signed-in',
  '/quality/teams/[team]': 'signed-in',
  '/quality/teams/[team]/results': 'signed-in',
  '/quality/teams/[team]/export.csv': 'signed-in',
  '/quality/calibrations/[id]': 'signed-in',
  // For monitors (no session); answers only whether the database does.
  '/healthz': 'public',
};

export const actionAccess: Record<string, Access> = {
  'roleplay.start': 'signed-in',
  'roleplay.choose': 'signed-in',
  // Both act on the learner's own run only (someone else's answers as not found).
  'roleplay.abandon': 'signed-in',
  'roleplay.replay': 'signed-in',
  'judgment.answer': 'signed-in',
  // Finishing a lesson records it for the signed-in person only.
  'lesson.complete': 'signed-in',
  'judgment.review': staff,
  'quiz.start': 'signed-in',
  // Saves answers to the learner's own open attempt only (someone else's is not found).
  'quiz.save': 'signed-in',
  'quiz.submit': 'signed-in',
  'exercise.start': 'signed-in',
  'exercise.submit': 'signed-in',
  'certification.revoke': ['admin'],
  'certification.markEditorial': ['trainer', 'admin'],
  // Assigning checks the team is the manager's own; dismissing checks the notice is the learner's own.
  'assignments.assign': staff,
  'assignments.dismissNotice': 'signed-in',
  // One more quiz attempt for a learner out of attempts: the action checks the learner is one the viewer oversees.
  'attempts.allowAnother': staff,
  // Reminders and due dates: the actions check the team is the viewer's own (admins: their organization's) and
  // that they oversee the person whose assignment it is.
  'team.nudge': staff,
  'team.nudgeAllTeams': staff,
  'team.extendDue': staff,
};

export function isAllowed(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (!role) return false;
  if (access === 'signed-in') return true;
  return access.includes(role);
}

export type AccessDecision = 'allow' | 'sign-in' | 'forbidden' | 'unknown';

/** What the guard does with a request: `unknown` means the route has no entry here and is refused as not found. */
export function decideAccess(access: Access | undefined, role: Role | undefined): AccessDecision {
  if (access === undefined) return 'unknown';
  if (isAllowed(access, role)) return 'allow';
  return role ? 'forbidden' : 'sign-in';
}

/**
 * The signed-in person on a page the table above keeps to signed-in people (or some roles). The middleware has
 * already sent everyone else to sign in, so a missing user means the page's entry is wrong: say so here, rather than
 * fail later on `null`.
 */
export function requireUser(locals: App.Locals): SessionUser {
  if (!locals.user)
    throw new Error('requireUser(): nobody is signed in. Is this route "public" in src/lib/server/access.ts?');
  return locals.user;
}
