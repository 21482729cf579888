/**
 * Open Badges end to end against the built server: a rep certified through the real actions downloads their
 * certificate as a signed OpenBadgeCredential; it verifies against the site's published key set; its status URL
 * (the public verify page asked for JSON) lists nothing until an admin revokes the certificate, then lists the
 * credential (not the reason, which stays private), and the download is gone. Another team's manager cannot download it.
 */
import { expect, test } from '@playwright/test';
import { verifyOpenBadgeCredential } from '../../src/features/exports/open-badges';
import {
  callAction,
  certifyRep,
  demo,
  invitePerson,
  newClient,
  realContent,
  signedIn,
  TEAM_A,
  teamId,
} from '../helpers/e2e-world';

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

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
  const jwks = await (await anon.get('/.well-known/jwks.json')).json();
  const credential = await verifyOpenBadgeCredential(jwt, jwks);
  expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
  expect(credential.name).toBe(track.title);
  expect(credential.issuer.name).toBe('Northwind Support');
  expect(credential.credentialSubject.identifier).toContainEqual(
    expect.objectContaining({ identityType: 'name', identityHash: 'Bea Badge' }),
  );
  expect(credential.credentialStatus).toEqual({ id: `${base}/verify/${code}`, type: '1EdTechRevocationList' });
  // The ids inside the credential resolve, signed out: the issuer Profile (always JSON-LD) and the Achievement
  // (JSON-LD for a verifier, a page for a person), each saying what the credential says.
  const issuer = await anon.get(credential.issuer.id);
  expect(issuer.status()).toBe(200);
  expect(issuer.headers()['content-type']).toBe('application/ld+json');
  expect(await issuer.json()).toEqual({ '@context': expect.arrayContaining(['https://www.w3.org/ns/credentials/v2']), ...credential.issuer });
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

  const status = async () => {
    const res = await anon.get(credential.credentialStatus.id, { headers: { accept: 'application/json' } });
    expect(res.status()).toBe(200);
    return res.json();
  };
  expect(await status()).toEqual({ id: `${base}/verify/${code}`, issuer: `${base}/issuer`, revokedCredentials: [] });
  const html = await anon.get(`/verify/${code}`, { headers: { accept: 'text/html' } });
  expect(html.headers()['content-type']).toMatch(/text\/html/);

  const otherManager = await signedIn(playwright, base, demo.managerB);
  expect((await otherManager.get(`/certificates/${code}/badge.jwt`)).status()).toBe(404);

  const revoked = await callAction(admin, 'certification.revoke', [
    ['code', code],
    ['reason', 'Exam taken by someone else'],
  ]);
  expect(revoked.status()).toBe(200);
  expect(await status()).toEqual({
    id: `${base}/verify/${code}`,
    issuer: `${base}/issuer`,
    // Revoked, but not why: the reason is for the organization's records, not for the public.
    revokedCredentials: [{ id: credential.id }],
  });
  expect((await rep.ctx.get(`/certificates/${code}/badge.jwt`)).status()).toBe(410);
});
