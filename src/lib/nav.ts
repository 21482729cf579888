import type { Role } from '../../db/schema';

export interface NavLink {
  href: string;
  label: string;
  /** Under "More": the places a role visits less often, so the header stays one row at 1280 px. */
  more?: true;
}

const byRole: Record<Role, NavLink[]> = {
  learner: [
    { href: '/learn', label: 'My learning' },
    { href: '/tracks', label: 'Tracks' },
    { href: '/quality', label: 'Quality' },
    { href: '/account', label: 'Account' },
  ],
  manager: [
    { href: '/learn', label: 'My learning' },
    { href: '/team', label: 'Team' },
    { href: '/team/reviews', label: 'Reviews' },
    { href: '/quality', label: 'Quality' },
    { href: '/team/invites', label: 'Invites' },
    // With Quality the row no longer fits at 1280 px: the places a manager visits least go under "More".
    { href: '/tracks', label: 'Tracks', more: true },
    { href: '/account', label: 'Account', more: true },
  ],
  trainer: [
    { href: '/trainer', label: 'Trainer' },
    { href: '/trainer/health', label: 'Assessment health' },
    { href: '/trainer/content', label: 'Content versions' },
    { href: '/quality', label: 'Quality', more: true },
    { href: '/tracks', label: 'Tracks', more: true },
    { href: '/account', label: 'Account', more: true },
  ],
  admin: [
    { href: '/admin/overview', label: 'Overview' },
    { href: '/admin/users', label: 'Users' },
    { href: '/team', label: 'Teams' },
    { href: '/team/reviews', label: 'Reviews' },
    { href: '/team/invites', label: 'Invites' },
    { href: '/quality', label: 'Quality', more: true },
    { href: '/admin/certificates', label: 'Certificates', more: true },
    { href: '/admin/lrs-credentials', label: 'LRS', more: true },
    { href: '/admin/sso', label: 'Single sign-on', more: true },
    { href: '/admin/scim-tokens', label: 'SCIM provisioning', more: true },
    { href: '/trainer', label: 'Trainer', more: true },
    { href: '/tracks', label: 'Tracks', more: true },
    { href: '/account', label: 'Account', more: true },
  ],
};

export function navFor(role: Role | undefined): NavLink[] {
  return role ? byRole[role] : [];
}

/** The link for the page being shown: the longest href that is `path` or a parent of it (/team vs /team/invites). */
export function currentHref(links: NavLink[], path: string): string | undefined {
  return links
    .filter((l) => path === l.href || path.startsWith(l.href + '/'))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

/** Where `/` sends each role. */
export function homeFor(role: Role): string {
  return { learner: '/learn', manager: '/team', trainer: '/trainer', admin: '/admin/users' }[role];
}
