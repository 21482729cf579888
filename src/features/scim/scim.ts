/**
 * SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol), pure: the error format, how a user and a team are shown as
 * SCIM `User` and `Group` resources, how request bodies are read (as Entra ID and Okta send them: Entra's booleans
 * may come as the strings "True"/"False", op names capitalised), ETags, paging and filters. The database side is
 * scim.server.ts.
 *
 * Our mapping: userName is the email; the Frontline extension carries hireDate (YYYY-MM-DD, drives onboarding due
 * dates) and role (learner or manager); a Group is a team. A learner in a group is a member of that team (one team
 * at a time: joining another moves them); a manager in a group manages it; the enterprise extension's `manager`
 * makes that person (when a manager) manage the user's team.
 */
import { createHash } from 'node:crypto';
import { filter as compileFilter, parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { z } from 'zod';

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  frontline: 'urn:ietf:params:scim:schemas:extension:frontline:2.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const MAX_RESULTS = 200;

export type ScimType = 'invalidFilter' | 'invalidSyntax' | 'invalidValue' | 'uniqueness' | 'mutability' | 'noTarget' | 'invalidVers' | 'tooMany';

/** A refusal in RFC 7644 §3.12's shape; thrown anywhere below the handler, answered by it. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: ScimType,
  ) {
    super(message);
  }
}

export function errorBody(e: ScimError) {
  return { schemas: [SCHEMA.error], status: String(e.status), ...(e.scimType ? { scimType: e.scimType } : {}), detail: e.message };
}

// ---------------------------------------------------------------------------------------------- resources

export interface UserFacts {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'trainer' | 'learner';
  hireDate: string | null;
  active: boolean;
  externalId: string | null;
  managerId: string | null;
  createdAt: number;
  updatedAt: number | null;
  groups: { id: string; name: string }[];
}

export interface GroupFacts {
  id: string;
  name: string;
  externalId: string | null;
  createdAt: number;
  updatedAt: number | null;
  members: { id: string; name: string }[];
}

/** A weak ETag of the resource as shown (without its meta): it changes exactly when what a client sees does. */
export function etagOf(resource: object): string {
  const { meta: _, ...rest } = resource as { meta?: unknown };
  return `W/"${createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 22)}"`;
}

function withMeta<T extends object>(resource: T, resourceType: 'User' | 'Group', location: string, at: { createdAt: number; updatedAt: number | null }) {
  const created = new Date(at.createdAt).toISOString();
  const lastModified = new Date(at.updatedAt ?? at.createdAt).toISOString();
  return { ...resource, meta: { resourceType, created, lastModified, location, version: etagOf(resource) } };
}

export function userResource(u: UserFacts, base: string) {
  const [givenName, ...rest] = u.name.split(' ');
  const resource = {
    schemas: [SCHEMA.user, SCHEMA.enterprise, SCHEMA.frontline],
    id: u.id,
    ...(u.externalId ? { externalId: u.externalId } : {}),
    userName: u.email,
    name: { formatted: u.name, givenName: givenName ?? '', familyName: rest.join(' ') },
    displayName: u.name,
    emails: [{ value: u.email, type: 'work', primary: true }],
    active: u.active,
    groups: u.groups.map((g) => ({ value: g.id, display: g.name, $ref: `${base}/Groups/${g.id}` })),
    [SCHEMA.enterprise]: u.managerId ? { manager: { value: u.managerId, $ref: `${base}/Users/${u.managerId}` } } : {},
    [SCHEMA.frontline]: { role: u.role, ...(u.hireDate ? { hireDate: u.hireDate } : {}) },
  };
  return withMeta(resource, 'User', `${base}/Users/${u.id}`, u);
}

export function groupResource(g: GroupFacts, base: string) {
  const resource = {
    schemas: [SCHEMA.group],
    id: g.id,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.name,
    members: g.members.map((m) => ({ value: m.id, display: m.name, $ref: `${base}/Users/${m.id}` })),
  };
  return withMeta(resource, 'Group', `${base}/Groups/${g.id}`, g);
}

// ---------------------------------------------------------------------------------------------- input

/** Entra ID sends some booleans as "True"/"False". */
const scimBoolean = z.preprocess((v) => (typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v), z.boolean());

const reference = z.object({ value: z.string().min(1).max(64) }).loose();

export const userInputSchema = z
  .object({
    userName: z.string().trim().toLowerCase().pipe(z.email('userName must be the person’s email address').max(254)),
    externalId: z.string().trim().min(1).max(200).nullish(),
    displayName: z.string().trim().max(100).nullish(),
    name: z.object({ formatted: z.string().nullish(), givenName: z.string().nullish(), familyName: z.string().nullish() }).loose().nullish(),
    active: scimBoolean.optional(),
    [SCHEMA.enterprise]: z
      .object({ manager: z.union([reference, z.string().max(64), z.null()]).optional() })
      .loose()
      .nullish(),
    [SCHEMA.frontline]: z
      .object({
        role: z.enum(['learner', 'manager', 'admin', 'trainer'], { message: 'role must be learner or manager' }).optional(),
        hireDate: z.iso.date('hireDate must be a date, YYYY-MM-DD').optional(),
      })
      .loose()
      .nullish(),
  })
  .loose();
export type UserInput = z.infer<typeof userInputSchema>;

export interface UserChange {
  email: string;
  name: string;
  externalId: string | null;
  active: boolean;
  role: UserFacts['role'] | undefined;
  hireDate: string | undefined;
  /** undefined: not sent (kept); null: cleared. */
  managerId: string | null | undefined;
}

/** What a User body asks for. The display name falls back to the given and family names, then the email's local part. */
export function readUser(body: unknown): UserChange {
  const parsed = userInputSchema.safeParse(body);
  if (!parsed.success) throw new ScimError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalidValue');
  const u = parsed.data;
  const fromParts = [u.name?.givenName, u.name?.familyName].filter(Boolean).join(' ');
  const name = (u.displayName || u.name?.formatted || fromParts || u.userName.split('@')[0]!).trim().slice(0, 100);
  const manager = u[SCHEMA.enterprise]?.manager;
  return {
    email: u.userName,
    name,
    externalId: u.externalId ?? null,
    active: u.active ?? true,
    role: u[SCHEMA.frontline]?.role,
    hireDate: u[SCHEMA.frontline]?.hireDate,
    managerId: manager === undefined ? undefined : manager === null ? null : typeof manager === 'string' ? manager || null : manager.value,
  };
}

export const groupInputSchema = z
  .object({
    displayName: z.string().trim().min(1, 'displayName is required').max(100),
    externalId: z.string().trim().min(1).max(200).nullish(),
    members: z.array(reference).max(10_000).optional(),
  })
  .loose();

export function readGroup(body: unknown): { name: string; externalId: string | null; memberIds: string[] | undefined } {
  const parsed = groupInputSchema.safeParse(body);
  if (!parsed.success) throw new ScimError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalidValue');
  const g = parsed.data;
  return { name: g.displayName, externalId: g.externalId ?? null, memberIds: g.members ? [...new Set(g.members.map((m) => m.value))] : undefined };
}

const patchSchema = z.object({
  schemas: z.array(z.string()).refine((s) => s.includes(SCHEMA.patch), `schemas must include ${SCHEMA.patch}`),
  Operations: z
    .array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }).loose())
    .min(1, 'Operations must not be empty')
    .max(1000),
});

