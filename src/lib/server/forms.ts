/**
 * Plain HTML form posts handled in page frontmatter: read the body as text fields, validate with zod, and hand the
 * page what it needs to re-render the form (the values typed, one message per field) with a 4xx status.
 */
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormFields };

export type FormFields = Record<string, string | string[]>;

/**
 * Text fields of a form post: the first value of each name, except names in `lists` (checkbox groups), which are
 * always arrays. A body that is not a form reads as no fields, so zod reports them missing; files are ignored.
 */
export async function readForm(request: Request, lists: readonly string[] = []): Promise<FormFields> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return fieldsOf(new FormData(), lists);
  }
  return fieldsOf(form, lists);
}

/** The text fields of a form already read (a page that also takes a file reads the body once, then this). */
export function fieldsOf(form: FormData, lists: readonly string[] = []): FormFields {
  const fields: FormFields = Object.fromEntries(lists.map((name) => [name, [] as string[]]));
  for (const [name, value] of form) {
    if (typeof value !== 'string') continue;
    const current = fields[name];
    if (Array.isArray(current)) current.push(value);
    else if (current === undefined) fields[name] = value;
  }
  return fields;
}

/** First message per field; errors not tied to a field go under `form`. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : 'form';
    errors[field] ??= issue.message;
  }
  return errors;
}

export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
  lists: readonly string[] = [],
): Promise<FormResult<z.output<S>>> {
  return parseFields(await readForm(request, lists), schema);
}

export function parseFields<S extends z.ZodType>(values: FormFields, schema: S): FormResult<z.output<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  // Passwords are never echoed back into the page.
  const safeValues = Object.fromEntries(Object.entries(values).filter(([k]) => !/password/i.test(k)));
  return { ok: false, errors: fieldErrors(parsed.error), values: safeValues };
}
