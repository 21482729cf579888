import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvDownloadHeaders, csvField, csvRecord, recordsToCsv, toCsv } from '~/features/reports/csv';

/** A small RFC 4180 reader, so the tests check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i += 1;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record lacks CRLF');
  return rows;
}

describe('csvField', () => {
  it('leaves plain text alone and quotes text with a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvField('Ana Silva')).toBe('Ana Silva');
    expect(csvField('Silva, Ana')).toBe('"Silva, Ana"');
    expect(csvField('She said "no"')).toBe('"She said ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('')).toBe('');
  });

  it('writes numbers, booleans, dates and blanks predictably', () => {
    expect(csvField(42.5)).toBe('42.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05.000Z');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField('=1,2')).toBe('"\'=1,2"');
  });
});

describe('toCsv', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['1', '2'],
      ]),
    ).toBe(`${CSV_BOM}a,b\r\n1,2\r\n`);
    expect(toCsv([['a']], { bom: false })).toBe('a\r\n');
    expect(new TextEncoder().encode(toCsv([]))).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('reads back as the same cells with an RFC 4180 reader', () => {
    const rows = [
      ['Name', 'Team', 'Note'],
      ['Zoë "Z" Müller', 'Night, East', 'line one\r\nline two'],
      ['', 'x', 'ok'],
    ];
    expect(parseCsv(toCsv(rows, { bom: false }))).toEqual(rows);
  });

  it('csvRecord writes one line for streaming', () => {
    expect(csvRecord(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});

describe('recordsToCsv', () => {
  it('writes a header from the columns, then one record per row', () => {
    const people = [
      { name: 'Ana', pct: 87.5 },
      { name: '=cmd', pct: 0 },
    ];
    const csv = recordsToCsv(
      [
        { header: 'Person', value: (p: (typeof people)[number]) => p.name },
        { header: 'Compliance %', value: (p) => p.pct },
      ],
      people,
    );
    expect(csv).toBe(`${CSV_BOM}Person,Compliance %\r\nAna,87.5\r\n'=cmd,0\r\n`);
  });
});

describe('csvDownloadHeaders', () => {
  it('names the file safely and marks it as UTF-8 CSV', () => {
    const h = csvDownloadHeaders('team "north"/../é');
    expect(h['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(h['Content-Disposition']).toBe(
      `attachment; filename="team_north_.._.csv"; filename*=UTF-8''team%20%22north%22%2F..%2F%C3%A9.csv`,
    );
    expect(csvDownloadHeaders('x.csv')['Content-Disposition']).toContain('filename="x.csv"');
  });
});
