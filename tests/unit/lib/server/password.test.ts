import { describe, expect, it } from 'vitest';
import {
  dummyPasswordHash,
  hashPassword,
  passwordWork,
  Slots,
  SlotsFull,
  validatePassword,
  verifyDummyPassword,
  verifyPassword,
} from '~/lib/server/password';
import { DEMO_PASSWORD } from '~/cli/seed/demo';

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
    const long = Array.from({ length: 32 }, (_, i) => `wx${i}yz`.padEnd(8, 'q')).join('');
    expect([...long]).toHaveLength(256);
    expect(validatePassword(long)).toBeNull();
    expect(validatePassword(long + 'y')).toMatch(/at most 256/);
  });

  it('refuses common passwords whatever their case', () => {
    expect(validatePassword('password1')).toMatch(/too common/);
    expect(validatePassword('Password1')).toMatch(/too common/);
    expect(validatePassword('qwertyuiop')).toMatch(/too common/);
  });

  it('refuses the person’s own email or name', () => {
    expect(validatePassword('ada.lovelace@example.com', { email: 'ada.lovelace@example.com' })).toMatch(
      /name or email/,
    );
    expect(validatePassword('ada.lovelace', { email: 'ada.lovelace@example.com' })).toMatch(/name or email/);
    expect(validatePassword('Ada Lovelace', { name: 'ada lovelace' })).toMatch(/name or email/);
  });

  it('refuses repeats: one character or a short pattern over and over, or only a few different characters', () => {
    for (const p of ['        ', 'aaaaaaaa', '11111111', 'abcabcabc', 'xyxyxyxy', 'aaaabbbb', '🦊🦊🦊🦊🦊🦊🦊🦊']) {
      expect(validatePassword(p), JSON.stringify(p)).toMatch(/different characters|too common/);
    }
  });

  it('refuses sequences of the alphabet, digits and keyboard rows, either way round', () => {
    for (const p of [
      'abcdefgh',
      'ABCDEFGHIJ',
      'hgfedcba',
      '23456789',
      '98765432',
      'asdfghjk',
      'ZXCVBNM1',
      'opqrstuvw',
    ]) {
      expect(validatePassword(p), p).toMatch(/sequence|too common/);
    }
  });

  it('refuses the person’s name or email with only digits or punctuation added', () => {
    expect(validatePassword('Lovelace1815!', { name: 'Ada Lovelace' })).toMatch(/name or email/);
    expect(validatePassword('ada.lovelace.99', { email: 'ada.lovelace@example.com' })).toMatch(/name or email/);
  });

  it('refuses the organization, the site and the product, alone or with digits and punctuation', () => {
    const context = { email: 'ada@northwind.example', name: 'Ada Admin', organization: 'Northwind Support' };
    expect(validatePassword('Northwind Support', context)).toMatch(/organization/);
    expect(validatePassword('northwind2026!', context)).toMatch(/organization/);
    expect(validatePassword('Frontline Academy', context)).toMatch(/this site, this product/);
    expect(validatePassword('academy-2026-academy', context)).toMatch(/this product/);
    // localhost is SITE_URL's host in tests: not a word of its own; the product name is.
    expect(validatePassword('frontline!!!', context)).toMatch(/this product/);
  });

  it('refuses context words put together, and leet spellings of them and of common passwords', () => {
    const context = { email: 'grace@northwind.example', name: 'Grace Hopper', organization: 'Northwind' };
    expect(validatePassword('hopper-northwind', context)).toMatch(
      /your name or email and the names of this site or your organization/,
    );
    expect(validatePassword('N0rthw1nd!', context)).toMatch(/organization/);
    expect(validatePassword('H0pp3r!!2026', context)).toMatch(/name or email/);
    expect(validatePassword('Fr0ntl1ne#1', context)).toMatch(/this product/);
    for (const p of ['P@ssw0rd!', 'p@$$w0rd', 'Passw0rd123', 'iL0veyou!', 'sunsh1ne'])
      expect(validatePassword(p), p).toMatch(/too common/);
    // Leet is only a reading: a passphrase with digits in it is still fine.
    expect(validatePassword('n0rthern lights 4 ever', context)).toBeNull();
  });

  it('accepts passphrases that merely contain such words among others', () => {
    const context = { email: 'ada@northwind.example', name: 'Ada Admin', organization: 'Northwind Support' };
    expect(validatePassword('northwind ferry at dawn', context)).toBeNull();
    expect(validatePassword('kq7#vz2m', context)).toBeNull();
    expect(validatePassword('1993-07-21!!', context)).toBeNull();
  });

  it('refuses the demo password as a new one: the product and the demo domain plus a year (the seed sets it directly)', () => {
    expect(validatePassword(DEMO_PASSWORD, { email: 'admin@demo.test', name: 'Ada Admin' })).toMatch(/organization/);
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

  it("turns a task away (SlotsFull) when the normal lane's queue is full, and runs the priority lane first", async () => {
    const slots = new Slots(1, 2);
    const order: string[] = [];
    let release!: () => void;
    const holding = slots.run(() => new Promise<void>((r) => (release = r)));
    const job = (name: string) => async () => void order.push(name);
    const normal = [slots.run(job('n1')), slots.run(job('n2'))];
    expect(slots.hasRoom('normal')).toBe(false);
    await expect(slots.run(job('n3'))).rejects.toBeInstanceOf(SlotsFull);
    // The flood's lane is full; the priority lane is never turned away, and jumps the queue.
    expect(slots.hasRoom('priority')).toBe(true);
    const first = [
      slots.run(job('p1'), 'priority'),
      slots.run(job('p2'), 'priority'),
      slots.run(job('p3'), 'priority'),
    ];
    release();
    await Promise.all([holding, ...normal, ...first]);
    expect(order).toEqual(['p1', 'p2', 'p3', 'n1', 'n2']);
    expect(slots.hasRoom('normal')).toBe(true);
  });

  it('password verifications go through it', async () => {
    const h = await hashPassword('correct horse battery');
    let most = 0;
    const watch = setInterval(
      () => (most = Math.max(most, (passwordWork as unknown as { running: number }).running)),
      1,
    );
    await Promise.all(Array.from({ length: 6 }, () => verifyPassword(h, 'wrong horse battery')));
    clearInterval(watch);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(passwordWork.size);
  });
});
