import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WRITES_PER_MINUTE,
  tooManyWritesMessage,
  writeLimitFromEnv,
  WriteLimiter,
} from '~/lib/server/write-limit';

/** A limiter on a clock the test moves by hand (milliseconds). */
function limiter(perMinute: number, burst: number) {
  let t = 1_000;
  const l = new WriteLimiter({ perMinute, burst }, () => t);
  return { l, advance: (ms: number) => (t += ms) };
}

describe('the per-person write limit', () => {
  it('allows a burst, then refuses with the seconds until the next write', () => {
    const { l } = limiter(60, 30);
    const answers = Array.from({ length: 40 }, () => l.take('ravi'));
    expect(answers.filter((w) => w === 0)).toHaveLength(30);
    // At 60 a minute a write comes back every second.
    expect(answers.slice(30)).toEqual(Array(10).fill(1));
  });

  it('refills at its rate, never above the burst', () => {
    const { l, advance } = limiter(60, 30);
    for (let i = 0; i < 30; i++) l.take('ravi');
    expect(l.take('ravi')).toBe(1);
    advance(2_500);
    expect([l.take('ravi'), l.take('ravi'), l.take('ravi')]).toEqual([0, 0, 1]);
    advance(10 * 60_000);
    expect(Array.from({ length: 31 }, () => l.take('ravi')).filter((w) => w === 0)).toHaveLength(30);
  });

  it('keeps one bucket per person: a busy script does not slow anyone else down', () => {
    const { l } = limiter(10, 5);
    for (let i = 0; i < 50; i++) l.take('script');
    expect(l.take('script')).toBe(6);
    expect(l.take('person')).toBe(0);
  });

  it('is generous to a person clicking through a role-play: one reply every two seconds for an hour', () => {
    const { l, advance } = limiter(DEFAULT_WRITES_PER_MINUTE, 30);
    for (let i = 0; i < 1800; i++) {
      expect(l.take('learner')).toBe(0);
      advance(2_000);
    }
  });

  it('reads WRITE_RATE_LIMIT: 60 a minute by default with a burst of half, anything but a positive whole number refused', () => {
    expect(writeLimitFromEnv(undefined)).toEqual({ perMinute: 60, burst: 30 });
    expect(writeLimitFromEnv('')).toEqual({ perMinute: 60, burst: 30 });
    expect(writeLimitFromEnv('7')).toEqual({ perMinute: 7, burst: 4 });
    expect(writeLimitFromEnv('1')).toEqual({ perMinute: 1, burst: 1 });
    for (const bad of ['0', '-5', '2.5', 'lots', '1e309'])
      expect(() => writeLimitFromEnv(bad)).toThrow(/WRITE_RATE_LIMIT must be a whole number/);
  });

  it('tells the person what happened and how long to wait', () => {
    expect(tooManyWritesMessage(1)).toBe(
      'That was a lot of changes in a short time, so this one was not saved. Wait a second and try again.',
    );
    expect(tooManyWritesMessage(12)).toContain('Wait 12 seconds');
  });
});
