/**
 * Single sign-on in the database and over the wire. Providers (and which email domains use each) are made by
 * admins on /admin/sso. A sign-in goes:
 *   startSignIn: a row in `sso_login` (state hash → PKCE verifier, nonce, where to go after) and the browser sent to
 *     the provider's authorization endpoint, with `state` also in a cookie that ties the answer to this browser;
 *   completeSignIn (/sso/callback): the row is deleted as it is read, so a state and its code work once; then
 *     openid-client redeems the code and validates the ID token (signature, issuer, audience, expiry with the
 *     clock tolerance, nonce), decideAccount (sso.ts) links or creates the account, and a session of OUR design is
 *     made (src/lib/server/session.ts): signing out ends it; the provider's own session is the provider's.
 * Discovery documents are fetched once per process and provider.
 */
import * as oidc from 'openid-client';
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import {
  membershipTable,
  ssoDomainTable,
  ssoIdentityTable,
  ssoLoginTable,
  ssoProviderTable,
  teamTable,
  userTable,
} from '../../../db/schema';
import { markChanged } from '../accounts/change-times.server';
import { prepareAccountHooks } from '../assignments/hooks';
import { writeAudit } from '../../lib/server/audit';
import { now } from '../../lib/server/clock';
import { newId, randomToken, sha256Hex } from '../../lib/server/ids';
import { hashPassword } from '../../lib/server/password';
import { openSecret, sealSecret } from '../../lib/server/secret-box';
import { createSession, type Session, type SessionUser } from '../../lib/server/session';
import { siteBaseUrl } from '../../lib/server/site';
import { writeTransaction } from '../../lib/server/write-lock';
import { decideAccount, emailDomain, isLoopbackHttp, type ProviderForm, type RefusalReason } from './sso';

export type SsoProvider = typeof ssoProviderTable.$inferSelect;
export type ProviderView = Omit<SsoProvider, 'clientSecretSealed'> & { domains: string[] };

/** A sign-in started more than this long ago is refused at the callback. */
export const LOGIN_LIFETIME = 10 * 60 * 1000;
export const STATE_COOKIE = 'sso_state';
export const CALLBACK_PATH = '/sso/callback';
const DISCOVERY_WAIT_MS = 2000;

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function callbackUrl(): string {
  return `${siteBaseUrl()}${CALLBACK_PATH}`;
}

// ---------------------------------------------------------------------------------------------- admin

export async function listProviders(organizationId: string): Promise<ProviderView[]> {
  const db = getDb();
  const providers = await db
    .select()
    .from(ssoProviderTable)
    .where(eq(ssoProviderTable.organizationId, organizationId))
    .orderBy(asc(ssoProviderTable.createdAt));
  if (providers.length === 0) return [];
  const domains = await db
    .select()
    .from(ssoDomainTable)
    .where(
      inArray(
        ssoDomainTable.providerId,
        providers.map((p) => p.id),
      ),
    );
  return providers.map(({ clientSecretSealed: _, ...p }) => ({
    ...p,
    domains: domains
      .filter((d) => d.providerId === p.id)
      .map((d) => d.domain)
      .sort(),
  }));
}

async function checkTeam(organizationId: string, teamId: string | null): Promise<void> {
  if (!teamId) return;
  const [team] = await getDb()
    .select({ id: teamTable.id })
    .from(teamTable)
    .where(and(eq(teamTable.id, teamId), eq(teamTable.organizationId, organizationId)));
  if (!team) throw new ProviderError('Choose a team from the list.', 'defaultTeamId');
}

