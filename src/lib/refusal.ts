/**
 * One kind of error for a refusal a person can act on ("You used every attempt", "That invite has expired"): the
 * services throw it (or a subclass naming their domain, so a test can tell whose refusal it is), actions turn it into
 * an ActionError with the same code and message (src/actions/guard.ts), and pages show the message with `status`.
 * Anything else that is thrown is a bug and stays a 500.
 */
export const refusalStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  TOO_MANY_REQUESTS: 429,
} as const;

export type RefusalCode = keyof typeof refusalStatus;
export type RefusalStatus = (typeof refusalStatus)[RefusalCode];

/** What every refusal of a signed-out request says (actions, endpoints, the middleware's 401). */
export const SIGN_IN_FIRST = 'Sign in first.';

export class Refusal<Reason extends string = never, Code extends RefusalCode = RefusalCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** A machine-readable why, for callers that show more than the message (the quiz player's "content changed"). */
    readonly reason?: Reason,
  ) {
    super(message);
  }

  get status(): RefusalStatus {
    return refusalStatus[this.code];
  }
}

/** The code of an HTTP status (pages that think in statuses, like the account forms). */
export function refusalCodeOf(status: RefusalStatus): RefusalCode {
  return (Object.keys(refusalStatus) as RefusalCode[]).find((code) => refusalStatus[code] === status)!;
}
