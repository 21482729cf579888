/**
 * The organisation's policy values (content/organization.yaml) and the placeholders that show them: `{{name}}` inside
 * the text of any YAML content file, `<Policy name="…" />` in a lesson. Pure: the loader renders placeholders into
 * every entry's data, the checker reports unknown names, and content versions hash the values a module uses, so a
 * company sets a goodwill limit once and the whole curriculum — and its certificates — follow.
 */
import { z } from 'zod';
import { AA_TEXT, contrastRatio, tint } from '../../lib/contrast';

const valueName = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'value names are kebab-case (a-z, 0-9, dashes)');
export const policyUnits = ['second', 'minute', 'hour', 'day', 'working-day', 'week', 'month'] as const;

const policyValueSchema = z
  .strictObject({
    /** What the value is, for the people who set it. */
    about: z.string().trim().min(1, 'must not be empty'),
    /** An amount of money, shown in the organisation's currency. */
    money: z.number().nonnegative().optional(),
    /** A number, shown with `unit` when given. */
    number: z.number().nonnegative().optional(),
    /** The unit of `number`. */
    unit: z.enum(policyUnits).optional(),
    /** Words shown as written. */
    text: z.string().trim().min(1).optional(),
  })
  .refine((v) => [v.money, v.number, v.text].filter((x) => x !== undefined).length === 1, 'give exactly one of `money`, `number` or `text`')
  .refine((v) => v.unit === undefined || v.number !== undefined, '`unit` goes with `number`');
export type PolicyValue = z.infer<typeof policyValueSchema>;

/** The pale tint of the accent behind info notices, badges and chosen options (global.css: --info-bg). */
export const INFO_TINT = 0.12;

/**
 * The backgrounds the accent colour is read on (src/styles/global.css): links and outlined buttons on white, white
 * words on accent buttons, links in the header and table heads on grey, and links inside notices: info (its own
 * tint), good, bad and warning.
 */
function accentBackgrounds(accent: string): Record<string, string> {
  return {
    white: '#ffffff',
    'the header grey': '#f5f7fa',
    'its own info-notice tint': tint(accent, INFO_TINT),
    'the good-notice green': '#dcfce7',
    'the bad-notice red': '#fee2e2',
    'the warning yellow': '#fef9c3',
  };
}

/** Why an accent colour would be hard to read, or undefined when it keeps WCAG AA contrast everywhere it is used. */
export function accentProblem(accent: string): string | undefined {
  const low = Object.entries(accentBackgrounds(accent))
    .map(([name, bg]) => ({ name, bg, ratio: contrastRatio(accent, bg) }))
    .filter((c) => c.ratio < AA_TEXT);
  if (low.length === 0) return undefined;
  const list = low.map((c) => `${c.ratio.toFixed(2)}:1 on ${c.name} (${c.bg})`).join(', ');
  return `accent ${accent} is too light to read: ${list}; WCAG AA needs at least ${AA_TEXT}:1 — choose a darker colour`;
}

const brandSchema = z.strictObject({
  /** A small logo for the header and certificates: an .svg or .png under /media/, e.g. /media/brand/logo.svg. */
  logo: z
    .string()
    .regex(/^\/media(?:\/[\w-][\w.-]*)+\.(?:svg|png)$/i, 'a .svg or .png under /media/, e.g. /media/brand/logo.svg')
    .optional(),
  /** The accent colour of links, buttons and highlights, as #rrggbb; it must keep WCAG AA contrast (4.5:1). */
  accent: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb, e.g. #1d4ed8')
    .superRefine((accent, ctx) => {
      const problem = accentProblem(accent);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
});
export type Brand = z.infer<typeof brandSchema>;

export const organizationSchema = z.strictObject({
  /** The organisation's name. */
  name: z.string().trim().min(1),
  /** ISO 4217 currency code for money values, e.g. USD, GBP, EUR. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code such as USD'),
  /** BCP 47 locale for numbers and money, e.g. en-US, en-GB. */
  locale: z.string().refine((l) => isLocale(l), 'a locale such as en-US or en-GB'),
  /** The time zone people see times in unless they choose their own (IANA name). */
  timeZone: z.string().refine((tz) => isTimeZone(tz), 'an IANA time zone such as Europe/London'),
  /** How the academy looks for this organisation: its logo and accent colour (the name is `name`). */
  brand: brandSchema.optional(),
  /** Policy values by name. */
  values: z.record(valueName, policyValueSchema).default({}),
});
export type Organization = z.infer<typeof organizationSchema>;

function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `{{ name }}` in YAML text. */
const placeholder = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Every placeholder name written in a text, in order (duplicates kept). */
export function placeholderNames(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]!);
}

/** A value as a reader sees it: `$30`, `7 days`, `1 working day`, `10`. */
export function policyText(org: Organization, name: string): string | undefined {
  const v = org.values[name];
  if (!v) return undefined;
  if (v.text !== undefined) return v.text;
  if (v.money !== undefined) {
    const whole = Number.isInteger(v.money);
    return new Intl.NumberFormat(org.locale, {
      style: 'currency',
      currency: org.currency,
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
    }).format(v.money);
  }
  const n = v.number!;
  if (v.unit === undefined) return new Intl.NumberFormat(org.locale).format(n);
  if (v.unit === 'working-day') return `${new Intl.NumberFormat(org.locale).format(n)} working ${n === 1 ? 'day' : 'days'}`;
  return new Intl.NumberFormat(org.locale, { style: 'unit', unit: v.unit, unitDisplay: 'long' }).format(n);
}

/** The text with every known placeholder replaced; unknown ones are left as written (the checker reports them). */
export function renderText(text: string, org: Organization): string {
  if (!text.includes('{{')) return text;
  return text.replace(placeholder, (whole, name: string) => policyText(org, name) ?? whole);
}

/** A copy of a parsed entry with every string rendered (keys are left alone: they are ids, not text). */
export function renderDeep<T>(value: T, org: Organization): T {
  if (typeof value === 'string') return renderText(value, org) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, org)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, org)])) as T;
  }
  return value;
}

/** Where each placeholder sits in a parsed YAML value: for messages that point at the field. */
export function placeholdersIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; name: string }[] {
  if (typeof value === 'string') return placeholderNames(value).map((name) => ({ path, name }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => placeholdersIn(v, [...path, k]));
  return [];
}
