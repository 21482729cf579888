/**
 * The content formats trainers write in `content/`. One zod schema per kind; `src/content.config.ts` feeds them to
 * Astro's collections and `npm run content:check` uses them (plus the cross-reference and graph checks) to report
 * `file:line:col` errors. Every field has a one-line doc so authors see it on hover.
 */
import { z } from 'zod';

/** kebab-case id: lower-case letters, digits and single dashes. */
export const slugSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9, dashes)');
export const audienceSchema = z.enum(['rep', 'manager']);
export type Audience = z.infer<typeof audienceSchema>;
const prose = z.string().trim().min(1, 'must not be empty');
/** A file the site serves from public/media/, e.g. `/media/personas/dana.svg`. */
export const mediaPathSchema = z.string().regex(/^\/media(?:\/[\w-][\w.-]*)+$/, 'must be a path under /media/, e.g. /media/personas/dana.svg');

export const standardSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Short name shown in lists and charts. */
  title: prose,
  /** Who the standard is for. */
  audience: audienceSchema,
  /** The standard itself: what to do. */
  standard: prose,
  /** Why: the consequence for the customer and for the business. */
  why: prose,
  /** How it is measured: specific and countable. */
  measure: prose,
  /** When to bend it: the judgment call. */
  bend: prose,
  /** Seed article the idea comes from (file name in shared/seeds, without .txt). */
  source: prose,
});
export type Standard = z.infer<typeof standardSchema>;

export const moduleFrontmatterSchema = z.strictObject({
  /** Lesson title. */
  title: prose,
  /** One or two sentences shown in the track outline. */
  summary: prose,
  /** rep or manager. */
  audience: audienceSchema,
  /** Estimated reading and practice time in minutes. */
  minutes: z.number().int().min(1).max(120),
  /** Standard ids this lesson teaches. */
  standards: z.array(slugSchema).min(1),
  /** Module slugs to finish first. */
  prerequisites: z.array(slugSchema).default([]),
  /** The quiz that checks this module (a file in content/quizzes). */
  quiz: slugSchema,
});
export type ModuleFrontmatter = z.infer<typeof moduleFrontmatterSchema>;

/** A job aid: one printable page per module (content/job-aids/<module>.mdx), for the desk rather than the course. */
export const jobAidFrontmatterSchema = z.strictObject({
  /** What the page is, e.g. "The transfer script". */
  title: prose,
  /** One line on when to reach for it, shown under the title. */
  use: prose,
});
export type JobAidFrontmatter = z.infer<typeof jobAidFrontmatterSchema>;

const optionSchema = z.strictObject({
  /** Option id, unique within the question. */
  id: slugSchema,
  /** What the learner sees. */
  text: prose,
  /** Whether choosing it is right (ordering: leave out; the listed order is the answer). */
  correct: z.boolean().optional(),
  /** Why this option is right or wrong; shown after submission. */
  feedback: prose,
});
export type QuizOption = z.infer<typeof optionSchema>;

export const questionKinds = ['single', 'multiple', 'true-false', 'ordering', 'scenario'] as const;
export const questionSchema = z.strictObject({
  /** Question id, unique within the quiz. */
  id: slugSchema,
  /** single | multiple | true-false | ordering | scenario. */
  kind: z.enum(questionKinds),
  /** For scenario questions: the short situation shown before the prompt. */
  scenario: prose.optional(),
  /** The question. */
  prompt: prose,
  /** Standard ids this question tests. */
  standards: z.array(slugSchema).min(1),
  /** Answer options. For ordering, list them in the correct order. */
  options: z.array(optionSchema).min(2).max(8),
});
export type Question = z.infer<typeof questionSchema>;

/** How many tries an assessment allows and how long to wait after a failed one. */
export const attemptPolicySchema = z.strictObject({
  /** Maximum attempts; omit for unlimited. */
  max: z.number().int().min(1).optional(),
  /** Minutes to wait after a failed attempt. */
  cooldownMinutes: z.number().int().min(0).default(0),
});
export type AttemptPolicy = z.infer<typeof attemptPolicySchema>;

export const quizSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Quiz title. */
  title: prose,
  /** The module this quiz checks. */
  module: slugSchema,
  /** practice (recorded, never counts) or certification. */
  mode: z.enum(['practice', 'certification']),
  /** Percent needed to pass. */
  passMark: z.number().int().min(1).max(100),
  /** How many tries and how long to wait between them. */
  attempts: attemptPolicySchema,
  /** Minutes allowed from start, checked on the server; omit for none. */
  timeLimitMinutes: z.number().int().min(1).optional(),
  /** Draw this many questions from the pool; omit to ask all. */
  draw: z.number().int().min(1).optional(),
  /** Shuffle question and option order (per attempt, from a stored seed). */
  shuffle: z.boolean().default(true),
  /** When learners see which option was right: always, or only after passing. */
  review: z.enum(['always', 'after-pass']).default('always'),
  /** The question pool. */
  questions: z.array(questionSchema).min(1),
});
export type Quiz = z.infer<typeof quizSchema>;

