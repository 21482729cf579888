import { describe, expect, it } from 'vitest';
import { AccountError } from '~/features/accounts/accounts';
import { Refusal, refusalCodeOf, refusalStatus } from '~/lib/refusal';

describe('Refusal', () => {
  it('pairs every code with its HTTP status, both ways', () => {
    for (const [code, status] of Object.entries(refusalStatus)) {
      expect(refusalCodeOf(status)).toBe(code);
      expect(new Refusal(code as keyof typeof refusalStatus, 'x').status).toBe(status);
    }
  });

  it('is what the account forms throw, so the action helper and the pages read one shape', () => {
    const e = new AccountError('This invite link has expired.', 410, 'token');
    expect(e).toBeInstanceOf(Refusal);
    expect({ code: e.code, status: e.status, message: e.message, field: e.field }).toEqual({
      code: 'GONE',
      status: 410,
      message: 'This invite link has expired.',
      field: 'token',
    });
    expect(new AccountError('Check the form.').status).toBe(400);
  });
});
