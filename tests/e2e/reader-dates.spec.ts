/**
 * "Today" is the reader's today: file names of downloads and the default of a date field follow the person's time
 * zone (their own from /account, else the organisation's: America/New_York), not the server's UTC. Late in the
 * evening in New York it is already tomorrow in UTC; a manager exporting at 23:30 means today's file.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { demo, DEMO_PASSWORD, one, signedIn, TEAM_A, teamId } from '../helpers/e2e-world';

const HOUR = 60 * 60 * 1000;

async function setClock(ctx: APIRequestContext, offsetMs: number) {
  expect((await ctx.post('/api/test/clock', { data: { offsetMs } })).status()).toBe(200);
}

/** The file name a download offers (the plain `filename`, as every browser reads it). */
function fileName(res: { headers(): Record<string, string> }): string {
  return /filename="([^"]+)"/.exec(res.headers()['content-disposition'] ?? '')?.[1] ?? '';
}

test.afterEach(async ({ request }) => setClock(request, 0));

test('at 23:30 in New York the team export, the invite forms and a new invite all say it is still that day', async ({
  request,
  playwright,
  baseURL,
}) => {
  // The next 04:30 UTC to come: 23:30 (EST) the evening before in New York, the organisation's zone.
  const at = new Date();
  at.setUTCHours(4, 30, 0, 0);
  if (at.getTime() <= Date.now()) at.setTime(at.getTime() + 24 * HOUR);
  const newYorkDay = new Date(at.getTime() - 24 * HOUR).toISOString().slice(0, 10);
  const utcDay = at.toISOString().slice(0, 10);
  await setClock(request, at.getTime() - Date.now());

  // Mia has never chosen a zone, so she reads the organisation's.
  const mia = await signedIn(playwright, baseURL!, demo.managerA);
  const team = await teamId(TEAM_A);
  const csv = await mia.get(`/team/export.csv?team=${team}`);
  expect(csv.status()).toBe(200);
  expect(fileName(csv)).toBe(`Billing_Support_training_${newYorkDay}.csv`);
  expect(fileName(csv)).not.toContain(utcDay);

  const invites = await (await mia.get('/team/invites')).text();
  expect(invites).toMatch(new RegExp(`name="hireDate"[^>]*value="${newYorkDay}"`));
  const bulk = await (await mia.get('/team/invites/bulk')).text();
  expect(bulk).toMatch(new RegExp(`name="hireDate"[^>]*value="${newYorkDay}"`));

  // An invite sent without a hire date is hired today, New York's today.
  const email = `late.evening.${Date.now()}@demo.test`;
  const made = await mia.post('/team/invites', { form: { email, role: 'learner', teamId: team, hireDate: '' } });
  expect(made.status()).toBe(201);
  expect((await one('SELECT hire_date FROM invite WHERE email = ?', [email])).hire_date).toBe(newYorkDay);
});

test('a badge download is named by the day it was issued where its holder is', async ({ playwright, baseURL }) => {
  // Kwame (rep5) is certified in the demo. He reads in a zone where his certificate's UTC day is not his day.
  const kwame = await signedIn(playwright, baseURL!, 'rep5@demo.test', DEMO_PASSWORD);
  const cert = await one<{ code: string; issued_at: number; track_id: string }>(
    "SELECT c.code, c.issued_at, c.track_id FROM certificate c JOIN user u ON u.id = c.user_id WHERE u.email = 'rep5@demo.test' AND c.revoked_at IS NULL ORDER BY c.issued_at DESC LIMIT 1",
  );
  const issued = Number(cert.issued_at);
  // UTC+14 is already tomorrow from 10:00 UTC on; UTC-11 is still yesterday before 11:00 UTC.
  const zone = new Date(issued).getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(issued);
  expect(day).not.toBe(new Date(issued).toISOString().slice(0, 10));
  expect((await kwame.post('/account', { form: { intent: 'time-zone', timeZone: zone } })).status()).toBeLessThan(400);

  const svg = await kwame.get(`/certificates/${cert.code}/badge.svg`);
  expect(fileName(svg)).toBe(`${cert.track_id}-${day}.svg`);
  const jwt = await kwame.get(`/certificates/${cert.code}/badge.jwt`);
  expect(fileName(jwt)).toBe(`${cert.track_id}-${day}.jwt`);
  // Back to the organisation's zone, where the other specs expect him.
  await kwame.post('/account', { form: { intent: 'time-zone', timeZone: 'America/New_York' } });
});
