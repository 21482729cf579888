/**
 * A company identity provider for the tests: `oidc-provider` (the OpenID-certified Node implementation), run as its
 * own process on 127.0.0.1 with its development sign-in and consent pages (any login name and password sign in).
 * Started and stopped by tests/helpers/oidc-idp.ts. Arguments come in IDP_CONFIG (JSON): port, client id, secret,
 * redirect URI. It prints "listening <port>" when ready.
 *
 * The login name is the person: its `sub`, and their email; `unverified:<email>` says email_verified false.
 *
 * POST /__test/next-id-token with a mode changes the next ID token the token endpoint issues, to show that the
 * app refuses it: `tampered` (a claim changed, the signature left as it was), or re-signed with the provider's own
 * key but `wrong-audience` or `expired` (exp and iat an hour in the past).
 */
import { CompactSign, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const { port, clientId, clientSecret, redirectUri } = JSON.parse(process.env.IDP_CONFIG);
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [jwk] },
  async findAccount(_ctx, id) {
    const unverified = id.startsWith('unverified:');
    const email = unverified ? id.slice('unverified:'.length) : id;
    return {
      accountId: id,
      claims: () => ({ sub: id, email, email_verified: !unverified, name: email.split('@')[0].replace(/[._]/g, ' ') }),
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The claims of the requested scopes go into the ID token too, as Entra ID and Okta put them.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['oidc-test-cookie-key'] },
});

let nextMode;
const enc = new TextEncoder();

async function resign(payload) {
  return new CompactSign(enc.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
    .sign(privateKey);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/next-id-token' && ctx.method === 'POST') {
    nextMode = ctx.query.mode;
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !nextMode || !ctx.body?.id_token) return;
  const mode = nextMode;
  nextMode = undefined;
  const token = ctx.body.id_token;
  const payload = decodeJwt(token);
  decodeProtectedHeader(token);
  if (mode === 'tampered') {
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, email: 'ceo@contoso.test' })).toString('base64url');
    ctx.body = { ...ctx.body, id_token: `${head}.${forged}.${sig}` };
  } else if (mode === 'wrong-audience') {
    ctx.body = { ...ctx.body, id_token: await resign({ ...payload, aud: 'some-other-app' }) };
  } else if (mode === 'expired') {
    const t = Math.floor(Date.now() / 1000);
    ctx.body = { ...ctx.body, id_token: await resign({ ...payload, iat: t - 7200, exp: t - 3600 }) };
  }
});

const server = provider.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
