/**
 * Single sign-on (OpenID Connect), pure: the admin's provider form, which domain an email belongs to, and what a
 * validated ID token may do — link to an account, create one, or nothing. The protocol itself (discovery, PKCE,
 * state, nonce, signature, issuer, audience, expiry with clock skew) is openid-client's, in sso.server.ts.
 */
import { z } from 'zod';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The part after the last @, lower-cased; undefined for text that is not an address. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return DOMAIN.test(domain) ? domain : undefined;
}

/** Plain http is accepted only for a provider on this machine (a test or a local IdP); real ones are https. */
export function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname);
}

const checkbox = z
  .enum(['on', '1'])
  .optional()
  .transform((v) => v !== undefined);

export const providerFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the provider a name people recognise, e.g. “Contoso (Entra ID)”.')
    .max(100, 'At most 100 characters.'),
  issuer: z
    .string()
    .trim()
    .max(500, 'At most 500 characters.')
    .transform((v, ctx) => {
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'Enter the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0.',
        });
        return z.NEVER;
      }
      if (
        (url.protocol !== 'https:' && !isLoopbackHttp(url)) ||
        url.username ||
        url.password ||
        url.search ||
        url.hash
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'The issuer must be an https:// URL without a query, e.g. https://contoso.okta.com.',
        });
        return z.NEVER;
      }
      return url.href.replace(/\/$/, '');
    }),
  clientId: z.string().trim().min(1, 'Enter the client (application) id.').max(300, 'At most 300 characters.'),
  /** Empty when editing keeps the stored secret. */
  clientSecret: z.string().trim().max(1000, 'At most 1000 characters.'),
  domains: z
    .string()
    .max(5000, 'At most 5000 characters.')
    .transform((v, ctx) => {
      const list = [
        ...new Set(
          v
            .toLowerCase()
            .split(/[\s,;]+/)
            .filter(Boolean),
        ),
      ];
      const bad = list.filter((d) => !DOMAIN.test(d));
      if (bad.length)
        ctx.addIssue({
          code: 'custom',
          message: `Not a domain: ${bad.join(', ')}. Write domains such as contoso.com.`,
        });
      else if (list.length === 0)
        ctx.addIssue({ code: 'custom', message: 'Enter at least one email domain, e.g. contoso.com.' });
      return list;
    }),
  passwordsAllowed: checkbox,
  createAccounts: checkbox,
  defaultTeamId: z
    .string()
    .max(64)
    .transform((v) => v || null),
});
export type ProviderForm = z.infer<typeof providerFormSchema>;

/** The ID token claims the decision reads (already validated by openid-client). */
export interface IdClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  /** Entra ID's "email domain owner verified" optional claim, its stand-in for email_verified. */
  xms_edov?: unknown;
  name?: unknown;
}

export type AccountDecision =
  | { kind: 'linked'; userId: string }
  | { kind: 'link'; userId: string; email: string }
  | { kind: 'create'; email: string; name: string }
  | {
      kind: 'refused';
      reason: 'no-email' | 'unverified' | 'other-domain' | 'other-organization' | 'inactive' | 'no-account';
    };

export interface DecisionFacts {
  claims: IdClaims;
  providerDomains: readonly string[];
  organizationId: string;
  createAccounts: boolean;
  /** The account already linked to this provider and `sub`, if any. */
  linked: { id: string; organizationId: string; active: boolean } | undefined;
  /** The account with the token's email, if any. */
  byEmail: { id: string; organizationId: string; active: boolean } | undefined;
}

/**
 * An account is found by its link (provider + sub), else linked by a verified email of one of the provider's
 * domains, else created when the provider allows it. An unverified email never links or creates: whoever controls
 * the IdP account could otherwise claim someone else's address.
 */
export function decideAccount(f: DecisionFacts): AccountDecision {
  if (f.linked) {
    if (f.linked.organizationId !== f.organizationId) return { kind: 'refused', reason: 'other-organization' };
    return f.linked.active ? { kind: 'linked', userId: f.linked.id } : { kind: 'refused', reason: 'inactive' };
  }
  const email = typeof f.claims.email === 'string' ? f.claims.email.trim().toLowerCase() : '';
  const domain = emailDomain(email);
  if (!domain) return { kind: 'refused', reason: 'no-email' };
  // Entra ID sends no email_verified; its optional claim xms_edov says the same (README: what to set in Entra).
  if (f.claims.email_verified !== true && f.claims.xms_edov !== true) return { kind: 'refused', reason: 'unverified' };
  if (!f.providerDomains.includes(domain)) return { kind: 'refused', reason: 'other-domain' };
  if (f.byEmail) {
    if (f.byEmail.organizationId !== f.organizationId) return { kind: 'refused', reason: 'other-organization' };
    return f.byEmail.active ? { kind: 'link', userId: f.byEmail.id, email } : { kind: 'refused', reason: 'inactive' };
  }
  if (!f.createAccounts) return { kind: 'refused', reason: 'no-account' };
  const name =
    typeof f.claims.name === 'string' && f.claims.name.trim()
      ? f.claims.name.trim().slice(0, 100)
      : email.slice(0, email.indexOf('@'));
  return { kind: 'create', email, name };
}

/** What the sign-in page says for each refusal (never which account exists). */
export type RefusalReason = Extract<AccountDecision, { kind: 'refused' }>['reason'] | 'failed' | 'denied' | 'expired';

export const refusalMessages: Record<RefusalReason, string> = {
  'no-email': 'Your company account did not share an email address, so it cannot be matched to an account here.',
  unverified: 'Your company account’s email address is not verified, so it cannot be used to sign in here.',
  'other-domain': 'Your company account’s email address is not one this provider signs in for. Ask your administrator.',
  'other-organization': 'This company account cannot sign in here. Ask your administrator.',
  inactive: 'This account is deactivated. Ask your administrator.',
  'no-account': 'There is no account here for your company address yet. Ask your administrator for one.',
  failed: 'Single sign-on did not complete: the answer from your company’s sign-in could not be verified. Try again.',
  denied: 'Single sign-on was cancelled at your company’s sign-in. Sign in again when you are ready.',
  expired: 'That sign-in link has expired or was already used. Start again.',
};

/** The message for `/login?sso=<reason>` (the callback's redirect); undefined for anything else. */
export function refusalMessage(reason: string | null): string | undefined {
  return reason && Object.hasOwn(refusalMessages, reason) ? refusalMessages[reason as RefusalReason] : undefined;
}
