/** Email preferences in the database (`notification_preference`) and the key that signs unsubscribe links. */
import { eq, inArray } from 'drizzle-orm';
import { getDb } from '../../../db/client';
import { noticeKinds, notificationPreferenceTable, userTable } from '../../../db/schema';
import { now } from '../../lib/server/clock';
import { getSiteSecret } from '../../lib/server/site-secret';
import { writeTransaction } from '../../lib/server/write-lock';
import {
  defaultPreferences,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
  type EmailPreferences,
} from './notifications';

export interface StoredPreferences extends EmailPreferences {
  digestSentAt: number | null;
}

const unsubscribeKey = () => getSiteSecret('unsubscribe');

/** Preferences of several people (defaults for those who never chose). */
export async function preferencesOf(userIds: readonly string[]): Promise<Map<string, StoredPreferences>> {
  const rows = userIds.length
    ? await getDb()
        .select()
        .from(notificationPreferenceTable)
        .where(inArray(notificationPreferenceTable.userId, [...userIds]))
    : [];
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  return new Map(
    userIds.map((id) => {
      const r = byUser.get(id);
      return [
        id,
        r
          ? { emailOff: r.emailOff, digest: r.digest, digestSentAt: r.digestSentAt }
          : { ...defaultPreferences, digestSentAt: null },
      ];
    }),
  );
}

export async function getPreferences(userId: string): Promise<StoredPreferences> {
  return (await preferencesOf([userId])).get(userId)!;
}

export async function savePreferences(userId: string, prefs: EmailPreferences, at = now()): Promise<void> {
  const values = { emailOff: [...prefs.emailOff], digest: prefs.digest, updatedAt: at };
  await writeTransaction((tx) =>
    tx
      .insert(notificationPreferenceTable)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: notificationPreferenceTable.userId, set: values }),
  );
}

/** Records when a person's weekly digest went out (only digest readers have a row to record it in). */
export async function markDigestSent(userId: string, at: number): Promise<void> {
  await getDb()
    .update(notificationPreferenceTable)
    .set({ digestSentAt: at })
    .where(eq(notificationPreferenceTable.userId, userId));
}

/** The one-click unsubscribe link's token for a person. */
export async function unsubscribeTokenFor(userId: string): Promise<string> {
  return signUnsubscribeToken(await unsubscribeKey(), userId);
}

/**
 * One-click unsubscribe: no reminder emails at all for the person the token names (the notices stay on their home
 * page). Returns their name for the confirmation, or undefined for a token that is not ours or names nobody.
 */
export async function unsubscribeWithToken(token: string, at = now()): Promise<{ name: string } | undefined> {
  const person = await personOfToken(token);
  if (!person) return undefined;
  await savePreferences(person.id, { emailOff: [...noticeKinds], digest: false }, at);
  return { name: person.name };
}

/** Who a token names (without changing anything): the unsubscribe page shows it before the click. */
export async function personOfToken(token: string): Promise<{ id: string; name: string } | undefined> {
  const userId = verifyUnsubscribeToken(await unsubscribeKey(), token);
  if (!userId) return undefined;
  const [user] = await getDb()
    .select({ id: userTable.id, name: userTable.name })
    .from(userTable)
    .where(eq(userTable.id, userId));
  return user;
}