/** Creates (no `id`) or updates a provider with its domains, in one transaction with its audit row. */
export async function saveProvider(admin: SessionUser, form: ProviderForm, id?: string): Promise<string> {
  await checkTeam(admin.organizationId, form.defaultTeamId);
  if (form.createAccounts && !form.defaultTeamId)
    throw new ProviderError('Choose the team new accounts join.', 'defaultTeamId');
  if (!id && !form.clientSecret) throw new ProviderError('Enter the client secret.', 'clientSecret');
  const sealed = form.clientSecret ? await sealSecret(form.clientSecret) : undefined;
  const t = now();
  const providerId = id ?? newId();
  await writeTransaction(async (tx) => {
    if (id) {
      const [existing] = await tx
        .select({ id: ssoProviderTable.id })
        .from(ssoProviderTable)
        .where(and(eq(ssoProviderTable.id, id), eq(ssoProviderTable.organizationId, admin.organizationId)));
      if (!existing) throw new ProviderError('There is no such provider.');
    }
    const taken = await tx.select().from(ssoDomainTable).where(inArray(ssoDomainTable.domain, form.domains));
    const clash = taken.filter((d) => d.providerId !== providerId).map((d) => d.domain);
    if (clash.length) throw new ProviderError(`Another provider signs in ${clash.join(', ')} already.`, 'domains');
    const fields = {
      name: form.name,
      issuer: form.issuer,
      clientId: form.clientId,
      passwordsAllowed: form.passwordsAllowed,
      createAccounts: form.createAccounts,
      defaultTeamId: form.defaultTeamId,
    };
    if (id) {
      await tx
        .update(ssoProviderTable)
        .set({ ...fields, ...(sealed ? { clientSecretSealed: sealed } : {}) })
        .where(eq(ssoProviderTable.id, id));
      await tx.delete(ssoDomainTable).where(eq(ssoDomainTable.providerId, id));
    } else {
      await tx.insert(ssoProviderTable).values({
        id: providerId,
        organizationId: admin.organizationId,
        clientSecretSealed: sealed!,
        createdBy: admin.id,
        createdAt: t,
        ...fields,
      });
    }
    await tx.insert(ssoDomainTable).values(form.domains.map((domain) => ({ domain, providerId })));
    // The secret itself is never written to the audit log, only whether it changed.
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: id ? 'sso-provider.updated' : 'sso-provider.created',
      target: providerId,
      detail: { ...fields, domains: form.domains, secretChanged: Boolean(sealed) },
    });
  });
  configurations.delete(providerId);
  return providerId;
}

/** Removes a provider: its domains go back to passwords; accounts it made stay. */
export async function deleteProvider(admin: SessionUser, id: string): Promise<boolean> {
  const done = await writeTransaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(ssoProviderTable)
      .where(and(eq(ssoProviderTable.id, id), eq(ssoProviderTable.organizationId, admin.organizationId)));
    if (!p) return false;
    await tx.delete(ssoDomainTable).where(eq(ssoDomainTable.providerId, id));
    await tx.delete(ssoLoginTable).where(eq(ssoLoginTable.providerId, id));
    await tx.delete(ssoIdentityTable).where(eq(ssoIdentityTable.providerId, id));
    await tx.delete(ssoProviderTable).where(eq(ssoProviderTable.id, id));
    await writeAudit(tx, {
      organizationId: admin.organizationId,
      actorId: admin.id,
      action: 'sso-provider.deleted',
      target: id,
      detail: { name: p.name, issuer: p.issuer },
    });
    return true;
  });
  configurations.delete(id);
  return done;
}

// ---------------------------------------------------------------------------------------------- sign-in

/** The provider that signs in `email`'s domain, if any. */
export async function providerForEmail(email: string): Promise<SsoProvider | undefined> {
  const domain = emailDomain(email);
  if (!domain) return undefined;
  const [row] = await getDb()
    .select({ provider: ssoProviderTable })
    .from(ssoDomainTable)
    .innerJoin(ssoProviderTable, eq(ssoDomainTable.providerId, ssoProviderTable.id))
    .where(eq(ssoDomainTable.domain, domain));
  return row?.provider;
}

const configurations = new Map<string, Promise<oidc.ServerMetadata>>();

