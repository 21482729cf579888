/**
 * Places in the revocation status list: each certificate gets one for good, distinct from every other, even when
 * many credentials are made at once; the signed list sets exactly the bits of revoked certificates.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { getDb } from '../../db/client';
import { certificateTable } from '../../db/schema';
import { signedStatusList, statusIndexFor } from '../../src/features/exports/badges.server';
import { isSetInStatusList } from '../../src/features/exports/status-list';
import { newId } from '../../src/lib/server/ids';
import { freshDemoDb, userByEmail } from '../helpers/accounts';

vi.mock('../../src/lib/server/catalog', () => import('../helpers/fake-catalog'));

let certificates: string[];
beforeAll(async () => {
  await freshDemoDb();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  process.env.BADGE_SIGNING_KEY = JSON.stringify(await exportJWK(privateKey));
  const rep = await userByEmail('rep5@demo.test');
  certificates = Array.from({ length: 12 }, () => newId());
  await getDb()
    .insert(certificateTable)
    .values(
      certificates.map((id) => ({
        id,
        code: newId(),
        userId: rep.id,
        trackId: 'rep-onboarding',
        issuedAt: Date.now(),
        expiresAt: Date.now() + 86_400_000,
        moduleVersions: {},
      })),
    );
});

describe('status list places', () => {
  it('are distinct under concurrency and stable afterwards', async () => {
    const first = await Promise.all(certificates.flatMap((id) => [statusIndexFor(id), statusIndexFor(id)]));
    for (let i = 0; i < certificates.length; i += 1) expect(first[2 * i]).toBe(first[2 * i + 1]);
    const places = certificates.map((_, i) => first[2 * i]!);
    expect(new Set(places).size).toBe(certificates.length);
    expect(await Promise.all(certificates.map((id) => statusIndexFor(id)))).toEqual(places);
  });

  it('set the bit of a revoked certificate in the signed list, and only that one', async () => {
    await getDb()
      .update(certificateTable)
      .set({ revokedAt: Date.now() })
      .where(eq(certificateTable.id, certificates[3]!));
    const jwt = (await signedStatusList(0, 'https://academy.example'))!;
    const list = decodeJwt(jwt) as { credentialSubject: { encodedList: string }; iss: string };
    expect(list.iss).toBe('https://academy.example/issuer');
    const places = await Promise.all(certificates.map((id) => statusIndexFor(id)));
    expect(places.map((p) => isSetInStatusList(list.credentialSubject.encodedList, p))).toEqual(
      places.map((_, i) => i === 3),
    );
    expect(await signedStatusList(1, 'https://academy.example')).toBeUndefined();
  });
});
