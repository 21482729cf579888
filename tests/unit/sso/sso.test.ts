import { describe, expect, it } from 'vitest';
import {
  decideAccount,
  emailDomain,
  isLoopbackHttp,
  providerFormSchema,
  refusalMessage,
  type DecisionFacts,
} from '../../../src/features/sso/sso';

const form = {
  name: 'Contoso',
  issuer: 'https://login.microsoftonline.com/tenant/v2.0/',
  clientId: 'abc',
  clientSecret: 's3cret',
  domains: 'Contoso.com, contoso.co.uk contoso.com',
  defaultTeamId: '',
};

describe('providerFormSchema', () => {
  it('reads the form: domains lower-cased and deduplicated, checkboxes as booleans, no team as null', () => {
    const r = providerFormSchema.parse({ ...form, createAccounts: 'on' });
    expect(r).toMatchObject({
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      domains: ['contoso.com', 'contoso.co.uk'],
      passwordsAllowed: false,
      createAccounts: true,
      defaultTeamId: null,
    });
  });
  it('refuses plain http except on this machine, and text that is not a domain', () => {
    expect(providerFormSchema.safeParse({ ...form, issuer: 'http://idp.contoso.com' }).success).toBe(false);
    expect(providerFormSchema.safeParse({ ...form, issuer: 'http://127.0.0.1:4562' }).success).toBe(true);
    expect(providerFormSchema.safeParse({ ...form, domains: 'contoso' }).success).toBe(false);
    expect(providerFormSchema.safeParse({ ...form, domains: ' ' }).success).toBe(false);
  });
});

describe('emailDomain and isLoopbackHttp', () => {
  it('finds the domain of an address', () => {
    expect(emailDomain('Ana@Contoso.COM ')).toBe('contoso.com');
    expect(emailDomain('no-at-sign')).toBeUndefined();
    expect(isLoopbackHttp(new URL('http://localhost:9000'))).toBe(true);
    expect(isLoopbackHttp(new URL('https://127.0.0.1'))).toBe(false);
  });
});

describe('decideAccount', () => {
  const base: DecisionFacts = {
    claims: { sub: 's1', email: 'Ana@contoso.com', email_verified: true, name: 'Ana Ruiz' },
    providerDomains: ['contoso.com'],
    organizationId: 'org',
    createAccounts: true,
    linked: undefined,
    byEmail: undefined,
  };
  it('uses the link first, whatever the email says now', () => {
    expect(
      decideAccount({ ...base, claims: { sub: 's1' }, linked: { id: 'u1', organizationId: 'org', active: true } }),
    ).toEqual({ kind: 'linked', userId: 'u1' });
    expect(decideAccount({ ...base, linked: { id: 'u1', organizationId: 'org', active: false } })).toEqual({
      kind: 'refused',
      reason: 'inactive',
    });
  });
  it('links an existing account by verified email of the provider’s domains', () => {
    expect(decideAccount({ ...base, byEmail: { id: 'u2', organizationId: 'org', active: true } })).toEqual({
      kind: 'link',
      userId: 'u2',
      email: 'ana@contoso.com',
    });
    expect(decideAccount({ ...base, byEmail: { id: 'u2', organizationId: 'other', active: true } })).toEqual({
      kind: 'refused',
      reason: 'other-organization',
    });
  });
  it('accepts Entra ID’s xms_edov in place of email_verified', () => {
    expect(decideAccount({ ...base, claims: { sub: 's', email: 'a@contoso.com', xms_edov: true } }).kind).toBe(
      'create',
    );
  });
  it('never links or creates on an unverified email, another domain or no email', () => {
    expect(
      decideAccount({
        ...base,
        claims: { ...base.claims, email_verified: false },
        byEmail: { id: 'u2', organizationId: 'org', active: true },
      }),
    ).toEqual({ kind: 'refused', reason: 'unverified' });
    expect(decideAccount({ ...base, claims: { ...base.claims, email_verified: 'true' } })).toEqual({
      kind: 'refused',
      reason: 'unverified',
    });
    expect(decideAccount({ ...base, claims: { ...base.claims, email: 'ana@elsewhere.com' } })).toEqual({
      kind: 'refused',
      reason: 'other-domain',
    });
    expect(decideAccount({ ...base, claims: { sub: 's' } })).toEqual({ kind: 'refused', reason: 'no-email' });
  });
  it('creates only when the provider allows it', () => {
    expect(decideAccount(base)).toEqual({ kind: 'create', email: 'ana@contoso.com', name: 'Ana Ruiz' });
    expect(decideAccount({ ...base, createAccounts: false })).toEqual({ kind: 'refused', reason: 'no-account' });
  });
  it('maps only known reasons to messages', () => {
    expect(refusalMessage('denied')).toMatch(/cancelled/);
    expect(refusalMessage('toString')).toBeUndefined();
    expect(refusalMessage(null)).toBeUndefined();
  });
});
