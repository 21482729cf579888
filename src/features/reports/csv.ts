/**
 * CSV per RFC 4180, tuned so the file opens cleanly in spreadsheets:
 * - a field is quoted when it holds a comma, a double quote, CR or LF; quotes inside are doubled;
 * - every record ends with CRLF (the last one too);
 * - the text starts with a UTF-8 byte order mark, without which Excel reads UTF-8 as a legacy code page;
 * - text that a spreadsheet would run as a formula (starting with = + - @ tab or CR) is prefixed with ' (OWASP's
 *   CSV-injection advice). Numbers are written as numbers: a negative number we computed is not a formula.
 * `csvRecord` is exported for streaming large exports one row at a time (write CSV_BOM first).
 */

export type CsvValue = string | number | boolean | Date | null | undefined;

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function text(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One field, guarded and quoted as needed. */
export function csvField(value: CsvValue): string {
  const t = text(value);
  return NEEDS_QUOTES.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
}

/** One record with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A whole file: BOM (unless `bom: false`) and one record per row; the first row is usually the header. */
export function toCsv(rows: Iterable<readonly CsvValue[]>, options: { bom?: boolean } = {}): string {
  let out = options.bom === false ? '' : CSV_BOM;
  for (const row of rows) out += csvRecord(row);
  return out;
}

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** A header record from the column names, then one record per row. */
export function recordsToCsv<T>(columns: readonly CsvColumn<T>[], rows: Iterable<T>, options: { bom?: boolean } = {}) {
  function* all() {
    yield columns.map((c) => c.header);
    for (const row of rows) yield columns.map((c) => c.value(row));
  }
  return toCsv(all(), options);
}

/**
 * Response headers for a CSV download. The plain `filename` keeps only safe ASCII (no quotes or path separators to
 * break out of the header); `filename*` carries the full UTF-8 name for browsers that read it.
 */
export function csvDownloadHeaders(filename: string): Record<string, string> {
  const name = filename.toLowerCase().endsWith('.csv') ? filename : `${filename}.csv`;
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, '_');
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  };
}
