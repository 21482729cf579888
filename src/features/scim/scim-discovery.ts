/**
 * What the service tells identity providers about itself (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and
 * Schemas, including our extension (hireDate, role). Entra ID and Okta read these when a connection is set up.
 */
import { MAX_RESULTS, SCHEMA } from './scim';

const attribute = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

function schemas(base: string) {
  const meta = (id: string) => ({ resourceType: 'Schema', location: `${base}/Schemas/${id}` });
  const multi = (name: string, extra: Record<string, unknown> = {}) =>
    attribute(name, 'complex', {
      multiValued: true,
      subAttributes: [attribute('value', 'string'), attribute('display', 'string'), attribute('$ref', 'reference')],
      ...extra,
    });
  return [
    {
      schemas: [SCHEMA.schema],
      id: SCHEMA.user,
      name: 'User',
      description: 'A person: userName is their email address.',
      attributes: [
        attribute('userName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { caseExact: true }),
        attribute('displayName', 'string'),
        attribute('name', 'complex', {
          subAttributes: [
            attribute('formatted', 'string'),
            attribute('givenName', 'string'),
            attribute('familyName', 'string'),
          ],
        }),
        multi('emails'),
        attribute('active', 'boolean'),
        multi('groups', { mutability: 'readOnly' }),
      ],
      meta: meta(SCHEMA.user),
    },
    {
      schemas: [SCHEMA.schema],
      id: SCHEMA.group,
      name: 'Group',
      description: 'A team. Learners in it are its members (one team each); managers in it manage it.',
      attributes: [
        attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { caseExact: true }),
        multi('members'),
      ],
      meta: meta(SCHEMA.group),
    },
    {
      schemas: [SCHEMA.schema],
      id: SCHEMA.enterprise,
      name: 'EnterpriseUser',
      description: 'manager: when that person is a manager, they manage this user’s team.',
      attributes: [
        attribute('manager', 'complex', {
          subAttributes: [attribute('value', 'string'), attribute('$ref', 'reference')],
        }),
      ],
      meta: meta(SCHEMA.enterprise),
    },
    {
      schemas: [SCHEMA.schema],
      id: SCHEMA.frontline,
      name: 'FrontlineUser',
      description: 'hireDate (YYYY-MM-DD) sets onboarding due dates; role is learner or manager.',
      attributes: [
        attribute('hireDate', 'string'),
        attribute('role', 'string', { canonicalValues: ['learner', 'manager'] }),
      ],
      meta: meta(SCHEMA.frontline),
    },
  ];
}

function resourceTypes(base: string) {
  return [
    {
      schemas: [SCHEMA.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: SCHEMA.user,
      schemaExtensions: [
        { schema: SCHEMA.enterprise, required: false },
        { schema: SCHEMA.frontline, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCHEMA.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      schema: SCHEMA.group,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

const list = (all: object[]) => ({
  schemas: [SCHEMA.list],
  totalResults: all.length,
  startIndex: 1,
  itemsPerPage: all.length,
  Resources: all,
});

/** Each read-only discovery endpoint: the list (no id) or one entry by id (undefined: none). */
export function discoveryResources(base: string) {
  return {
    ServiceProviderConfig: (id?: string) =>
      id
        ? undefined
        : {
            schemas: [SCHEMA.serviceProviderConfig],
            documentationUri: 'https://github.com/frontline-academy#provisioning-scim-20',
            patch: { supported: true },
            bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
            filter: { supported: true, maxResults: MAX_RESULTS },
            changePassword: { supported: false },
            sort: { supported: false },
            etag: { supported: true },
            authenticationSchemes: [
              {
                type: 'oauthbearertoken',
                name: 'Bearer token',
                description: 'A token an admin makes on /admin/scim-tokens.',
                primary: true,
              },
            ],
            meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
          },
    ResourceTypes: (id?: string) => (id ? resourceTypes(base).find((r) => r.id === id) : list(resourceTypes(base))),
    Schemas: (id?: string) => (id ? schemas(base).find((s) => s.id === id) : list(schemas(base))),
  };
}
