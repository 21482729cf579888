/**
 * The whole database, one table per record kind. Times are integer milliseconds since the epoch (UTC) so that a
 * fake clock in tests and the server agree; ids are random text (see src/lib/server/ids.ts).
 *
 * Flow: organization → team → user (role + membership) → attempts / runs / answers → certificate → reports.
 * Rows that record what a learner did are append-only: status columns move forward, history is never overwritten.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const roles = ['admin', 'manager', 'trainer', 'learner'] as const;
export type Role = (typeof roles)[number];
export const jobs = ['rep', 'manager'] as const;
export type Job = (typeof jobs)[number];

const id = () => text('id').primaryKey();
const createdAt = () => integer('created_at').notNull();

export const organizationTable = sqliteTable('organization', {
  id: id(),
  name: text('name').notNull(),
  /**
   * The base of every xAPI statement id and activity IRI of the organization, fixed the first time it is needed
   * (src/features/exports/xapi/iri.server.ts) and never changed after, so a new SITE_URL does not mint new ids.
   */
  xapiIri: text('xapi_iri'),
  createdAt: createdAt(),
});

export const teamTable = sqliteTable(
  'team',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    name: text('name').notNull(),
    /** The identity provider's id for the group this team is provisioned from (SCIM `externalId`). */
    externalId: text('external_id'),
    createdAt: createdAt(),
    /** When the team's name or members last changed (SCIM `meta.lastModified`); null: not since it was made. */
    updatedAt: integer('updated_at'),
  },
  (t) => [uniqueIndex('team_org_name').on(t.organizationId, t.name)],
);

export const userTable = sqliteTable(
  'user',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    /** Stored lower-cased and trimmed. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    /** What the person is trained as; null for admins and trainers who are not learners. */
    job: text('job', { enum: jobs }),
    /** ISO date (YYYY-MM-DD); drives onboarding due dates. */
    hireDate: text('hire_date'),
    /** IANA time zone the person reads dates and times in; null: the organisation's (content/organization.yaml). */
    timeZone: text('time_zone'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The HR system's id for the person (SCIM `externalId`), unique in the organization when set. */
    externalId: text('external_id'),
    /** The SCIM enterprise extension's `manager` (a user id), as the identity provider last sent it. */
    managerId: text('manager_id'),
    /**
     * When an identity provider DELETEd the user over SCIM (RFC 7644 §3.6): SCIM answers 404 for them from then on,
     * while the account stays (deactivated) with its records. A later POST of the same person revives this row.
     */
    scimDeletedAt: integer('scim_deleted_at'),
    createdAt: createdAt(),
    /** When what SCIM shows of the user (profile, role, teams) last changed (`meta.lastModified`); null: not since made. */
    updatedAt: integer('updated_at'),
  },
  (t) => [
    uniqueIndex('user_email').on(t.email),
    index('user_org').on(t.organizationId),
    uniqueIndex('user_org_external_id')
      .on(t.organizationId, t.externalId)
      .where(sql`external_id IS NOT NULL`),
  ],
);

/** A learner is a `member` of exactly one team; a manager `manages` one or more. */
export const membershipTable = sqliteTable(
  'membership',
  {
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    teamId: text('team_id')
      .notNull()
      .references(() => teamTable.id),
    kind: text('kind', { enum: ['member', 'manager'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.teamId, t.kind] }),
    uniqueIndex('membership_one_team')
      .on(t.userId)
      .where(sql`kind = 'member'`),
    index('membership_team').on(t.teamId, t.kind),
  ],
);

/** Lucia's shape: the id is the SHA-256 (hex) of the token; the token itself is never stored. */
export const sessionTable = sqliteTable(
  'session',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('session_user').on(t.userId)],
);

