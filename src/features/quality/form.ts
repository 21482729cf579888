/**
 * The strict reader of an evaluation form post (a plain form: it works without JavaScript). Accepted names:
 * `evaluation` (a draft's id), `rep`, `channel`, `contactDate`, `reference`, `link`, `notes`, `intent` (draft |
 * submit), and per scorecard item `item.<key>` (its value) and `comment.<key>`. Anything else, or a name given
 * twice, is refused rather than ignored, so a forged post (a score, another evaluator) fails loudly and changes
 * nothing. Whether each value fits its item is checked against the scorecard by quality.server.ts.
 */
import { z } from 'zod';
import { channelSchema, slugSchema } from '../content/schema';

const SINGLE = ['evaluation', 'rep', 'channel', 'contactDate', 'reference', 'link', 'notes', 'intent'] as const;
const MAX_ITEMS = 40;

export interface RawEvaluationForm {
  fields: Record<string, string>;
  values: Record<string, string>;
  comments: Record<string, string>;
  problems: string[];
}

export function readEvaluationForm(form: FormData): RawEvaluationForm {
  // No prototype: an item called "constructor" must not find Object's.
  const fields: Record<string, string> = Object.create(null);
  const values: Record<string, string> = Object.create(null);
  const comments: Record<string, string> = Object.create(null);
  const problems: string[] = [];
  for (const [name, value] of form) {
    if (typeof value !== 'string') {
      problems.push(`Unexpected file: ${name.slice(0, 40)}.`);
      continue;
    }
    const [prefix, key, ...rest] = name.split('.');
    const target = prefix === 'item' ? values : prefix === 'comment' ? comments : undefined;
    if (target && key !== undefined && rest.length === 0 && slugSchema.safeParse(key).success) {
      if (key in target) problems.push(`"${name.slice(0, 60)}" came twice.`);
      else target[key] = value;
    } else if ((SINGLE as readonly string[]).includes(name)) {
      if (name in fields) problems.push(`"${name}" came twice.`);
      else fields[name] = value;
    } else {
      problems.push(`Unexpected field: ${name.slice(0, 40)}.`);
    }
  }
  return { fields, values, comments, problems };
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (at most ${max} characters).`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const evaluationFieldsSchema = z.strictObject({
  evaluation: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => (v ? v : undefined)),
  rep: z.string({ error: 'Choose the rep.' }).trim().min(1, 'Choose the rep.').max(64),
  channel: z.enum(channelSchema.options, { error: 'Choose the channel.' }),
  contactDate: z
    .string({ error: 'Give the contact’s date.' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Give the contact’s date as YYYY-MM-DD.'),
  reference: z
    .string({ error: 'Give the ticket or call id.' })
    .trim()
    .min(1, 'Give the ticket or call id.')
    .max(120, 'The reference is too long.'),
  link: optionalText(500, 'The link').pipe(
    z.url({ protocol: /^https?$/, error: 'The link must be a web address (https://…).' }).optional(),
  ),
  notes: optionalText(10_000, 'The notes'),
  intent: z.enum(['draft', 'submit'], { error: 'Save a draft or submit.' }),
});
export type EvaluationFields = z.infer<typeof evaluationFieldsSchema>;

export interface EvaluationForm extends EvaluationFields {
  values: Record<string, string>;
  comments: Record<string, string>;
}

export type ParsedEvaluationForm = { ok: true; data: EvaluationForm } | { ok: false; errors: Record<string, string> };

export function parseEvaluationForm(raw: RawEvaluationForm): ParsedEvaluationForm {
  if (raw.problems.length > 0) return { ok: false, errors: { form: raw.problems[0]! } };
  if (Object.keys(raw.values).length > MAX_ITEMS || Object.keys(raw.comments).length > MAX_ITEMS)
    return { ok: false, errors: { form: 'Too many items.' } };
  const tooLong = Object.entries(raw.comments).find(([, c]) => c.length > 2000);
  if (tooLong) return { ok: false, errors: { [`comment.${tooLong[0]}`]: 'A comment is at most 2,000 characters.' } };
  const parsed = evaluationFieldsSchema.safeParse(raw.fields);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, errors };
  }
  const comments = Object.fromEntries(
    Object.entries(raw.comments)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v !== ''),
  );
  const values = Object.fromEntries(Object.entries(raw.values).filter(([, v]) => v !== ''));
  return { ok: true, data: { ...parsed.data, values, comments } };
}
