import { describe, expect, it } from 'vitest';
import {
  dummyPasswordHash,
  hashPassword,
  passwordWork,
  Slots,
  validatePassword,
  verifyDummyPassword,
  verifyPassword,
} from '../../../../src/lib/server/password';
import { DEMO_PASSWORD } from '../../../../db/seed';

describe('hashPassword / verifyPassword', () => {
  it('uses argon2id with m=19456 KiB, t=2, p=1 and a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery');
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'correct horse batterz')).toBe(false);
  });

  it('answers false (does not throw) for a hash that is not one', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });

  // Equal cost comes from equal work: the dummy check verifies against a real argon2id hash with the same
  // parameters. (Timing itself is not asserted here: that belongs in benchmarks, not in a test on a busy machine.)
  it('verifies unknown emails against a real hash with the same argon2id parameters', async () => {
    const real = await hashPassword('correct horse battery');
    const dummy = await dummyPasswordHash();
    const params = (h: string) => h.split('$').slice(1, 4).join('$');
    expect(params(dummy)).toBe(params(real));
    expect(await verifyPassword(dummy, 'wrong password here')).toBe(false);
    await expect(verifyDummyPassword('wrong password here')).resolves.toBeUndefined();
  });
});

describe('validatePassword', () => {
  it('refuses fewer than 8 characters and accepts 8', () => {
    expect(validatePassword('kq7#vz2')).toMatch(/at least 8/);
    expect(validatePassword('kq7#vz2m')).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validatePassword('🦊🦊🦊🦊🦊🦊🦊')).toMatch(/at least 8/);
  });

  it('allows long passphrases (64 and more) up to 256 characters', () => {
    expect(validatePassword('w'.repeat(40) + ' quiet orange lantern ' + 'z'.repeat(30))).toBeNull();
    expect(validatePassword('x9'.repeat(128))).toBeNull();
    expect(validatePassword('x9'.repeat(128) + 'y')).toMatch(/at most 256/);
  });

  it('refuses common passwords whatever their case', () => {
    expect(validatePassword('password1')).toMatch(/too common/);
    expect(validatePassword('Password1')).toMatch(/too common/);
    expect(validatePassword('qwertyuiop')).toMatch(/too common/);
  });

  it('refuses the person’s own email or name', () => {
    expect(validatePassword('ada.lovelace@example.com', { email: 'ada.lovelace@example.com' })).toMatch(/name or email/);
    expect(validatePassword('ada.lovelace', { email: 'ada.lovelace@example.com' })).toMatch(/name or email/);
    expect(validatePassword('Ada Lovelace', { name: 'ada lovelace' })).toMatch(/name or email/);
  });

  it('accepts the demo password', () => {
    expect(validatePassword(DEMO_PASSWORD, { email: 'admin@demo.test', name: 'Ada Admin' })).toBeNull();
  });
});

describe('Slots (the cap on concurrent password work)', () => {
  it('runs at most `size` tasks at once, the rest in order as slots free up, and frees a slot when a task throws', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      order.push(i);
      if (i === 3) throw new Error('boom');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => slots.run(task(i))));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
    expect(await slots.run(async () => 'after')).toBe('after');
  });

  it('password verifications go through it', async () => {
    const h = await hashPassword('correct horse battery');
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, (passwordWork as unknown as { running: number }).running)), 1);
    await Promise.all(Array.from({ length: 6 }, () => verifyPassword(h, 'wrong horse battery')));
    clearInterval(watch);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(passwordWork.size);
  });
});
