import { describe, expect, it } from 'vitest';
import { MAX_BULK_ROWS, parseBulkInvites, splitCsvLine } from '~/features/accounts/bulk-invites';
import { inviteState } from '~/features/accounts/accounts';
import { resetState } from '~/features/accounts/password-reset';

describe('splitCsvLine', () => {
  it('splits on commas, semicolons and tabs, and keeps quoted commas and doubled quotes', () => {
    expect(splitCsvLine('a@x.test, 2026-01-02')).toEqual(['a@x.test', '2026-01-02']);
    expect(splitCsvLine('a@x.test;2026-01-02')).toEqual(['a@x.test', '2026-01-02']);
    expect(splitCsvLine('"a@x.test","say ""hi"", then"')).toEqual(['a@x.test', 'say "hi", then']);
  });
});

describe('parseBulkInvites', () => {
  it('reads a pasted list and a CSV with a header, lower-casing emails and keeping line numbers', () => {
    const parsed = parseBulkInvites('\uFEFFemail,hire_date\r\nAna@Example.test,2026-03-01\r\n\r\nbo@example.test\r\n');
    expect(parsed).toEqual({
      ok: true,
      rows: [
        { line: 2, email: 'ana@example.test', hireDate: '2026-03-01' },
        { line: 4, email: 'bo@example.test', hireDate: null },
      ],
    });
  });

  it('reports every bad line with its number: not an email, a bad date, extra columns, a duplicate', () => {
    const parsed = parseBulkInvites(
      [
        'ok@example.test',
        'not-an-email',
        'b@example.test,31/12/2026',
        'c@example.test,2026-01-01,extra',
        'OK@example.test',
      ].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.message)).toEqual([
      'Line 2: “not-an-email” is not an email address.',
      'Line 3: “31/12/2026” is not a date (YYYY-MM-DD).',
      'Line 4: expected an email and at most a hire date, found more columns.',
      'Line 5: ok@example.test is already on line 1.',
    ]);
  });

  it('refuses an empty list and one longer than the limit', () => {
    expect(parseBulkInvites(' \n\n')).toEqual({
      ok: false,
      errors: [{ line: 0, message: 'Paste at least one email address, or choose a CSV file.' }],
    });
    const many = Array.from({ length: MAX_BULK_ROWS + 1 }, (_, i) => `p${i}@example.test`).join('\n');
    const parsed = parseBulkInvites(many);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.errors[0]!.message).toBe(
        `At most ${MAX_BULK_ROWS} people at a time; this list has ${MAX_BULK_ROWS + 1}.`,
      );
  });
});

describe('invite and reset link states', () => {
  it('a revoked invite is revoked (unless already used), whatever its expiry', () => {
    expect(inviteState({ usedAt: null, expiresAt: 100, revokedAt: 10 }, 50)).toBe('revoked');
    expect(inviteState({ usedAt: null, expiresAt: 100, revokedAt: 10 }, 500)).toBe('revoked');
    expect(inviteState({ usedAt: 5, expiresAt: 100, revokedAt: 10 }, 50)).toBe('used');
  });

  it('a reset link is valid until its expiry, then expired; once used, used', () => {
    expect(resetState({ usedAt: null, expiresAt: 100 }, 99)).toBe('valid');
    expect(resetState({ usedAt: null, expiresAt: 100 }, 100)).toBe('expired');
    expect(resetState({ usedAt: 50, expiresAt: 100 }, 60)).toBe('used');
  });
});