/** `anger >= 7`, or several joined by `and`: `anger >= 7 and trust < 3`. */
export const conditionSchema = z
  .string()
  .regex(
    /^\s*[a-z][a-z0-9_]*\s*(<=|>=|==|!=|<|>)\s*-?\d+\s*(\s+and\s+[a-z][a-z0-9_]*\s*(<=|>=|==|!=|<|>)\s*-?\d+\s*)*$/,
    'must look like `anger >= 7` or `anger >= 7 and trust < 3`',
  );

const choiceSchema = z
  .strictObject({
    /** Choice id, unique within the node. */
    id: slugSchema,
    /** What the rep says. */
    text: prose,
    /** Change to each state variable, e.g. { anger: -2, trust: 1 }. */
    effects: z.record(z.string(), z.number().int()).default({}),
    /** Standard ids this reply honours. */
    honours: z.array(slugSchema).default([]),
    /** Standard ids this reply breaks. */
    breaks: z.array(slugSchema).default([]),
    /** Shown in the debrief: why this reply helps or hurts. */
    feedback: prose,
    /** Marks the reply the debrief offers as the better one at this node. */
    best: z.boolean().default(false),
    /** Next node or ending id. Use this or `branch`. */
    next: slugSchema.optional(),
    /** Conditional next: the first entry whose `if` holds (after effects) wins; the last must have no `if`. */
    branch: z
      .array(z.strictObject({ if: conditionSchema.optional(), next: slugSchema }))
      .min(2)
      .optional(),
  })
  .refine((c) => (c.next === undefined) !== (c.branch === undefined), 'give exactly one of `next` or `branch`');
export type Choice = z.infer<typeof choiceSchema>;

/**
 * How the other person's words read in one state: the first variant whose `if` holds on the state as the learner
 * arrives at the node replaces the default `line` (and `narration`, when it gives one).
 */
const lineVariantSchema = z
  .strictObject({
    /** When this wording applies, e.g. `anger >= 7`. */
    if: conditionSchema,
    /** The line in that state. */
    line: prose.optional(),
    /** The narration in that state. */
    narration: prose.optional(),
  })
  .refine((v) => v.line !== undefined || v.narration !== undefined, 'give a `line`, a `narration`, or both');
export type LineVariant = z.infer<typeof lineVariantSchema>;

const nodeSchema = z.strictObject({
  /** Optional scene-setting shown in italics before the line. */
  narration: prose.optional(),
  /** What the customer (or coached rep) says. */
  line: prose,
  /** Other wordings of the line or narration, chosen by the state (the first whose `if` holds wins). */
  variants: z.array(lineVariantSchema).max(6).optional(),
  /** The replies offered. */
  choices: z.array(choiceSchema).min(1).max(6),
});
export type RoleplayNode = z.infer<typeof nodeSchema>;

const endingSchema = z.strictObject({
  /** resolved | escalated | lost (customer) | other. */
  kind: z.enum(['resolved', 'escalated', 'lost', 'other']),
  /** Short name of the ending. */
  title: prose,
  /** The closing line or narration. */
  text: prose,
  /** Score 0–100 awarded for reaching it. */
  score: z.number().int().min(0).max(100),
});
export type Ending = z.infer<typeof endingSchema>;

/** Where a contact happens: phone (a call), chat, email or social (a public thread). */
export const channelSchema = z.enum(['phone', 'chat', 'email', 'social']);
export type Channel = z.infer<typeof channelSchema>;

export const roleplaySchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Title. */
  title: prose,
  /** rep or manager. */
  audience: audienceSchema,
  /** Where the conversation happens: phone (a call), chat, email or social (a public thread). */
  channel: channelSchema.default('phone'),
  /** The module whose lesson introduces it. */
  module: slugSchema,
  /** Score a run needs to count when a track requires this role-play. */
  passScore: z.number().int().min(0).max(100),
  /** Who the other person is and what went wrong. */
  persona: z.strictObject({
    /** Their name, as the learner will use it. */
    name: prose,
    /** What happened before the conversation starts. */
    situation: prose,
    /** An illustrated portrait shown on the lesson's role-play card: a file under public/media/ and its alt text. */
    portrait: z
      .strictObject({
        /** Path as the site serves it, e.g. /media/personas/dana.svg. */
        src: mediaPathSchema,
        /** What the picture shows, for people who can't see it. */
        alt: prose,
      })
      .optional(),
  }),
  /** State variables, e.g. anger: { label: Anger, start: 6, min: 0, max: 10, better: lower }. */
  state: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'variable names are lower_snake_case'),
    z.strictObject({
      label: prose,
      start: z.number().int(),
      min: z.number().int(),
      max: z.number().int(),
      /**
       * Which way is good for the conversation: `lower` (anger, frustration: a red meter) or `higher` (trust: a
       * green one). Left out, the meter is neutral.
       */
      better: z.enum(['higher', 'lower']).optional(),
    }),
  ),
  /** Id of the first node. */
  start: slugSchema,
  /** The conversation, keyed by node id. */
  nodes: z.record(slugSchema, nodeSchema),
  /** Ways it can end, keyed by ending id. */
  endings: z.record(slugSchema, endingSchema),
});
export type Roleplay = z.infer<typeof roleplaySchema>;

