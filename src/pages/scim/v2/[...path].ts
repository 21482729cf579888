/**
 * SCIM 2.0 for identity providers (Entra ID, Okta): every method on /scim/v2/…, answered by handleScim. No session
 * and no origin check (the middleware exempts the route): the admin-made bearer token is the authorization.
 */
import type { APIRoute } from 'astro';
import { handleScim } from '../../../features/scim/scim.server';
import { authenticateScim } from '../../../features/scim/scim-tokens.server';

export const ALL: APIRoute = async ({ request, params }) =>
  handleScim(request, params.path ?? '', await authenticateScim(request.headers.get('authorization')));
