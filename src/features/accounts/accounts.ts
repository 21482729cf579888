/**
 * Accounts: the pure rules (no I/O). Form schemas, who may invite whom, an invite's state, the `next=` check,
 * and the short device label shown on /account. Database work lives in the *.server.ts files next to this one.
 */
import { z } from 'zod';
import { roles, type Job, type Role } from '../../../db/schema';
import { PASSWORD_MAX } from '../../lib/server/password';
import { isTimeZone } from '../../lib/format';
import { Refusal, refusalCodeOf } from '../../lib/refusal';

const DAY = 24 * 60 * 60 * 1000;
export const INVITE_LIFETIME = 7 * DAY;

/** Refusals the user can act on; pages show `message` with `status` (never a 500). */
export class AccountError extends Refusal {
  constructor(
    message: string,
    status: 400 | 403 | 404 | 409 | 410 | 429 = 400,
    readonly field?: string,
  ) {
    super(refusalCodeOf(status), message);
  }
}

// ------------------------------------------------------------------------------------------------ form schemas

const emailField = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter an email address like name@example.com.'));

export const signInSchema = z.object({
  email: emailField,
  // Length is checked against the rules only when setting a password; here it just bounds the hashing work.
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, 'Enter your password.')
    .max(PASSWORD_MAX * 4, 'That password is too long.'),
  next: z.string().optional(),
});
export type SignIn = z.infer<typeof signInSchema>;

const newPasswordField = z.string({ error: 'Choose a password.' }).min(1, 'Choose a password.');

export const acceptInviteSchema = z.object({
  name: z
    .string({ error: 'Enter your name.' })
    .trim()
    .min(1, 'Enter your name.')
    .max(100, 'Use at most 100 characters.'),
  password: newPasswordField,
});
export type AcceptInvite = z.infer<typeof acceptInviteSchema>;

const hireDateField = z.union([z.literal('').transform(() => null), z.iso.date('Enter a date (YYYY-MM-DD).')]);
const optionalId = z
  .string()
  .trim()
  .max(64)
  .optional()
  .transform((v) => v || null);
const roleField = z.enum(roles, { error: 'Choose a role.' });

const inviteFields = {
  role: roleField,
  teamId: optionalId,
  hireDate: hireDateField.optional().transform((v) => v ?? null),
};
const teamWhenNeeded = (v: { role: Role; teamId: string | null }, ctx: z.RefinementCtx) => {
  if (needsTeam(v.role) && !v.teamId) ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'Choose a team.' });
};

/** `npm run admin:create`: the first admin of a production site (src/cli/admin-create.ts). */
export const createAdminSchema = z.object({
  email: emailField,
  name: z
    .string({ error: "Give the admin's name (--name)." })
    .trim()
    .min(1, "Give the admin's name (--name).")
    .max(100, 'Use at most 100 characters.'),
  /** Needed when the database has no organization yet, or more than one. */
  organization: z.string().trim().min(1).max(100, 'Use at most 100 characters.').optional(),
});
export type CreateAdmin = z.infer<typeof createAdminSchema>;

export const createInviteSchema = z.object({ email: emailField, ...inviteFields }).superRefine(teamWhenNeeded);
export type CreateInvite = z.infer<typeof createInviteSchema>;

/** What a bulk invite shares for every line (the emails come from the list, see bulk-invites.ts). */
export const bulkInviteSchema = z.object(inviteFields).superRefine(teamWhenNeeded);
export type BulkInvite = z.infer<typeof bulkInviteSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: 'Enter your current password.' })
    .min(1, 'Enter your current password.')
    .max(PASSWORD_MAX * 4, 'That password is too long.'),
  newPassword: newPasswordField,
});
export type ChangePassword = z.infer<typeof changePasswordSchema>;

/** The time zone form on /account: an IANA zone name, or empty for the organisation's. */
export const timeZoneFormSchema = z.object({
  timeZone: z
    .string()
    .trim()
    .max(64, 'Choose a time zone from the list.')
    .refine((v) => v === '' || isTimeZone(v), 'Choose a time zone from the list.'),
});

export const updateUserSchema = z
  .object({
    role: roleField,
    teamId: optionalId,
    manages: z.array(z.string().max(64)).max(200).default([]),
    hireDate: hireDateField.optional().transform((v) => v ?? null),
  })
  .superRefine((v, ctx) => {
    if (v.role === 'learner' && !v.teamId)
      ctx.addIssue({ code: 'custom', path: ['teamId'], message: 'Choose a team.' });
    if (v.role === 'manager' && v.manages.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['manages'], message: 'Choose at least one team to manage.' });
    }
  });
export type UpdateUser = z.infer<typeof updateUserSchema>;

// ------------------------------------------------------------------------------------------------ rules

/** Learners belong to a team; managers manage at least one. Admins and trainers have no team. */
export function needsTeam(role: Role): boolean {
  return role === 'learner' || role === 'manager';
}

/** What a person is trained as follows from their role: managers are also learners of the manager track. */
export function jobForRole(role: Role): Job | null {
  if (role === 'learner') return 'rep';
  if (role === 'manager') return 'manager';
  return null;
}

/** Admins invite anyone to any team; managers invite learners to the teams they manage; others nobody. */
export function invitableRoles(actorRole: Role): readonly Role[] {
  if (actorRole === 'admin') return roles;
  if (actorRole === 'manager') return ['learner'];
  return [];
}

export type InviteState = 'valid' | 'used' | 'expired' | 'revoked';

export function inviteState(
  invite: { usedAt: number | null; expiresAt: number; revokedAt?: number | null },
  t: number,
): InviteState {
  if (invite.usedAt !== null) return 'used';
  if (invite.revokedAt != null) return 'revoked';
  return t >= invite.expiresAt ? 'expired' : 'valid';
}

/**
 * The path to return to after signing in, or null. Only same-site paths: one leading "/" (not "//" or "/\", which
 * browsers treat as another host), no control characters, and never back to the sign-in or sign-out pages.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || next.length > 2000 || !next.startsWith('/')) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f]/.test(next)) return null;
  const base = 'http://frontline.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return null;
  }
  // Checked again after normalisation: "/..//evil.example" resolves to the path "//evil.example", another host.
  if (url.origin !== base || url.pathname.startsWith('//') || url.pathname === '/login' || url.pathname === '/logout')
    return null;
  return url.pathname + url.search + url.hash;
}

const browsers: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const systems: [RegExp, string][] = [
  [/iPhone|iPad/, 'iOS'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Windows" from a User-Agent header; good enough to recognise one's own devices. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = browsers.find(([re]) => re.test(userAgent))?.[1] ?? 'Browser';
  const os = systems.find(([re]) => re.test(userAgent))?.[1];
  return os ? `${browser} on ${os}` : browser;
}
