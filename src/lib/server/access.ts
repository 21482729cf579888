/**
 * Who may use what: THE table to audit. Every page and endpoint (by Astro route pattern) and every action (by
 * name) has one entry. The middleware enforces it before any page or action runs; actions and endpoints also
 * check ownership themselves (a manager's own teams, a learner's own attempt). A route missing here is refused,
 * and the authorization-matrix test fails on it.
 *
 * public     anyone, signed in or not
 * signed-in  any active account
 * [roles]    only those roles
 */
import type { Role } from '../../../db/schema';

export type Access = 'public' | 'signed-in' | readonly Role[];

const staff = ['admin', 'manager'] as const;

export const routeAccess: Record<string, Access> = {
  '/': 'signed-in',
  '/login': 'public',
  '/logout': 'signed-in',
  '/403': 'public',
  '/404': 'public',
  '/invite/[token]': 'public',
  '/account': 'signed-in',
  '/admin/users': ['admin'],
  '/team/invites': staff,
  '/api/test/clock': 'public',
};

export const actionAccess: Record<string, Access> = {};

export function isAllowed(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  if (!role) return false;
  if (access === 'signed-in') return true;
  return access.includes(role);
}
