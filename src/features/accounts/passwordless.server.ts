/**
 * Whether an email's domain signs in only through its sign-on provider (`passwordsAllowed` off): such a person never
 * gets, sets or uses a password — not at an invite, not through forgot-password. Read here rather than from
 * sso.server, which imports from accounts (no cycle between feature folders).
 */
import { and, eq } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { ssoDomainTable, ssoProviderTable } from '../../../db/schema';

/** The provider's name when `email`'s domain allows no passwords; undefined otherwise. */
export async function passwordlessProvider(email: string): Promise<{ name: string } | undefined> {
  const domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  const [row] = await getDb()
    .select({ name: ssoProviderTable.name })
    .from(ssoDomainTable)
    .innerJoin(ssoProviderTable, eq(ssoDomainTable.providerId, ssoProviderTable.id))
    .where(and(eq(ssoDomainTable.domain, domain), eq(ssoProviderTable.passwordsAllowed, false)));
  return row;
}
