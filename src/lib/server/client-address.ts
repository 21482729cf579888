/**
 * The address a request came from, for throttling and the sessions list. Behind our own reverse proxy every
 * request comes from the proxy; with TRUST_PROXY=1 (src/env.ts) the client is the last X-Forwarded-For entry,
 * the one our proxy appended (earlier entries are whatever the client sent). Only set TRUST_PROXY when the app
 * listens where nothing but the proxy can reach it.
 */
import { env } from '../../env';

export function clientAddress(request: Request, socketAddress: string): string {
  if (!env().trustProxy) return socketAddress;
  return request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || socketAddress;
}