/** A PatchOp body, its op names lower-cased (Entra sends "Replace", "Add"). */
export function readPatch(body: unknown): { op: 'add' | 'remove' | 'replace'; path?: string; value?: unknown }[] {
  const parsed = patchSchema.safeParse(body);
  if (!parsed.success) throw new ScimError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), 'invalidSyntax');
  return parsed.data.Operations.map((o) => {
    const op = o.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw new ScimError(400, `Unknown op "${o.op}": use add, remove or replace.`, 'invalidSyntax');
    return { ...o, op };
  });
}

// ---------------------------------------------------------------------------------------------- lists

export function readPaging(params: URLSearchParams): { startIndex: number; count: number } {
  const whole = (name: string, fallback: number) => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be a whole number`, 'invalidValue');
    return n;
  };
  // RFC 7644 §3.4.2.4: a startIndex below 1 is read as 1, a negative count as 0.
  return { startIndex: Math.max(1, whole('startIndex', 1)), count: Math.min(MAX_RESULTS, Math.max(0, whole('count', 100))) };
}

export function listResponse(all: object[], paging: { startIndex: number; count: number }) {
  const page = all.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count);
  return { schemas: [SCHEMA.list], totalResults: all.length, startIndex: paging.startIndex, itemsPerPage: page.length, Resources: page };
}

/** A parsed filter, or the RFC's invalidFilter refusal. */
export function readFilter(text: string | null): Filter | undefined {
  if (text === null || text.trim() === '') return undefined;
  try {
    return parseFilter(text);
  } catch (error) {
    throw new ScimError(400, `The filter is not valid: ${error instanceof Error ? error.message : String(error)}`, 'invalidFilter');
  }
}

/** `attr eq "value"` on one of `attrs` (names compared without case), which the database can answer by index. */
export function simpleEquality(f: Filter | undefined, attrs: readonly string[]): { attr: string; value: string } | undefined {
  if (!f || f.op !== 'eq' || !('attrPath' in f) || typeof f.compValue !== 'string') return undefined;
  const attr = attrs.find((a) => a.toLowerCase() === f.attrPath.toLowerCase());
  return attr ? { attr, value: f.compValue } : undefined;
}

export function matches(f: Filter | undefined): (resource: object) => boolean {
  return f ? compileFilter(f) : () => true;
}
