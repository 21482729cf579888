/**
 * Password hashing and rules. argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane) — @node-rs/argon2's
 * default algorithm is argon2id; tests/unit/lib/password.test.ts checks the encoded parameters.
 *
 * Rules follow NIST SP 800-63B: at least 8 characters, long passphrases allowed (up to 256), no composition rules,
 * and a refusal of passwords found in a list of common ones (zxcvbn's, ~18k entries of 8+ characters).
 */
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { randomToken } from './ids';

const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * At most `size` tasks at once; the rest wait in order. Each argon2 run takes 19 MiB and a thread of libuv's pool
 * (which file reads share): a flood of sign-ins waits here instead of taking all the memory and every thread.
 */
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Password hashes and verifications in flight at once: one per core. */
export const passwordWork = new Slots(Math.max(1, availableParallelism()));

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => hash(password, argon2Options));
}

/** False for a wrong password and for a hash that cannot be parsed (never throws on user input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await passwordWork.run(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** A real hash of a random secret, made with the same argon2id parameters as every stored hash. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken(16));
  return dummyHash;
}

/**
 * Spends the same time as a real verification (same parameters, same work). Sign-in calls it for unknown emails
 * so that response time does not tell which addresses have accounts.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  await verifyPassword(await dummyPasswordHash(), password);
}

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN));
  return common;
}

/** Null when acceptable, otherwise the message to show next to the field. */
export function validatePassword(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is too common. Choose a longer or less predictable one.';
  const personal = [context.email, context.email?.split('@')[0], context.name].filter(
    (v): v is string => !!v && v.length >= 3,
  );
  if (personal.some((v) => lower === v.toLowerCase())) return "Don't use your name or email as your password.";
  return null;
}
