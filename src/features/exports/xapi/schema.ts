/**
 * The xAPI 1.0.3 statement rules our exports rely on, as a zod schema (xAPI-Data.md §2.4). Every statement the
 * builders in xapi.ts produce is checked against it in the tests, and the export endpoint can check again before
 * sending. It covers what we emit — an Agent actor and an Activity object — and is stricter than the spec where
 * our own output should be (a verb display and an activity definition are required, unknown keys are refused).
 *
 * Rules encoded:
 * - `id` is a UUID; `timestamp` is ISO 8601 with a time zone;
 * - the actor is an Agent with exactly one inverse functional identifier (mbox, mbox_sha1sum, openid, account);
 * - the verb id is an absolute IRI with a language-map display; "voided" is refused (it needs a StatementRef);
 * - the object is an Activity: absolute IRI id, definition with language maps, a known interactionType, and
 *   interaction components (unique ids) only on the interaction types that have them;
 * - result.score.scaled lies in [-1, 1], and min ≤ raw ≤ max with min < max; duration is ISO 8601;
 * - extension keys are absolute IRIs; context activities are lists of Activities; the language is an RFC 5646 tag.
 */
import { z } from 'zod';

/** An absolute IRI: a scheme, a colon, and no whitespace. */
export const iriSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/, 'must be an absolute IRI');
const languageTag = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'must be an RFC 5646 language tag');
export const languageMapSchema = z
  .record(languageTag, z.string())
  .refine((m) => Object.keys(m).length > 0, 'needs at least one language');
const extensionsSchema = z.record(iriSchema, z.unknown());

const accountSchema = z.strictObject({ homePage: iriSchema, name: z.string().min(1) });
const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;
export const agentSchema = z
  .strictObject({
    objectType: z.literal('Agent').optional(),
    name: z.string().optional(),
    mbox: z
      .string()
      .regex(/^mailto:[^@\s]+@[^@\s]+$/, 'mbox must be mailto:address')
      .optional(),
    mbox_sha1sum: z
      .string()
      .regex(/^[0-9a-f]{40}$/)
      .optional(),
    openid: iriSchema.optional(),
    account: accountSchema.optional(),
  })
  .refine((a) => ifis.filter((k) => a[k] !== undefined).length === 1, 'an Agent needs exactly one identifier');

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
export const verbSchema = z
  .strictObject({ id: iriSchema, display: languageMapSchema })
  .refine((v) => v.id !== VOIDED_VERB, 'voiding needs a StatementRef object, which these exports never send');

const interactionTypes = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;
const componentSchema = z.strictObject({ id: z.string().regex(/^\S+$/), description: languageMapSchema.optional() });
const componentList = z
  .array(componentSchema)
  .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'interaction component ids must be unique');
/** Which component lists each interaction type may carry (§ Interaction Components). */
const componentsAllowed: Record<string, readonly string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};

export const activityDefinitionSchema = z
  .strictObject({
    name: languageMapSchema.optional(),
    description: languageMapSchema.optional(),
    type: iriSchema.optional(),
    moreInfo: iriSchema.optional(),
    interactionType: z.enum(interactionTypes).optional(),
    correctResponsesPattern: z.array(z.string()).optional(),
    choices: componentList.optional(),
    scale: componentList.optional(),
    source: componentList.optional(),
    target: componentList.optional(),
    steps: componentList.optional(),
    extensions: extensionsSchema.optional(),
  })
  .refine((d) => {
    const allowed = d.interactionType ? (componentsAllowed[d.interactionType] ?? []) : [];
    return (['choices', 'scale', 'source', 'target', 'steps'] as const).every(
      (k) => d[k] === undefined || allowed.includes(k),
    );
  }, 'interaction components only go with an interactionType that has them');

const activityFields = { objectType: z.literal('Activity').optional(), id: iriSchema };
export const activitySchema = z.strictObject({ ...activityFields, definition: activityDefinitionSchema });
const contextActivitySchema = z.strictObject({ ...activityFields, definition: activityDefinitionSchema.optional() });

export const scoreSchema = z
  .strictObject({
    scaled: z.number().min(-1).max(1).optional(),
    raw: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((s) => s.min === undefined || s.max === undefined || s.min < s.max, 'score.min must be below score.max')
  .refine((s) => s.raw === undefined || s.min === undefined || s.raw >= s.min, 'score.raw is below score.min')
  .refine((s) => s.raw === undefined || s.max === undefined || s.raw <= s.max, 'score.raw is above score.max');

export const resultSchema = z.strictObject({
  score: scoreSchema.optional(),
  success: z.boolean().optional(),
  completion: z.boolean().optional(),
  response: z.string().optional(),
  duration: z.iso.duration().optional(),
  extensions: extensionsSchema.optional(),
});

export const contextSchema = z.strictObject({
  registration: z.uuid().optional(),
  instructor: agentSchema.optional(),
  contextActivities: z
    .strictObject({
      parent: z.array(contextActivitySchema).optional(),
      grouping: z.array(contextActivitySchema).optional(),
      category: z.array(contextActivitySchema).optional(),
      other: z.array(contextActivitySchema).optional(),
    })
    .optional(),
  revision: z.string().optional(),
  platform: z.string().optional(),
  language: languageTag.optional(),
  extensions: extensionsSchema.optional(),
});

export const statementSchema = z.strictObject({
  id: z.uuid(),
  actor: agentSchema,
  verb: verbSchema,
  object: activitySchema,
  result: resultSchema.optional(),
  context: contextSchema.optional(),
  timestamp: z.iso.datetime({ offset: true }),
});
export type Statement = z.infer<typeof statementSchema>;
