/**
 * The per-person limit on writes: every POST a signed-in person makes to an action or to a page that needs an
 * account goes through `writeLimiter().take(userId)` in the middleware, the one place it is applied.
 *
 * A token bucket per person: it holds up to `burst` writes and refills at `perMinute` a minute, so a person clicking
 * through a quiz or a role-play never meets it, while a script is held to the refill rate. A refused write gets
 * the seconds until the bucket has a write again (the middleware answers 429 with Retry-After).
 *
 * PER PROCESS: the buckets live in this process's memory, so with several app processes each keeps its own and a
 * person gets the limit once per process. Moving the buckets into shared storage is a later issue.
 *
 * Time is the process's monotonic clock, not the movable test clock (src/lib/server/clock.ts): moving the
 * calendar must not refill or drain anyone's bucket.
 */
import { env } from '../../env';

export interface WriteLimit {
  /** Writes a person may make per minute, sustained. */
  perMinute: number;
  /** Writes a person may make at once, from a full bucket. */
  burst: number;
}

export const DEFAULT_WRITES_PER_MINUTE = 60;

/** `WRITE_RATE_LIMIT` (writes per minute per person; default 60), with a burst of half of it. */
export function writeLimitFromEnv(value: string | undefined): WriteLimit {
  const perMinute = value === undefined || value.trim() === '' ? DEFAULT_WRITES_PER_MINUTE : Number(value);
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new Error(
      `WRITE_RATE_LIMIT must be a whole number of writes per minute per person (1 or more), not "${value}".`,
    );
  }
  return { perMinute, burst: Math.max(1, Math.ceil(perMinute / 2)) };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets are swept (full ones dropped) once this many exist, so the map stays the size of the active people. */
const SWEEP_AT = 10_000;

export class WriteLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly limit: WriteLimit,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /** Takes one write from the person's bucket: 0 when allowed, else the whole seconds to wait before the next. */
  take(key: string): number {
    const t = this.clock();
    const b = this.refilled(this.buckets.get(key), t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      if (this.buckets.size > SWEEP_AT) this.sweep(t);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  private refilled(b: Bucket | undefined, t: number): Bucket {
    if (!b) return { tokens: this.limit.burst, at: t };
    return { tokens: Math.min(this.limit.burst, b.tokens + (t - b.at) * this.perMs), at: t };
  }

  private sweep(t: number): void {
    for (const [key, b] of this.buckets) {
      if (this.refilled(b, t).tokens >= this.limit.burst) this.buckets.delete(key);
    }
  }
}

let limiter: WriteLimiter | undefined;

/** This process's limiter, at WRITE_RATE_LIMIT (src/env.ts). */
export function writeLimiter(): WriteLimiter {
  limiter ??= new WriteLimiter(env().writeLimit);
  return limiter;
}

export function tooManyWritesMessage(retryAfter: number): string {
  const wait = retryAfter === 1 ? 'a second' : `${retryAfter} seconds`;
  return `That was a lot of changes in a short time, so this one was not saved. Wait ${wait} and try again.`;
}
