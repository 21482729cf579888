/**
 * xAPI statements for certification events (issued, renewed, updated, revoked, update required); the verb choices
 * are explained in xapi.ts, which re-exports this builder.
 */
import { activityTypes, agent, iso, prepareSite, verb, xapiVerbs, type XapiPerson, type XapiSite } from './core';
import { uuidV5 } from '../uuid';
import type { Statement } from './schema';

export type CertificationEventKind = 'issued' | 'renewed' | 'revoked' | 'update_required' | 'updated';

export interface CertificationEventInput {
  /** The certification_event row id. */
  eventId: string;
  kind: CertificationEventKind;
  trackId: string;
  trackTitle?: string;
  learner: XapiPerson;
  at: number;
  /** Public verification URL of the certificate, when there is one. */
  verifyUrl?: string;
  expiresAt?: number;
  /** Why it was revoked or needs an update. */
  reason?: string;
}

/** Verbs for events ADL has no word for: minted under the site, with a display that reads as a sentence. */
function certificationVerb(kind: CertificationEventKind, base: string) {
  if (kind === 'revoked') {
    return { id: `${base}/xapi/verbs/certification-revoked`, display: 'had certification revoked for' };
  }
  if (kind === 'update_required') {
    return { id: `${base}/xapi/verbs/certification-update-required`, display: 'was asked to update certification for' };
  }
  return xapiVerbs.satisfied;
}

export function buildCertificationStatement(site: XapiSite, input: CertificationEventInput): Statement {
  const s = prepareSite(site);
  const holds = input.kind === 'issued' || input.kind === 'renewed' || input.kind === 'updated';
  const extensions = {
    [s.ext('certification-event')]: input.kind,
    ...(input.verifyUrl && { [s.ext('certificate')]: input.verifyUrl }),
    ...(input.expiresAt !== undefined && { [s.ext('expires-at')]: iso(input.expiresAt) }),
    ...(input.reason && { [s.ext('reason')]: input.reason }),
  };
  return {
    id: uuidV5(s.namespace, `certification-event:${input.eventId}`),
    actor: agent(input.learner),
    verb: verb(certificationVerb(input.kind, s.base), s.map),
    object: {
      objectType: 'Activity',
      id: s.ids.track(input.trackId),
      definition: { name: s.map(input.trackTitle ?? input.trackId), type: activityTypes.course },
    },
    ...(holds && { result: { success: true, completion: true } }),
    context: { ...s.context, extensions },
    timestamp: iso(input.at),
  };
}