export const inviteTable = sqliteTable(
  'invite',
  {
    id: id(),
    /** SHA-256 (hex) of the link token. */
    tokenHash: text('token_hash').notNull(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    email: text('email').notNull(),
    role: text('role', { enum: roles }).notNull(),
    job: text('job', { enum: jobs }),
    teamId: text('team_id').references(() => teamTable.id),
    hireDate: text('hire_date'),
    createdBy: text('created_by')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    usedBy: text('used_by').references(() => userTable.id),
    /** Set when its creator (or an admin) revokes it: the link then answers 410. */
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('invite_token').on(t.tokenHash), index('invite_email').on(t.email)],
);

/**
 * "Forgot password?" links: only the token's SHA-256 is stored; a link works once (`usedAt`), until `expiresAt`
 * (30 minutes). Asking for a new link leaves older ones valid until they expire or one of them is used: using any
 * of them marks every open one of that person used, in the same transaction that sets the password.
 */
export const passwordResetTable = sqliteTable(
  'password_reset',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [uniqueIndex('password_reset_token').on(t.tokenHash), index('password_reset_user').on(t.userId)],
);

export const auditLogTable = sqliteTable(
  'audit_log',
  {
    id: id(),
    organizationId: text('organization_id').references(() => organizationTable.id),
    actorId: text('actor_id').references(() => userTable.id),
    action: text('action').notNull(),
    target: text('target'),
    detail: text('detail', { mode: 'json' }),
    createdAt: createdAt(),
  },
  (t) => [index('audit_org_time').on(t.organizationId, t.createdAt)],
);

/** Sign-in throttling lives in the database so several app processes share it. */
export const throttleTable = sqliteTable('throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: integer('window_start').notNull(),
  blockedUntil: integer('blocked_until').notNull(),
});

// ---------------------------------------------------------------------------------------------- quizzes

/**
 * One try at one quiz. `questions` freezes what was drawn and in which option order, so a reload shows the same
 * quiz and grading uses exactly what the learner saw. Submission is a conditional update on status = 'open'.
 */
export const quizAttemptTable = sqliteTable(
  'quiz_attempt',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    quizId: text('quiz_id').notNull(),
    moduleId: text('module_id').notNull(),
    mode: text('mode', { enum: ['practice', 'certification'] }).notNull(),
    contentVersion: text('content_version').notNull(),
    seed: integer('seed').notNull(),
    questions: text('questions', { mode: 'json' }).notNull(),
    startedAt: integer('started_at').notNull(),
    deadlineAt: integer('deadline_at'),
    submittedAt: integer('submitted_at'),
    status: text('status', { enum: ['open', 'submitted', 'expired', 'content_changed'] }).notNull(),
    /** Percent, 0–100. */
    score: integer('score'),
    passed: integer('passed', { mode: 'boolean' }),
    /**
     * The answers given so far while the attempt is open (question id → option positions), saved as each is given
     * so a reload or another device continues. A practice attempt's saved answer is final: its feedback was shown.
     */
    savedAnswers: text('saved_answers', { mode: 'json' }).$type<Record<string, number[]>>().notNull().default({}),
  },
  (t) => [
    index('attempt_user_quiz').on(t.userId, t.quizId, t.startedAt),
    index('attempt_quiz_status').on(t.quizId, t.status, t.submittedAt),
    // Organization-wide reading in time order (xAPI export pages, `since`) without sorting every attempt.
    index('attempt_submitted').on(t.submittedAt, t.id),
  ],
);

/**
 * "Allow one more attempt": a manager or admin lets a learner who used every attempt of a quiz try once more. Each
 * row adds one to the quiz's `attempts.max` for the certification cycle it was granted in (the start check counts
 * the grants made since the cycle began).
 */
export const attemptGrantTable = sqliteTable(
  'attempt_grant',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    quizId: text('quiz_id').notNull(),
    grantedBy: text('granted_by')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [index('attempt_grant_user_quiz').on(t.userId, t.quizId, t.createdAt)],
);

export const quizAnswerTable = sqliteTable(
  'quiz_answer',
  {
    attemptId: text('attempt_id')
      .notNull()
      .references(() => quizAttemptTable.id),
    questionId: text('question_id').notNull(),
    chosen: text('chosen', { mode: 'json' }).$type<string[]>().notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    standards: text('standards', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionId] })],
);