/** One rubric criterion: its label and what an answer at each level, 1 (poor) to 5 (excellent), looks like. */
export const rubricCriterionSchema = z.strictObject({
  /** Criterion id, unique within the case. */
  id: slugSchema,
  /** What is rated, e.g. "Customer outcome". */
  label: prose,
  /** Five descriptors, for levels 1 to 5 in order: what an answer at that level does. */
  levels: z.tuple([prose, prose, prose, prose, prose]),
});
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>;

/** The rubric of every case that does not write its own. */
export const defaultRubric: RubricCriterion[] = [
  {
    id: 'outcome',
    label: 'Customer outcome',
    levels: [
      'The customer is left worse off, or with no resolution.',
      'Some help, but the customer’s main need is missed or left for them to chase.',
      'The main need is met, with loose ends the customer must follow up themselves.',
      'The need is met and the customer knows exactly what happens next.',
      'The need is met, the next steps are owned and confirmed, and the customer’s trust is kept or won back.',
    ],
  },
  {
    id: 'standard',
    label: 'Standard applied',
    levels: [
      'The standard that matters here is ignored or broken.',
      'The standard is named but applied wrongly or only in part.',
      'The standard is applied, without saying why it fits this case.',
      'The standard is applied correctly and fitted to this customer.',
      'The standard is applied correctly, and where it bends, the answer says why and within which limits.',
    ],
  },
  {
    id: 'reasoning',
    label: 'Reasoning',
    levels: [
      'No reason is given, or the reason is wrong.',
      'A reason, but it ignores the customer or what the rule is for.',
      'A sound reason, with the trade-off left unsaid.',
      'A sound reason that weighs the customer’s need against the rule.',
      'Clear reasoning that weighs the options and would convince a colleague.',
    ],
  },
];

export const judgmentCaseSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Title. */
  title: prose,
  /** Standards the case is about. */
  standards: z.array(slugSchema).min(1),
  /** What is happening. */
  situation: prose,
  /** The usual rule or precedent. */
  rule: prose,
  /** The choices: follow precedent, bend it, escalate… */
  options: z
    .array(
      z.strictObject({
        /** Option id, unique within the case. */
        id: slugSchema,
        /** What the learner would do. */
        label: prose,
        /** Why this is a good or poor call; shown after answering. */
        reasoning: prose,
        /** Automatic score 0–100; a manager's review overrides it. */
        score: z.number().int().min(0).max(100),
      }),
    )
    .min(2),
  /** Optional free-text prompt ("What would you do, and why?"); answers go to the manager's review queue. */
  prompt: prose.optional(),
  /**
   * What the manager rates a free-text answer on: each criterion with what an answer at each level (1 to 5, in
   * order) looks like, so the rating, and the score made from it, explain themselves. Leave it out for the default.
   */
  rubric: z.array(rubricCriterionSchema).min(1).default(defaultRubric),
  /**
   * A strong written answer, in the author's words: shown to the reviewer beside the learner's answer, and to the
   * learner with the manager's review.
   */
  modelAnswer: prose.optional(),
});
export type JudgmentCase = z.infer<typeof judgmentCaseSchema>;

/** How a scorecard item is scored: the standard was met, not met, or had no occasion to apply (not applicable). */
export const scorecardScores = ['met', 'not-met', 'na'] as const;
export type ScorecardScore = (typeof scorecardScores)[number];

const transcriptTurnSchema = z.strictObject({
  /** customer | rep | narration (what happened, e.g. "The rep puts the customer on hold."). */
  who: z.enum(['customer', 'rep', 'narration']),
  /** What was said or written; for narration, what happened. */
  text: prose,
});
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

const exerciseContactSchema = z.strictObject({
  /** Contact id, unique within the exercise. */
  id: slugSchema,
  /** phone | chat | email | social: how the transcript is laid out. */
  channel: channelSchema,
  /** A short title, e.g. "The missing refund". */
  title: prose,
  /** The contact, turn by turn. */
  transcript: z.array(transcriptTurnSchema).min(2),
  /** The expert's call on every scorecard standard, keyed by standard id; shown to learners only after they submit. */
  expert: z.record(
    slugSchema,
    z.strictObject({
      /** met | not-met | na (not applicable). */
      score: z.enum(scorecardScores),
      /** Why, pointing at what the rep said or did: this is what teaches. */
      reason: prose,
    }),
  ),
});
export type ExerciseContact = z.infer<typeof exerciseContactSchema>;

