/**
 * "Forgot password?", pure: the forms, how long a link lives, how often one may be asked for, and the one answer
 * the request page gives whatever the email (so the page never tells whether an account exists).
 */
import { z } from 'zod';
import { PASSWORD_MAX } from '../../lib/server/password';

export const RESET_LIFETIME = 30 * 60 * 1000;
/**
 * Per throttle window (15 minutes): link requests for one email (existing or not) from one address, and from one
 * address in all. Keyed by email AND address, so someone spamming a person's email cannot stop that person asking.
 */
export const RESET_PAIR_LIMIT = 3;
export const RESET_IP_LIMIT = 20;
/**
 * Links sent to one email per window, whoever asks: a crowd of addresses cannot bury an inbox. Past it a request
 * is answered the same and sends nothing, and the owner still holds a link sent in the window, valid until used:
 * a link lives 30 minutes, longer than the window.
 */
export const RESET_MAIL_LIMIT = 5;

/** What the request page says after any well-formed request: the same words whether or not the account exists. */
export const RESET_REQUESTED =
  'If an account uses that email, a link to choose a new password is on its way. It works once, for 30 minutes. Check your spam folder if it does not arrive within a few minutes.';

export const forgotPasswordSchema = z.object({
  email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address.')
    .max(254, 'That email address is too long.')
    .pipe(z.email('Enter an email address like name@example.com.')),
});

export const resetPasswordSchema = z.object({
  password: z
    .string({ error: 'Choose a password.' })
    .min(1, 'Choose a password.')
    .max(PASSWORD_MAX * 4, 'That password is too long.'),
});

export type ResetState = 'valid' | 'used' | 'expired';

export function resetState(reset: { usedAt: number | null; expiresAt: number }, t: number): ResetState {
  if (reset.usedAt !== null) return 'used';
  return t >= reset.expiresAt ? 'expired' : 'valid';
}
