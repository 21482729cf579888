/**
 * LRS credentials, pure: reading an HTTP Basic Authorization header, and the admin form that makes a credential
 * (a name, and either the whole organization or some of its teams).
 */
import { z } from 'zod';

/** The user name and password of `Authorization: Basic …`, or undefined when the header is not Basic or is malformed. */
export function parseBasicAuth(header: string | null): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The fields of the form (that a team scope names at least one team is checked with the teams themselves). */
export const credentialFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Give the credential a name, e.g. the LRS it is for.')
    .max(100, 'At most 100 characters.'),
  scope: z.enum(['organization', 'teams'], { message: 'Choose what it may read.' }),
  teams: z.array(z.string().min(1).max(64)).max(500),
});
export type CredentialForm = z.infer<typeof credentialFormSchema>;
