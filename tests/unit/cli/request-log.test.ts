import { describe, expect, it } from 'vitest';
import { loggedPath } from '~/cli/request-log';

describe('the request log line', () => {
  it('keeps no query string and no secret link token, so reading the log opens no account', () => {
    expect(loggedPath('/learn?next=/team')).toBe('/learn');
    expect(loggedPath('/reset-password/abcdefghijklmnopqrstuvwxyz234567')).toBe('/reset-password/[redacted]');
    expect(loggedPath('/invite/k3j4h5g6f7d8s9a2q3w4e5r6t7y8u9i2?x=1')).toBe('/invite/[redacted]');
    expect(loggedPath('/unsubscribe/tok.sig')).toBe('/unsubscribe/[redacted]');
    expect(loggedPath('/quizzes/active-listening-quiz')).toBe('/quizzes/active-listening-quiz');
  });
});
