/**
 * Test-only: moves the server's clock (src/lib/server/clock.ts) so e2e tests can cross throttling windows and
 * expiries; the offset is stored, so the CLI commands follow it too. Answers 404 — as if it did not exist — unless the server runs with FRONTLINE_TEST_CLOCK=1.
 */
import type { APIRoute } from 'astro';
import { z } from 'zod';
import { now, setSharedClockOffset, testClockEnabled } from '~/lib/server/clock';

const YEAR = 365 * 24 * 60 * 60 * 1000;
const bodySchema = z.object({
  offsetMs: z
    .number()
    .int()
    .min(-10 * YEAR)
    .max(10 * YEAR),
});

export const POST: APIRoute = async ({ request }) => {
  if (!testClockEnabled()) return new Response('Not found', { status: 404 });
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return Response.json({ error: 'Send JSON {"offsetMs": <integer milliseconds>}.' }, { status: 400 });
  }
  await setSharedClockOffset(parsed.data.offsetMs);
  return Response.json({ offsetMs: parsed.data.offsetMs, now: now() });
};