/**
 * One row per standard touched by a graded answer or a role-play choice: what the per-standard team chart reads,
 * indexed by user so a team's rows are found without scanning the organization.
 */
export const standardResultTable = sqliteTable(
  'standard_result',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    standardId: text('standard_id').notNull(),
    source: text('source', { enum: ['quiz', 'roleplay'] }).notNull(),
    sourceId: text('source_id').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('standard_result_user').on(t.userId, t.at)],
);

// ---------------------------------------------------------------------------------------------- role-plays

/**
 * Item analysis of certification attempts, kept up to date incrementally so the trainer page reads a few hundred
 * rows per quiz instead of its attempts and their answers (src/features/reports/item-tally.ts). One row per
 * organization, quiz, UTC day of submission, question, attempt score and option: `answers` counts answers to the
 * question (option '') or picks of the option, `correct` those answered correctly. Question '' counts attempts.
 * Maintained by triggers on quiz_answer and quiz_attempt (migration 0012_item_tally), so every way attempts are
 * written — submit, the seeds, a move between databases — keeps it; the migration fills it from existing rows.
 */
export const itemTallyTable = sqliteTable(
  'item_tally',
  {
    organizationId: text('organization_id').notNull(),
    quizId: text('quiz_id').notNull(),
    /** Days since 1970-01-01 (UTC) of the attempt's submission. */
    day: integer('day').notNull(),
    questionId: text('question_id').notNull(),
    score: integer('score').notNull(),
    optionId: text('option_id').notNull(),
    answers: integer('answers').notNull(),
    correct: integer('correct').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.quizId, t.day, t.questionId, t.score, t.optionId] })],
);

export const roleplayRunTable = sqliteTable(
  'roleplay_run',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    roleplayId: text('roleplay_id').notNull(),
    contentVersion: text('content_version').notNull(),
    /** open → ended | content_changed (the role-play was edited mid-run) | abandoned (the learner started over). */
    status: text('status', { enum: ['open', 'ended', 'content_changed', 'abandoned'] }).notNull(),
    nodeId: text('node_id').notNull(),
    state: text('state', { mode: 'json' }).notNull(),
    /** Number of choices made; a choice must name the step it answers, so replays are refused. */
    step: integer('step').notNull(),
    /** Seeds the order the replies are shown in at each step (replyOrder); never leaves the server. */
    seed: integer('seed').notNull(),
    /** Secret that keys this run's reply tokens (what the browser sends instead of choice ids); never leaves the server. */
    replyKey: text('reply_key').notNull(),
    /** A practice run ("replay from here"): kept and shown as Practice, never counted for certification or reports. */
    practice: integer('practice', { mode: 'boolean' }).notNull().default(false),
    /** Where a practice run began: the run and step it replays, with the node and state there; null from the start. */
    origin: text('origin', { mode: 'json' }),
    endingId: text('ending_id'),
    score: integer('score'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [
    index('run_user_roleplay').on(t.userId, t.roleplayId, t.startedAt),
    index('run_ended').on(t.endedAt, t.id),
    // One open run per learner and role-play: starting again resumes it, so parallel starts cannot make two.
    uniqueIndex('run_one_open')
      .on(t.userId, t.roleplayId)
      .where(sql`status = 'open'`),
  ],
);

export const roleplayStepTable = sqliteTable(
  'roleplay_step',
  {
    runId: text('run_id')
      .notNull()
      .references(() => roleplayRunTable.id),
    step: integer('step').notNull(),
    nodeId: text('node_id').notNull(),
    choiceId: text('choice_id').notNull(),
    stateAfter: text('state_after', { mode: 'json' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step] }), index('step_time').on(t.at, t.runId, t.step)],
);

