/**
 * Open Badges end to end against the built server: a rep certified through the real actions downloads their
 * certificate as a signed OpenBadgeCredential and as a badge image with it baked in; the credential passes
 * 1EdTech's validator's rules with every URL dereferenced over HTTP (the key its kid names, the status list), and
 * its signature verifies with WebCrypto against the published key; its Bitstring status list bit is clear until
 * an admin revokes the certificate, then set (the reason stays private), and the downloads are gone. The holder
 * gets an "Add to LinkedIn profile" link; another team's manager cannot download anything.
 */
import { expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { verifyOpenBadgeCredential } from '../../src/features/exports/open-badges';
import { validateLikeOneEdTech, verifyJwsWithWebCrypto, type Fetcher } from '../helpers/ob-validator';
import {
  callAction,
  certifyRep,
  demo,
  invitePerson,
  newClient,
  one,
  realContent,
  signedIn,
  TEAM_A,
  teamId,
} from '../helpers/e2e-world';

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

test('a certificate as a signed Open Badge, verified with the published key, revocation reflected at its status URL', async ({
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const admin = await signedIn(playwright, base, demo.admin);
  const rep = await invitePerson(playwright, base, admin, { name: 'Bea Badge', teamId: await teamId(TEAM_A) });
  const { code } = await certifyRep(rep.ctx, rep.id);
  const track = [...(await realContent()).tracks.values()].map((t) => t.data!).find((t) => t.audience === 'rep')!;

  // Each event's xAPI statements were frozen in the same transaction as the event: stored at the very instant.
  const frozen = await one<{ attempts: number; frozen: number; events: number; frozenEvents: number }>(
    `SELECT (SELECT count(*) FROM quiz_attempt WHERE user_id = ?1 AND status = 'submitted') AS attempts,
            (SELECT count(*) FROM quiz_attempt a JOIN xapi_statement s ON s.source = 'attempt' AND s.source_id = a.id
              WHERE a.user_id = ?1 AND s.stored_at = a.submitted_at) AS frozen,
            (SELECT count(*) FROM certification_event WHERE user_id = ?1) AS events,
            (SELECT count(*) FROM certification_event e JOIN xapi_statement s ON s.source = 'certification' AND s.source_id = e.id
              WHERE e.user_id = ?1 AND s.stored_at = e.at) AS frozenEvents`,
    [rep.id],
  );
  expect(frozen.attempts).toBeGreaterThan(0);
  expect(frozen).toMatchObject({ frozen: frozen.attempts, frozenEvents: frozen.events });

  const page = await rep.ctx.get(`/certificates/${code}`);
  expect(await page.text()).toContain(`/certificates/${code}/badge.jwt`);
  const download = await rep.ctx.get(`/certificates/${code}/badge.jwt`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('application/vc+jwt');
  expect(download.headers()['content-disposition']).toMatch(
    /^attachment; filename="rep-onboarding-\d{4}-\d{2}-\d{2}\.jwt"$/,
  );
  const jwt = await download.text();

  const anon = await newClient(playwright, base);
  const fetcher: Fetcher = async (url) => {
    const res = await anon.get(url);
    return { status: res.status(), text: await res.text() };
  };
  // As 1EdTech's validator reads it, every URL fetched from the server.
  const checked = await validateLikeOneEdTech(jwt, fetcher);
  expect(checked.problems).toEqual([]);
  expect(checked.revoked).toBe(false);
  const header = decodeProtectedHeader(jwt);
  expect(Object.keys(header).sort()).toEqual(['alg', 'kid', 'typ']);
  expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  const jwk = await (await anon.get(header.kid!)).json();
  expect(jwk).not.toHaveProperty('d');
  expect(await verifyJwsWithWebCrypto(jwt, jwk)).toBe(true);
  const jwks = await (await anon.get('/.well-known/jwks.json')).json();
  const credential = await verifyOpenBadgeCredential(jwt, jwks);
  expect(decodeJwt(jwt).sub).toBe(credential.credentialSubject.id);
  expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
  expect(credential.name).toBe(track.title);
  expect(credential.issuer.name).toBe('Northwind Support');
  expect(credential.credentialSubject.identifier).toContainEqual(
    expect.objectContaining({ identityType: 'name', identityHash: 'Bea Badge' }),
  );
  expect(credential.credentialStatus).toMatchObject({
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListCredential: `${base}/status/revocation/0`,
  });

  // The badge image carries the same kind of credential, baked in; the certificate page offers it and LinkedIn.
  const svg = await rep.ctx.get(`/certificates/${code}/badge.svg`);
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
  const baked = /<openbadges:credential verify="([^"]+)"><\/openbadges:credential>/.exec(await svg.text())![1]!;
  expect((await validateLikeOneEdTech(baked, fetcher)).problems).toEqual([]);
  const pageHtml = await page.text();
  expect(pageHtml).toContain(`/certificates/${code}/badge.svg`);
  const linkedIn = new URL(
    /href="(https:\/\/www\.linkedin\.com\/profile\/add\?[^"]+)"/.exec(pageHtml)![1]!.replaceAll('&amp;', '&'),
  );
  expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({
    startTask: 'CERTIFICATION_NAME',
    name: track.title,
    organizationName: 'Northwind Support',
    certUrl: `${base}/verify/${code}`,
    certId: code.toUpperCase(),
  });
  // The ids inside the credential resolve, signed out: the issuer Profile (always JSON-LD) and the Achievement
  // (JSON-LD for a verifier, a page for a person), each saying what the credential says.
  const issuer = await anon.get(credential.issuer.id);
  expect(issuer.status()).toBe(200);
  expect(issuer.headers()['content-type']).toBe('application/ld+json');
  expect(await issuer.json()).toEqual({
    '@context': expect.arrayContaining(['https://www.w3.org/ns/credentials/v2']),
    ...credential.issuer,
  });
  const { achievement } = credential.credentialSubject;
  expect(achievement.id).toBe(`${base}/achievements/${track.id}`);
  const asJson = await anon.get(achievement.id, { headers: { accept: 'application/ld+json' } });
  expect(asJson.status()).toBe(200);
  expect(asJson.headers()['content-type']).toBe('application/ld+json');
  expect(await asJson.json()).toMatchObject({ ...achievement, creator: credential.issuer });
  const asPage = await anon.get(achievement.id, { headers: { accept: 'text/html' } });
  expect(asPage.status()).toBe(200);
  expect(asPage.headers()['content-type']).toMatch(/text\/html/);
  const pageText = await asPage.text();
  for (const text of [achievement.name, achievement.criteria.narrative]) expect(pageText).toContain(escapeHtml(text));
  expect((await anon.get(`${base}/achievements/no-such-track`)).status()).toBe(404);

  // A tampered token fails against the same key set.
  const [h, p, s] = jwt.split('.');
  const forged = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), name: 'Something else' }),
  ).toString('base64url');
  await expect(verifyOpenBadgeCredential(`${h}.${forged}.${s}`, jwks)).rejects.toThrow();

  const otherManager = await signedIn(playwright, base, demo.managerB);
  expect((await otherManager.get(`/certificates/${code}/badge.jwt`)).status()).toBe(404);
  expect((await otherManager.get(`/certificates/${code}/badge.svg`)).status()).toBe(404);
  const manager = await signedIn(playwright, base, demo.managerA);
  expect(await (await manager.get(`/certificates/${code}`)).text()).not.toContain('linkedin.com');

  const revoked = await callAction(admin, 'certification.revoke', [
    ['code', code],
    ['reason', 'Exam taken by someone else'],
  ]);
  expect(revoked.status()).toBe(200);
  // The status list now has this credential's bit set: the validator's rules see the revocation.
  const after = await validateLikeOneEdTech(jwt, fetcher);
  expect(after.revoked).toBe(true);
  expect(after.problems).toEqual([]);
  const list = await anon.get(`${base}/status/revocation/0`);
  expect(list.headers()['content-type']).toBe('application/vc+jwt');
  expect(JSON.stringify(decodeJwt(await list.text()))).not.toContain('someone else');
  expect((await rep.ctx.get(`/certificates/${code}/badge.jwt`)).status()).toBe(410);
  expect((await rep.ctx.get(`/certificates/${code}/badge.svg`)).status()).toBe(410);
});
