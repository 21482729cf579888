/**
 * GET /healthz — for a load balancer, systemd or an uptime monitor: 200 `{"status":"ok"}` when the database
 * answers a query, 503 `{"status":"unavailable"}` when it does not (the reason goes to the log, not to the caller).
 * Public: monitors have no session.
 */
import type { APIRoute } from 'astro';
import { getClient } from '../../db/client';

function json(status: number, body: object): Response {
  const text = JSON.stringify(body);
  // A declared length lets the server see it is too small to be worth compressing.
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  };
  return new Response(text, { status, headers });
}

export const GET: APIRoute = async () => {
  try {
    await getClient().execute('SELECT 1 FROM __drizzle_migrations LIMIT 1');
    return json(200, { status: 'ok' });
  } catch (error) {
    console.error('healthz: the database did not answer:', error);
    return json(503, { status: 'unavailable' });
  }
};