export const judgmentAnswerTable = sqliteTable(
  'judgment_answer',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    caseId: text('case_id').notNull(),
    optionId: text('option_id').notNull(),
    text: text('text'),
    autoScore: integer('auto_score'),
    /**
     * A learner's first answer to a case is the one on record (auto score, review queue, reports); every later one
     * is practice: kept and shown to the learner as such, never counted, never queued for review.
     */
    practice: integer('practice', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('judgment_user').on(t.userId, t.createdAt),
    // At most one answer on record per learner and case, whatever races the inserts.
    uniqueIndex('judgment_on_record')
      .on(t.userId, t.caseId)
      .where(sql`practice = 0`),
  ],
);

export const judgmentReviewTable = sqliteTable('judgment_review', {
  answerId: text('answer_id')
    .primaryKey()
    .references(() => judgmentAnswerTable.id),
  reviewerId: text('reviewer_id')
    .notNull()
    .references(() => userTable.id),
  ratings: text('ratings', { mode: 'json' }).$type<Record<string, number>>().notNull(),
  comment: text('comment').notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------- calibration exercises

/**
 * One try at a QA calibration exercise: the learner scores every contact against the scorecard and is compared with
 * the expert. Started (open) first, so a replayed or doubled submit and parallel starts cannot slip past the attempt
 * policy; submitted once (a conditional update on status = 'open'), or closed as content_changed when the module's
 * material changed while it was open. `score` is the percent of calls that agree with the expert's.
 */
export const exerciseAttemptTable = sqliteTable(
  'exercise_attempt',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    exerciseId: text('exercise_id').notNull(),
    moduleId: text('module_id').notNull(),
    contentVersion: text('content_version').notNull(),
    status: text('status', { enum: ['open', 'submitted', 'content_changed'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    submittedAt: integer('submitted_at'),
    /** Percent agreement with the expert, 0–100. */
    score: integer('score'),
    passed: integer('passed', { mode: 'boolean' }),
  },
  (t) => [
    index('exercise_attempt_user').on(t.userId, t.exerciseId, t.startedAt),
    index('exercise_attempt_status').on(t.exerciseId, t.status, t.submittedAt),
    index('exercise_attempt_submitted').on(t.submittedAt, t.id),
    // One open attempt per learner and exercise: a second one would be a second key to the same test.
    uniqueIndex('exercise_attempt_one_open')
      .on(t.userId, t.exerciseId)
      .where(sql`status = 'open'`),
  ],
);

/** The learner's call on one scorecard item (a contact × a standard), the expert's call at grading time, and whether they agree. */
export const exerciseScoreTable = sqliteTable(
  'exercise_score',
  {
    attemptId: text('attempt_id')
      .notNull()
      .references(() => exerciseAttemptTable.id),
    contactId: text('contact_id').notNull(),
    standardId: text('standard_id').notNull(),
    score: text('score', { enum: ['met', 'not-met', 'na'] }).notNull(),
    expert: text('expert', { enum: ['met', 'not-met', 'na'] }).notNull(),
    agrees: integer('agrees', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.contactId, t.standardId] })],
);

// ---------------------------------------------------------------------------------------------- lessons

/**
 * "This person read this lesson, as it was then": one row per learner, module and content version, written when
 * they finish the lesson. The primary key makes finishing again (a reload, a second tab) a no-op; a new version of
 * the module is a new row, so the history of what was read stays.
 */
export const lessonCompletionTable = sqliteTable(
  'lesson_completion',
  {
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    moduleId: text('module_id').notNull(),
    contentVersion: text('content_version').notNull(),
    completedAt: integer('completed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.moduleId, t.contentVersion] })],
);

// ---------------------------------------------------------------------------------------------- certification

/**
 * Every issue and renewal is its own row; a renewal points at the certificate it replaces. Status (valid,
 * expiring, expired, revoked) is derived from the dates and `revokedAt` at read time, never stored.
 */
export const certificateTable = sqliteTable(
  'certificate',
  {
    id: id(),
    /** Public verification code: ≥128 random bits, base32. */
    code: text('code').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    trackId: text('track_id').notNull(),
    issuedAt: integer('issued_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    replacesId: text('replaces_id'),
    /** { [moduleId]: contentVersion } at issue time. */
    moduleVersions: text('module_versions', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    revokedAt: integer('revoked_at'),
    revokedBy: text('revoked_by').references(() => userTable.id),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    uniqueIndex('certificate_code').on(t.code),
    index('certificate_user_track').on(t.userId, t.trackId, t.issuedAt),
  ],
);

/** The lifecycle's history: issued, renewed, revoked, update_required, updated. */
export const certificationEventTable = sqliteTable(
  'certification_event',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    trackId: text('track_id').notNull(),
    certificateId: text('certificate_id').references(() => certificateTable.id),
    kind: text('kind', { enum: ['issued', 'renewed', 'revoked', 'update_required', 'updated'] }).notNull(),
    detail: text('detail', { mode: 'json' }),
    at: integer('at').notNull(),
  },
  (t) => [
    index('cert_event_user').on(t.userId, t.at),
    index('cert_event_time').on(t.at),
    // A certificate's history (the public verify page) without reading every event.
    index('cert_event_certificate').on(t.certificateId),
  ],
);

/** Module content versions as first seen by the server; `editorial` changes do not trigger recertification. */
export const contentVersionTable = sqliteTable(
  'content_version',
  {
    moduleId: text('module_id').notNull(),
    version: text('version').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    editorial: integer('editorial', { mode: 'boolean' }).notNull().default(false),
    markedBy: text('marked_by').references(() => userTable.id),
  },
  (t) => [primaryKey({ columns: [t.moduleId, t.version] })],
);

// ---------------------------------------------------------------------------------------------- assignments

export const assignmentTable = sqliteTable(
  'assignment',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    trackId: text('track_id').notNull(),
    dueAt: integer('due_at').notNull(),
    mandatory: integer('mandatory', { mode: 'boolean' }).notNull(),
    kind: text('kind', { enum: ['onboarding', 'manual', 'renewal'] }).notNull(),
    /** For renewals: the certificate being renewed, so a renewal is created once per certificate. */
    certificateId: text('certificate_id').references(() => certificateTable.id),
    assignedBy: text('assigned_by').references(() => userTable.id),
    createdAt: createdAt(),
    completedAt: integer('completed_at'),
  },
  (t) => [
    index('assignment_user').on(t.userId, t.trackId),
    uniqueIndex('assignment_renewal_once')
      .on(t.certificateId)
      .where(sql`certificate_id IS NOT NULL`),
    /** Onboarding happens once per person and track: a repeated account hook must not double it. */
    uniqueIndex('assignment_onboarding_once')
      .on(t.userId, t.trackId)
      .where(sql`kind = 'onboarding'`),
  ],
);

/** `update`: a lesson the learner is certified on changed; `nudge`: a reminder a manager sent by hand from /team (at
 * most one per person and day, by its dedupe key). */
export const noticeKinds = ['due', 'overdue', 'expiring', 'expired', 'update', 'nudge'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** The reminder outbox. `dedupeKey` is unique so a second `npm run reminders` the same day adds nothing. */
export const noticeTable = sqliteTable(
  'notice',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    kind: text('kind', { enum: noticeKinds }).notNull(),
    assignmentId: text('assignment_id').references(() => assignmentTable.id),
    dedupeKey: text('dedupe_key').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
    dismissedAt: integer('dismissed_at'),
  },
  (t) => [uniqueIndex('notice_dedupe').on(t.dedupeKey), index('notice_user').on(t.userId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------- notifications

/**
 * What a person wants emailed. No row: every kind, each notice as it comes. `emailOff` lists the kinds they do not
 * want by email (the notices still show on their home page); `digest` gathers them into one email a week, and
 * `digestSentAt` is when the last one went out.
 */
export const notificationPreferenceTable = sqliteTable('notification_preference', {
  userId: text('user_id')
    .primaryKey()
    .references(() => userTable.id),
  emailOff: text('email_off', { mode: 'json' }).$type<NoticeKind[]>().notNull(),
  digest: integer('digest', { mode: 'boolean' }).notNull().default(false),
  digestSentAt: integer('digest_sent_at'),
  updatedAt: integer('updated_at').notNull(),
});

/** Secrets the site makes once and keeps (e.g. the key that signs unsubscribe links), shared by every process. */
export const siteSecretTable = sqliteTable('site_secret', {
  name: text('name').primaryKey(),
  /** Base64url of random bytes. */
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * The test clock's offset (src/lib/server/clock.ts), kept so the CLI commands run on the server's clock. Written
 * and read only when FRONTLINE_TEST_CLOCK=1; one row.
 */
export const testClockTable = sqliteTable('test_clock', {
  id: integer('id').primaryKey(),
  offsetMs: integer('offset_ms').notNull(),
});

// ---------------------------------------------------------------------------------------------- xAPI

/**
 * Every xAPI statement, frozen when its event happens (a graded attempt and its answers, a role-play reply and
 * ending, a certification event): what the pull API serves and the LRS outbox sends, never rebuilt from today's
 * content. `source` + `sourceId` name the record it was made from (unique, so freezing twice adds nothing, and a
 * later rule can find the statements of one attempt or run). `seq` is the order of storing. Push state: unsent
 * while `pushedAt` is null; `pushNextAt` is when it may be tried again (a claim or a back-off).
 */
export const xapiStatementTable = sqliteTable(
  'xapi_statement',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    /** The statement's UUID. */
    id: text('id').notNull(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    /** The learner the statement is about (its actor): what a manager's or a credential's team scope filters on. */
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    source: text('source', {
      enum: ['attempt', 'answer', 'run', 'step', 'certification', 'exercise', 'evaluation', 'acknowledgement'],
    }).notNull(),
    sourceId: text('source_id').notNull(),
    statement: text('statement', { mode: 'json' }).notNull(),
    storedAt: integer('stored_at').notNull(),
    pushedAt: integer('pushed_at'),
    pushAttempts: integer('push_attempts').notNull().default(0),
    pushNextAt: integer('push_next_at'),
    pushError: text('push_error'),
  },
  (t) => [
    uniqueIndex('xapi_statement_id').on(t.id),
    uniqueIndex('xapi_statement_source').on(t.source, t.sourceId),
    index('xapi_statement_org_stored').on(t.organizationId, t.storedAt, t.seq),
    index('xapi_statement_unpushed')
      .on(t.seq)
      .where(sql`pushed_at IS NULL`),
  ],
);

/**
 * Basic credentials for LRS-style clients of GET /api/xapi/statements, made by an admin on /admin/lrs-credentials.
 * `key` is the public half (the Basic user name); of the secret only its SHA-256 is kept, and it is shown once.
 * `teamIds` null: the whole organization; else only those teams' members.
 */
export const lrsCredentialTable = sqliteTable(
  'lrs_credential',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    name: text('name').notNull(),
    key: text('key').notNull(),
    secretHash: text('secret_hash').notNull(),
    teamIds: text('team_ids', { mode: 'json' }).$type<string[]>(),
    createdBy: text('created_by')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('lrs_credential_key').on(t.key), index('lrs_credential_org').on(t.organizationId, t.createdAt)],
);

/**
 * Each certificate's place in the Open Badges revocation status list, given when its first credential is made
 * (src/features/exports/badges.server.ts) and kept for good: the list's bit at that place says "revoked".
 */
export const badgeStatusEntryTable = sqliteTable('badge_status_entry', {
  certificateId: text('certificate_id')
    .primaryKey()
    .references(() => certificateTable.id),
  /** 0, 1, 2 … in the order given; unique (see status-list.ts for list and position). */
  listIndex: integer('list_index').notNull().unique(),
});

// ---------------------------------------------------------------------------------------------- quality

/**
 * Quality scoring of real contacts (src/features/quality/). An evaluation is one contact scored on a scorecard:
 * `floor` by a manager or evaluator; `calibration` by one of several evaluators scoring the same contact blind;
 * `agreed`, the calibration's score after discussion, which counts like a floor evaluation. Drafts are edited in
 * place; once submitted an evaluation is never changed, except that the rep acknowledges it.
 */
export const evaluationKinds = ['floor', 'calibration', 'agreed'] as const;
export type EvaluationKind = (typeof evaluationKinds)[number];

export const qualityEvaluationTable = sqliteTable(
  'quality_evaluation',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    repId: text('rep_id')
      .notNull()
      .references(() => userTable.id),
    /** The rep's team when scored: results and the sampling plan are per team and month. */
    teamId: text('team_id')
      .notNull()
      .references(() => teamTable.id),
    evaluatorId: text('evaluator_id')
      .notNull()
      .references(() => userTable.id),
    kind: text('kind', { enum: evaluationKinds }).notNull(),
    calibrationId: text('calibration_id').references(() => qualityCalibrationTable.id),
    scorecardId: text('scorecard_id').notNull(),
    channel: text('channel').notNull(),
    /** The contact's date, YYYY-MM-DD; `month` (YYYY-MM) is derived from it and is what results group by. */
    contactDate: text('contact_date').notNull(),
    month: text('month').notNull(),
    /** Ticket or call id. */
    reference: text('reference').notNull(),
    link: text('link'),
    notes: text('notes'),
    status: text('status', { enum: ['draft', 'submitted'] }).notNull(),
    /** Percent of applicable points (src/features/quality/quality.ts), set on submission. */
    score: integer('score'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
    submittedAt: integer('submitted_at'),
    acknowledgedAt: integer('acknowledged_at'),
    ackComment: text('ack_comment'),
  },
  (t) => [
    index('quality_eval_rep').on(t.repId, t.month),
    index('quality_eval_team').on(t.teamId, t.month, t.status),
    /** Each evaluator scores a calibration's contact once, and it has one agreed score. */
    uniqueIndex('quality_eval_calibration_once')
      .on(t.calibrationId, t.evaluatorId)
      .where(sql`kind = 'calibration'`),
    uniqueIndex('quality_eval_agreed_once')
      .on(t.calibrationId)
      .where(sql`kind = 'agreed'`),
  ],
);

/** One value per item of an evaluation (yes | no | na, or 1–5 | na), with the scorer's optional comment. */
export const qualityScoreTable = sqliteTable(
  'quality_score',
  {
    evaluationId: text('evaluation_id')
      .notNull()
      .references(() => qualityEvaluationTable.id),
    itemKey: text('item_key').notNull(),
    standardId: text('standard_id').notNull(),
    value: text('value').notNull(),
    comment: text('comment'),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.itemKey] })],
);

/** A team's monthly sample: contacts to score per rep per month (default: the organisation's `qa-sample`). */
export const qualityPlanTable = sqliteTable('quality_plan', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => teamTable.id),
  perRep: integer('per_rep').notNull(),
  updatedBy: text('updated_by').references(() => userTable.id),
  updatedAt: integer('updated_at').notNull(),
});

/** Evaluators assigned to a team besides its managers (e.g. a QA lead or a manager of another team). */
export const qualityEvaluatorTable = sqliteTable(
  'quality_evaluator',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teamTable.id),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('quality_evaluator_user').on(t.userId)],
);

/** One contact scored by several evaluators independently, scheduled per team; its agreed score is an evaluation. */
export const qualityCalibrationTable = sqliteTable(
  'quality_calibration',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    teamId: text('team_id')
      .notNull()
      .references(() => teamTable.id),
    repId: text('rep_id')
      .notNull()
      .references(() => userTable.id),
    scorecardId: text('scorecard_id').notNull(),
    channel: text('channel').notNull(),
    contactDate: text('contact_date').notNull(),
    reference: text('reference').notNull(),
    link: text('link'),
    /** When the evaluators meet to discuss, YYYY-MM-DD. */
    sessionDate: text('session_date').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [index('quality_calibration_team').on(t.teamId, t.sessionDate)],
);

/**
 * The loop: a rep below the organisation's quality floor on a standard in a month gets one coaching note (for their
 * manager) and one remedial module. Unique per rep, standard and month, so parallel submissions record it once.
 */
export const qualityRemedialTable = sqliteTable(
  'quality_remedial',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    repId: text('rep_id')
      .notNull()
      .references(() => userTable.id),
    teamId: text('team_id')
      .notNull()
      .references(() => teamTable.id),
    standardId: text('standard_id').notNull(),
    month: text('month').notNull(),
    /** Floor result that triggered it: items met of those applicable. */
    met: integer('met').notNull(),
    applicable: integer('applicable').notNull(),
    /** The module that teaches the standard, due by `dueAt`; null when no module lists the standard. */
    moduleId: text('module_id'),
    dueAt: integer('due_at'),
    note: text('note').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('quality_remedial_once').on(t.repId, t.standardId, t.month),
    index('quality_remedial_team').on(t.teamId, t.month),
  ],
);