/** The provider's discovery document, fetched once per process (a failure is not kept, so the next try refetches). */
function serverMetadata(p: SsoProvider): Promise<oidc.ServerMetadata> {
  let pending = configurations.get(p.id);
  if (!pending) {
    const issuer = new URL(p.issuer);
    pending = oidc
      .discovery(
        issuer,
        p.clientId,
        undefined,
        undefined,
        isLoopbackHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .then((c) => c.serverMetadata());
    pending.catch(() => configurations.delete(p.id));
    configurations.set(p.id, pending);
  }
  return pending;
}

/**
 * The client for one request. Built anew each time (the metadata is cached) so that its clock is the server's
 * (`now()`, which tests move): openid-client checks `exp`, `iat` and `nbf` against it, with its 30 s tolerance.
 */
async function clientFor(p: SsoProvider): Promise<oidc.Configuration> {
  const secret = await openSecret(p.clientSecretSealed);
  const config = new oidc.Configuration(
    await serverMetadata(p),
    p.clientId,
    { client_secret: secret, [oidc.clockSkew]: Math.round((now() - Date.now()) / 1000) },
    oidc.ClientSecretBasic(secret),
  );
  if (isLoopbackHttp(new URL(p.issuer))) oidc.allowInsecureRequests(config);
  // openid-client trusts an ID token from the token endpoint on TLS alone (OIDC Core 3.1.3.7 allows it) unless
  // told otherwise; we check its signature against the provider's JWKS too (one fetch per sign-in).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

/**
 * Where the sign-in form may send the browser: the pages' CSP has `form-action 'self'`, and browsers apply it to
 * the redirect after a form post too, so the sign-in page adds each provider's authorization endpoint origin
 * (its issuer's when its discovery document cannot be read now).
 */
export async function signInFormTargets(): Promise<string[]> {
  const providers = await getDb().select().from(ssoProviderTable);
  // A provider that does not answer must not hold up the sign-in page: after a moment its issuer's origin stands in.
  const origins = await Promise.all(
    providers.map((p) => {
      const fallback = new URL(p.issuer).origin;
      const endpoint = serverMetadata(p).then(
        (m) => new URL(m.authorization_endpoint ?? p.issuer).origin,
        () => fallback,
      );
      return Promise.race([endpoint, new Promise<string>((ok) => setTimeout(ok, DISCOVERY_WAIT_MS, fallback).unref())]);
    }),
  );
  return [...new Set(origins)];
}

/** Starts a sign-in: returns the provider's authorization URL and the state for the cookie. */
export class ProviderUnreachable extends Error {}

export async function startSignIn(
  p: SsoProvider,
  next: string | null,
  loginHint?: string,
): Promise<{ url: string; state: string }> {
  const config = await clientFor(p).catch((error: unknown) => {
    console.warn(
      `sso: ${p.name} (${p.issuer}) cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
    throw new ProviderUnreachable(p.name);
  });
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const t = now();
  await writeTransaction(async (tx) => {
    await tx.delete(ssoLoginTable).where(lt(ssoLoginTable.expiresAt, t));
    await tx.insert(ssoLoginTable).values({
      stateHash: sha256Hex(state),
      providerId: p.id,
      codeVerifier,
      nonce,
      next,
      expiresAt: t + LOGIN_LIFETIME,
    });
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(),
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  return { url: url.href, state };
}

export type CallbackOutcome =
  | { ok: true; token: string; session: Session; role: SessionUser['role']; next: string | null }
  | { ok: false; reason: RefusalReason };

/**
 * The provider's answer. `search` is the callback's query string; `cookieState` the state cookie. The login row is
 * deleted before anything is checked, so no answer (good or bad) can be replayed.
 */
export async function completeSignIn(
  search: string,
  cookieState: string | undefined,
  meta: { ip: string; userAgent: string | null },
): Promise<CallbackOutcome> {
  const params = new URLSearchParams(search);
  const state = params.get('state');
  if (!state || !cookieState || state !== cookieState) return { ok: false, reason: 'expired' };
  const [login] = await writeTransaction((tx) =>
    tx
      .delete(ssoLoginTable)
      .where(eq(ssoLoginTable.stateHash, sha256Hex(state)))
      .returning(),
  );
  if (!login || login.expiresAt <= now()) return { ok: false, reason: 'expired' };
  const [provider] = await getDb().select().from(ssoProviderTable).where(eq(ssoProviderTable.id, login.providerId));
  if (!provider) return { ok: false, reason: 'expired' };

  let claims: oidc.IDToken;
  try {
    const tokens = await oidc.authorizationCodeGrant(await clientFor(provider), new URL(`${callbackUrl()}?${params}`), {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims()!;
  } catch (error) {
    if (error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied')
      return { ok: false, reason: 'denied' };
    // The reason is for the operator; the person gets one message (what failed is no help to them, or to an attacker).
    // A provider's own refusal (e.g. invalid_grant for a code used before) is named with its code and description.
    const said =
      error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError
        ? ` (${error.error}${error.error_description ? `: ${error.error_description}` : ''})`
        : '';
    const reason = `${error instanceof Error ? error.message : String(error)}${said}`;
    console.warn(
      `sso: sign-in through ${provider.name} refused: ${error instanceof Error ? error.name : 'Error'}: ${reason}`,
    );
    await writeAudit(getDb(), {
      organizationId: provider.organizationId,
      actorId: null,
      action: 'sso.refused',
      target: provider.id,
      detail: { reason },
    });
    return { ok: false, reason: 'failed' };
  }
  const userId = await accountFor(provider, claims);
  if (typeof userId !== 'string') return { ok: false, reason: userId.reason };
  const [user] = await getDb().select({ role: userTable.role }).from(userTable).where(eq(userTable.id, userId));
  const token = randomToken(20);
  const session = await createSession(token, userId, meta);
  return { ok: true, token, session, role: user!.role, next: login.next };
}

/** Links or creates the account for validated claims; the account's id, or the refusal. */
async function accountFor(provider: SsoProvider, claims: oidc.IDToken): Promise<string | { reason: RefusalReason }> {
  const db = getDb();
  const userColumns = { id: userTable.id, organizationId: userTable.organizationId, active: userTable.active };
  const [linked] = await db
    .select(userColumns)
    .from(ssoIdentityTable)
    .innerJoin(userTable, eq(ssoIdentityTable.userId, userTable.id))
    .where(and(eq(ssoIdentityTable.providerId, provider.id), eq(ssoIdentityTable.subject, claims.sub)));
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  const [byEmail] = email ? await db.select(userColumns).from(userTable).where(eq(userTable.email, email)) : [];
  const domains = (await db.select().from(ssoDomainTable).where(eq(ssoDomainTable.providerId, provider.id))).map(
    (d) => d.domain,
  );
  const decision = decideAccount({
    claims,
    providerDomains: domains,
    organizationId: provider.organizationId,
    createAccounts: provider.createAccounts,
    linked,
    byEmail,
  });
  const audit = { organizationId: provider.organizationId, target: provider.id };
  if (decision.kind === 'refused') {
    await writeAudit(db, {
      ...audit,
      actorId: null,
      action: 'sso.refused',
      detail: { reason: decision.reason, sub: claims.sub, email },
    });
    return { reason: decision.reason };
  }
  if (decision.kind === 'linked') return decision.userId;
  const t = now();
  if (decision.kind === 'link') {
    await writeTransaction(async (tx) => {
      await tx
        .insert(ssoIdentityTable)
        .values({ providerId: provider.id, subject: claims.sub, userId: decision.userId, createdAt: t })
        .onConflictDoNothing();
      await writeAudit(tx, {
        ...audit,
        actorId: decision.userId,
        action: 'sso.linked',
        detail: { sub: claims.sub, email },
      });
    });
    return decision.userId;
  }
  // A password nobody knows (a real hash of random bytes): the account signs in through the provider.
  const passwordHash = await hashPassword(randomToken(32));
  const hooks = await prepareAccountHooks();
  return writeTransaction(async (tx) => {
    const [taken] = await tx.select({ id: userTable.id }).from(userTable).where(eq(userTable.email, decision.email));
    if (taken) return { reason: 'failed' as const };
    const [user] = await tx
      .insert(userTable)
      .values({
        id: newId(),
        organizationId: provider.organizationId,
        email: decision.email,
        name: decision.name,
        passwordHash,
        role: 'learner',
        job: 'rep',
        hireDate: new Date(t).toISOString().slice(0, 10),
        active: true,
        createdAt: t,
      })
      .returning();
    if (provider.defaultTeamId) {
      await tx
        .insert(membershipTable)
        .values({ userId: user!.id, teamId: provider.defaultTeamId, kind: 'member', createdAt: t });
      await markChanged(tx, t, { teams: [provider.defaultTeamId] });
    }
    await tx
      .insert(ssoIdentityTable)
      .values({ providerId: provider.id, subject: claims.sub, userId: user!.id, createdAt: t });
    await hooks.onAccountCreated(tx, user!);
    await writeAudit(tx, {
      ...audit,
      actorId: user!.id,
      action: 'sso.account-created',
      detail: { sub: claims.sub, email: decision.email, teamId: provider.defaultTeamId },
    });
    return user!.id;
  });
}
