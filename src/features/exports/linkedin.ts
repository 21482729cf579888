/**
 * LinkedIn's "Add to profile" link for a certification: the certification fields its add-to-profile URL takes
 * (name, organisation, issue and expiry month, the credential URL and id), pre-filled so the holder only confirms.
 */
export interface CertificationForProfile {
  name: string;
  organizationName: string;
  issuedAt: number;
  expiresAt: number;
  /** Where anyone can check it (the public verify page). */
  certUrl: string;
  /** The credential id as the holder would quote it (the certificate code). */
  certId: string;
}

export function linkedInAddToProfileUrl(c: CertificationForProfile): string {
  const issued = new Date(c.issuedAt);
  const expires = new Date(c.expiresAt);
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: c.name,
    organizationName: c.organizationName,
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    expirationYear: String(expires.getUTCFullYear()),
    expirationMonth: String(expires.getUTCMonth() + 1),
    certUrl: c.certUrl,
    certId: c.certId,
  });
  return `https://www.linkedin.com/profile/add?${params}`;
}
