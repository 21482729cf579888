/**
 * Inviting many people at once, pure: a pasted list or an uploaded CSV becomes rows to invite, or a message per
 * bad line (with its line number) so the manager can fix them all in one go. The whole batch is refused when any
 * line is wrong: nobody is half-invited. A line is `email` or `email,hire date` (YYYY-MM-DD); a first line naming
 * the columns (`email,hire_date`) is skipped wherever it is (a file's header after pasted lines); blank lines are ignored. Duplicates within the batch are refused
 * here; people who already have an account or a waiting invite are refused by the database step
 * (invites.server.ts), with the same kind of message.
 */
import { z } from 'zod';

/** Enough for any team; a bigger import is an admin's job for a script, not a form. */
export const MAX_BULK_ROWS = 200;

export interface BulkRow {
  line: number;
  email: string;
  /** Null: the form's hire date. */
  hireDate: string | null;
}

export interface BulkLineError {
  line: number;
  message: string;
}

export type BulkParse = { ok: true; rows: BulkRow[] } | { ok: false; errors: BulkLineError[] };

const emailSchema = z.email();
const dateSchema = z.iso.date();

/** One CSV record's fields (RFC 4180 quoting: "a, b" and doubled "" inside quotes). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',' || c === ';' || c === '\t') {
      out.push(field.trim());
      field = '';
    } else field += c;
  }
  out.push(field.trim());
  return out;
}

export function parseBulkInvites(text: string): BulkParse {
  const errors: BulkLineError[] = [];
  const rows: BulkRow[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const [first = '', second = '', ...rest] = splitCsvLine(raw);
    // A header line (the first of a CSV, also one after pasted lines) names the columns: skip it.
    if (/^e-?mail( address)?$/i.test(first)) return;
    const email = first.toLowerCase();
    if (rest.some((r) => r !== '')) {
      errors.push({ line, message: `Line ${line}: expected an email and at most a hire date, found more columns.` });
      return;
    }
    if (!emailSchema.safeParse(email).success || email.length > 254) {
      errors.push({ line, message: `Line ${line}: “${first.slice(0, 80)}” is not an email address.` });
      return;
    }
    if (second !== '' && !dateSchema.safeParse(second).success) {
      errors.push({ line, message: `Line ${line}: “${second.slice(0, 40)}” is not a date (YYYY-MM-DD).` });
      return;
    }
    const seen = firstLine.get(email);
    if (seen !== undefined) {
      errors.push({ line, message: `Line ${line}: ${email} is already on line ${seen}.` });
      return;
    }
    firstLine.set(email, line);
    rows.push({ line, email, hireDate: second || null });
  });
  if (rows.length === 0 && errors.length === 0)
    errors.push({ line: 0, message: 'Paste at least one email address, or choose a CSV file.' });
  if (rows.length > MAX_BULK_ROWS)
    errors.push({ line: 0, message: `At most ${MAX_BULK_ROWS} people at a time; this list has ${rows.length}.` });
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}