export const exerciseSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Title. */
  title: prose,
  /** rep or manager. */
  audience: audienceSchema,
  /** The module whose lesson introduces it (and shows it with <Exercise id="…" />). */
  module: slugSchema,
  /** Percent of calls that must agree with the expert's to pass. */
  passMark: z.number().int().min(1).max(100),
  /** How many tries and how long to wait after a fail; leave out for unlimited tries without a wait. */
  attempts: attemptPolicySchema.default({ cooldownMinutes: 0 }),
  /** When learners see the expert's scores and reasons: after every attempt (always) or once they pass. */
  review: z.enum(['always', 'after-pass']).default('always'),
  /** What the learner is asked to do, shown above the contacts. */
  instructions: prose,
  /** The scorecard: standard ids, each scored met / not met / not applicable on every contact, in this order. */
  scorecard: z.array(slugSchema).min(1).max(8),
  /** The contacts to score: 3 to 5 short transcripts. */
  contacts: z.array(exerciseContactSchema).min(1),
});
export type Exercise = z.infer<typeof exerciseSchema>;

/** How a quality scorecard item is scored: yes / no (with not applicable), or a 1–5 scale (with not applicable). */
export const itemScales = ['yes-no', 'scale'] as const;
export type ItemScale = (typeof itemScales)[number];

const qualityItemSchema = z.strictObject({
  /** The standard this item measures; its measure, reason and bend are shown to the scorer. */
  standard: slugSchema,
  /** Item id, unique on the scorecard; leave out to use the standard's id (give one when a standard has two items). */
  id: slugSchema.optional(),
  /** yes-no (met / not met / not applicable) or scale (1 poor … 5 excellent, or not applicable). */
  scale: z.enum(itemScales).default('yes-no'),
  /** The question the scorer answers; leave out to ask whether the standard's measure was met. */
  ask: prose.optional(),
});
export type QualityItem = z.infer<typeof qualityItemSchema>;

export const qualityScorecardSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Title shown to evaluators, e.g. "Phone calls". */
  title: prose,
  /** The channel whose real contacts it scores: phone, chat, email or social (one scorecard per channel). */
  channel: channelSchema,
  /** Items in the order they are scored: each measures one rep standard. */
  items: z.array(qualityItemSchema).min(1).max(20),
});
export type QualityScorecard = z.infer<typeof qualityScorecardSchema>;

export const requirementSchema = z.union([
  z.strictObject({
    /** A quiz that must be passed at its pass mark. */
    quiz: slugSchema,
  }),
  z.strictObject({
    /** A role-play whose best run must reach `minScore` (default: its passScore). */
    roleplay: slugSchema,
    minScore: z.number().int().min(0).max(100).optional(),
  }),
  z.strictObject({
    /** A QA calibration exercise whose best attempt must agree with the expert on `minScore` percent (default: its passMark). */
    exercise: slugSchema,
    minScore: z.number().int().min(0).max(100).optional(),
  }),
]);
export type Requirement = z.infer<typeof requirementSchema>;
export type RequirementKind = 'quiz' | 'roleplay' | 'exercise';

/** A requirement as its kind, the item's id and the score it asks for (undefined: the item's own pass mark). */
export function requirementParts(r: Requirement): { kind: RequirementKind; id: string; minScore: number | undefined } {
  if ('quiz' in r) return { kind: 'quiz', id: r.quiz, minScore: undefined };
  if ('roleplay' in r) return { kind: 'roleplay', id: r.roleplay, minScore: r.minScore };
  return { kind: 'exercise', id: r.exercise, minScore: r.minScore };
}

export const trackSchema = z.strictObject({
  /** Unique id, equal to the file name. */
  id: slugSchema,
  /** Title. */
  title: prose,
  /** What the track is for. */
  summary: prose,
  /** rep or manager: new people of that job are auto-assigned it when `mandatory`. */
  audience: audienceSchema,
  /** Mandatory tracks are auto-assigned. */
  mandatory: z.boolean(),
  /** Days after hire (or assignment) that the track is due. */
  dueDays: z.number().int().min(1).max(365),
  /** Months a certificate stays valid. */
  validityMonths: z.number().int().min(1).max(60),
  /** Module slugs, in order. */
  modules: z.array(slugSchema).min(1),
  /** What certification requires. */
  requires: z.array(requirementSchema).min(1),
});
export type Track = z.infer<typeof trackSchema>;
