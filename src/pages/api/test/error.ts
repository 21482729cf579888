/**
 * Test-only: fails the way a bug would (an exception no code expected), so the browser tests can see what people
 * are shown then (src/pages/500.astro). Answers 404 — as if it did not exist — unless the server runs with
 * FRONTLINE_TEST_CLOCK=1, which the configuration refuses in production (src/env.ts).
 */
import type { APIRoute } from 'astro';
import { testClockEnabled } from '~/lib/server/clock';

export const GET: APIRoute = () => {
  if (!testClockEnabled()) return new Response('Not found', { status: 404 });
  throw new Error(
    'Test failure on purpose (GET /api/test/error): this message and its stack must never reach the page.',
  );
};