// ---------------------------------------------------------------------------------------------- enterprise identity

/**
 * An OpenID Connect provider an admin configured on /admin/sso. The client secret is kept sealed (AES-256-GCM with
 * the key of src/lib/server/secret-box.ts, which lives outside the database), since the token request needs it back.
 * `passwordsAllowed` false: people of its domains sign in only through it. `createAccounts`: a first sign-in with
 * no account makes one (a learner in `defaultTeamId`); otherwise only existing accounts are linked.
 */
export const ssoProviderTable = sqliteTable('sso_provider', {
  id: id(),
  organizationId: text('organization_id')
    .notNull()
    .references(() => organizationTable.id),
  name: text('name').notNull(),
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  clientSecretSealed: text('client_secret_sealed').notNull(),
  passwordsAllowed: integer('passwords_allowed', { mode: 'boolean' }).notNull(),
  createAccounts: integer('create_accounts', { mode: 'boolean' }).notNull(),
  defaultTeamId: text('default_team_id').references(() => teamTable.id),
  createdBy: text('created_by')
    .notNull()
    .references(() => userTable.id),
  createdAt: createdAt(),
});

/** Which provider an email domain signs in with: one provider per domain (the primary key). Lower-cased. */
export const ssoDomainTable = sqliteTable(
  'sso_domain',
  {
    domain: text('domain').primaryKey(),
    providerId: text('provider_id')
      .notNull()
      .references(() => ssoProviderTable.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sso_domain_provider').on(t.providerId)],
);

/**
 * A sign-in on its way through a provider: made when the browser is sent there, consumed (deleted) by the callback,
 * so a state, and the code that came with it, works once. Keyed by the SHA-256 of `state`; the PKCE verifier and
 * nonce never leave the server.
 */
export const ssoLoginTable = sqliteTable('sso_login', {
  stateHash: text('state_hash').primaryKey(),
  providerId: text('provider_id')
    .notNull()
    .references(() => ssoProviderTable.id, { onDelete: 'cascade' }),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  next: text('next'),
  expiresAt: integer('expires_at').notNull(),
});

/** A person's account at a provider (its `sub`), linked on their first sign-in through it. */
export const ssoIdentityTable = sqliteTable(
  'sso_identity',
  {
    providerId: text('provider_id')
      .notNull()
      .references(() => ssoProviderTable.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.providerId, t.subject] }), index('sso_identity_user').on(t.userId)],
);

export const scimScopes = ['users', 'groups'] as const;
export type ScimScope = (typeof scimScopes)[number];

/**
 * Bearer tokens for /scim/v2, made by an admin on /admin/scim-tokens: only the token's SHA-256 is kept (it is shown
 * once). `scopes`: which resources it may read and write (Users, Groups).
 */
export const scimTokenTable = sqliteTable(
  'scim_token',
  {
    id: id(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizationTable.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<ScimScope[]>().notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('scim_token_hash').on(t.tokenHash), index('scim_token_org').on(t.organizationId, t.createdAt)],
);
