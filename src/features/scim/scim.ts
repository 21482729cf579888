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
import { parse as parseFilter, Tester, type Filter } from 'scim2-parse-filter';
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

export type ScimType =
  | 'invalidFilter'
  | 'invalidPath'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'uniqueness'
  | 'mutability'
  | 'noTarget'
  | 'invalidVers'
  | 'tooMany';

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
  return {
    schemas: [SCHEMA.error],
    status: String(e.status),
    ...(e.scimType ? { scimType: e.scimType } : {}),
    detail: e.message,
  };
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

function withMeta<T extends object>(
  resource: T,
  resourceType: 'User' | 'Group',
  location: string,
  at: { createdAt: number; updatedAt: number | null },
) {
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
const scimBoolean = z.preprocess(
  (v) => (typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v),
  z.boolean(),
);

const reference = z.object({ value: z.string().min(1).max(64) }).loose();

export const userInputSchema = z
  .object({
    userName: z.string().trim().toLowerCase().pipe(z.email('userName must be the person’s email address').max(254)),
    externalId: z.string().trim().min(1).max(200).nullish(),
    displayName: z.string().trim().max(100).nullish(),
    name: z
      .object({ formatted: z.string().nullish(), givenName: z.string().nullish(), familyName: z.string().nullish() })
      .loose()
      .nullish(),
    active: scimBoolean.optional(),
    [SCHEMA.enterprise]: z
      .object({ manager: z.union([reference, z.string().max(64), z.null()]).optional() })
      .loose()
      .nullish(),
    [SCHEMA.frontline]: z
      .object({
        role: z
          .enum(['learner', 'manager', 'admin', 'trainer'], { message: 'role must be learner or manager' })
          .optional(),
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
  if (!parsed.success)
    throw new ScimError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      'invalidValue',
    );
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
    managerId:
      manager === undefined
        ? undefined
        : manager === null
          ? null
          : typeof manager === 'string'
            ? manager || null
            : manager.value,
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
  if (!parsed.success)
    throw new ScimError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      'invalidValue',
    );
  const g = parsed.data;
  return {
    name: g.displayName,
    externalId: g.externalId ?? null,
    memberIds: g.members ? [...new Set(g.members.map((m) => m.value))] : undefined,
  };
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
  if (!parsed.success)
    throw new ScimError(
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      'invalidSyntax',
    );
  return parsed.data.Operations.map((o) => {
    const op = o.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace')
      throw new ScimError(400, `Unknown op "${o.op}": use add, remove or replace.`, 'invalidSyntax');
    // RFC 7644 §3.5.2.1/.3: add and replace carry a value — without a path, an object of attributes; taking a value
    // away is a remove. (scim-patch throws a TypeError on a null one.)
    if (op !== 'remove') {
      if (o.value === undefined || o.value === null)
        throw new ScimError(
          400,
          `${o.op} needs a value; use remove to clear ${o.path ?? 'attributes'}.`,
          'invalidValue',
        );
      if (o.path === undefined && (typeof o.value !== 'object' || Array.isArray(o.value)))
        throw new ScimError(400, `${o.op} without a path needs an object of attributes as its value.`, 'invalidValue');
    }
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
  return {
    startIndex: Math.max(1, whole('startIndex', 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, whole('count', 100))),
  };
}

export function listResponse(all: object[], paging: { startIndex: number; count: number }) {
  const page = all.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count);
  return {
    schemas: [SCHEMA.list],
    totalResults: all.length,
    startIndex: paging.startIndex,
    itemsPerPage: page.length,
    Resources: page,
  };
}

// ---------------------------------------------------------------------------------------------- filters

/** What a filter may name (RFC 7643's attributes as we show them, meta included), with type and caseExact. */
type Attr = {
  type: 'string' | 'boolean' | 'dateTime' | 'reference' | 'complex';
  caseExact?: boolean;
  sub?: Record<string, Attr>;
  readOnly?: boolean;
};
const text = (caseExact = false): Attr => ({ type: 'string', caseExact });
const complex = (sub: Record<string, Attr>): Attr => ({ type: 'complex', sub });
const bool: Attr = { type: 'boolean' };
const ref: Attr = { type: 'reference', caseExact: true };
const multiRef = complex({ value: text(true), display: text(), $ref: ref, type: text() });
const common = {
  id: { ...text(true), readOnly: true },
  externalId: text(true),
  meta: {
    ...complex({
      resourceType: text(true),
      created: { type: 'dateTime' },
      lastModified: { type: 'dateTime' },
      location: ref,
      version: text(true),
    }),
    readOnly: true,
  },
};
const FILTERABLE: Record<'User' | 'Group', Record<string, Record<string, Attr>>> = {
  User: {
    [SCHEMA.user]: {
      ...common,
      userName: text(),
      displayName: text(),
      name: complex({ formatted: text(), givenName: text(), familyName: text() }),
      emails: complex({ value: text(), type: text(), primary: bool, display: text() }),
      active: bool,
      groups: { ...multiRef, readOnly: true },
    },
    [SCHEMA.enterprise]: { manager: complex({ value: text(true), $ref: ref, displayName: text() }) },
    [SCHEMA.frontline]: { role: text(), hireDate: text(true) },
  },
  Group: { [SCHEMA.group]: { ...common, displayName: text(), members: multiRef } },
};

/** Comparisons that ignore case (their attribute is caseExact false), marked as the filter is checked. */
const caseless = new WeakSet<Filter>();

const lookup = <T>(table: Record<string, T>, name: string): [string, T] | undefined =>
  Object.entries(table).find(([k]) => k.toLowerCase() === name.toLowerCase());

/** The attribute a path names (canonical, as the resource spells it), or undefined; `within`: a valuePath's attribute. */
function resolve(path: string, type: 'User' | 'Group', within?: Attr): { path: string; attr: Attr } | undefined {
  if (within) {
    const found = lookup(within.sub ?? {}, path);
    return found && { path: found[0], attr: found[1] };
  }
  const colon = path.lastIndexOf(':');
  const core = Object.keys(FILTERABLE[type])[0]!;
  const schema =
    colon === -1 ? ([core, FILTERABLE[type][core]!] as const) : lookup(FILTERABLE[type], path.slice(0, colon));
  if (!schema) return undefined;
  const [name, subName, ...more] = path.slice(colon + 1).split('.');
  const top = lookup(schema[1], name!);
  if (!top || more.length) return undefined;
  const prefix = schema[0] === core ? '' : `${schema[0]}:`;
  if (subName === undefined) return { path: `${prefix}${top[0]}`, attr: top[1] };
  const sub = lookup(top[1].sub ?? {}, subName);
  return sub && { path: `${prefix}${top[0]}.${sub[0]}`, attr: sub[1] };
}

/**
 * RFC 7644 §3.5.2: an operation on an attribute the schema lacks is invalidPath, on a read-only one (id, meta, a
 * user's groups) mutability — scim-patch would add either silently and the request would answer 200 unchanged.
 */
export function checkPatchPaths(
  ops: readonly { path?: string; value?: unknown }[],
  type: 'User' | 'Group',
  current: Record<string, unknown>,
): void {
  const check = (path: string, unchanged = false) => {
    // A valuePath's filter picks elements; the attribute is what precedes it, and the sub-attribute after it.
    const m = /^(.+?)\[.*\](?:\.([^.\]]+))?$/.exec(path);
    const found = resolve(m ? `${m[1]}${m[2] ? `.${m[2]}` : ''}` : path, type);
    if (!found) throw new ScimError(400, `${type} has no attribute ${path}.`, 'invalidPath');
    const top = resolve(found.path.split('.')[0]!, type);
    if ((found.attr.readOnly || top?.attr.readOnly) && !unchanged)
      throw new ScimError(400, `${path} is read-only.`, 'mutability');
  };
  for (const op of ops) {
    if (op.path !== undefined) {
      check(op.path);
      continue;
    }
    // Without a path the value's keys are the attributes; an extension's key holds its own. Okta repeats the id
    // there: a read-only attribute sent as it is changes nothing and passes.
    for (const [key, inner] of Object.entries(op.value as Record<string, unknown>)) {
      const extension = lookup(FILTERABLE[type], key);
      if (extension && inner && typeof inner === 'object')
        Object.keys(inner).forEach((k) => check(`${extension[0]}:${k}`));
      else check(key, JSON.stringify(inner) === JSON.stringify(current[key]));
    }
  }
}

/** RFC 7644 §3.4.2.2: a filter naming an attribute the schema lacks, or comparing it with the wrong type, is invalid. */
function checkFilter(f: Filter, type: 'User' | 'Group', within?: Attr): void {
  const invalid = (why: string) => new ScimError(400, `The filter is not valid: ${why}`, 'invalidFilter');
  if ('filters' in f) return f.filters.forEach((c) => checkFilter(c, type, within));
  if ('filter' in f) return checkFilter(f.filter, type, within);
  const found = resolve(f.attrPath, type, within);
  if (!found) throw invalid(`${type} has no attribute ${f.attrPath}.`);
  f.attrPath = found.path;
  const { attr } = found;
  if ('valFilter' in f) {
    if (attr.type !== 'complex') throw invalid(`${f.attrPath} has no sub-attributes to filter.`);
    return checkFilter(f.valFilter, type, attr);
  }
  if (!('compValue' in f)) return;
  if (attr.type === 'complex') throw invalid(`${f.attrPath} is complex: compare one of its sub-attributes.`);
  const v = f.compValue;
  if (v === null) {
    if (f.op !== 'eq' && f.op !== 'ne') throw invalid(`${f.op} needs a value.`);
    return;
  }
  if (attr.type === 'boolean') {
    if (typeof v !== 'boolean' || (f.op !== 'eq' && f.op !== 'ne'))
      throw invalid(`${f.attrPath} is a boolean: use eq or ne with true or false.`);
    return;
  }
  if (typeof v !== 'string') throw invalid(`${f.attrPath} is a ${attr.type}: compare it with a quoted string.`);
  if (attr.type === 'string' && !attr.caseExact) caseless.add(f);
}

/** A parsed filter on `type`'s attributes, or the RFC's invalidFilter refusal. */
export function readFilter(text: string | null, type: 'User' | 'Group'): Filter | undefined {
  if (text === null || text.trim() === '') return undefined;
  let f: Filter;
  try {
    f = parseFilter(text);
  } catch (error) {
    throw new ScimError(
      400,
      `The filter is not valid: ${error instanceof Error ? error.message : String(error)}`,
      'invalidFilter',
    );
  }
  checkFilter(f, type);
  return f;
}

/** `attr eq "value"` on one of `attrs`, which the database can answer by index (the filter still decides). */
export function simpleEquality(
  f: Filter | undefined,
  attrs: readonly string[],
): { attr: string; value: string } | undefined {
  if (!f || f.op !== 'eq' || !('attrPath' in f) || typeof f.compValue !== 'string') return undefined;
  const attr = attrs.find((a) => a.toLowerCase() === f.attrPath.toLowerCase());
  return attr ? { attr, value: f.compValue } : undefined;
}

/** scim2-parse-filter's tester, comparing caseExact-false strings without case (RFC 7643 §2.2; Entra sends UPNs as typed). */
class Matcher extends Tester {
  override test(r: unknown, f: Filter): boolean {
    if (!caseless.has(f) || !('compValue' in f) || typeof f.compValue !== 'string') return super.test(r, f);
    const v = f.compValue.toLowerCase();
    const op = f.op;
    return this.attrTest(this.attrPath(f.attrPath), r, (s) => this[op](typeof s === 'string' ? s.toLowerCase() : s, v));
  }
}

export function matches(f: Filter | undefined): (resource: object) => boolean {
  if (!f) return () => true;
  const matcher = new Matcher();
  return (r) => matcher.test(r, f);
}
