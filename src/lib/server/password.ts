/**
 * Password hashing and rules. argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane) — @node-rs/argon2's
 * default algorithm is argon2id; tests/unit/lib/password.test.ts checks the encoded parameters.
 *
 * Rules follow NIST SP 800-63B: at least 8 characters, long passphrases allowed (up to 256), no composition rules,
 * and a refusal of what a guesser tries first: passwords found in a list of common ones (zxcvbn's, ~18k entries
 * of 8+ characters), repeated characters or patterns, sequences (alphabet, digits, keyboard rows), and the
 * context-specific words — the person's name and email, the organization, the site and the product — alone, with
 * each other, or with only digits and punctuation added. Both checks also look through "leet" spellings
 * ("P@ssw0rd!", "N0rthw1nd!"), which guessers try right after the plain word. Each refusal says why.
 */
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { env } from '../../env';
import { randomToken } from './ids';

const argon2Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Thrown by Slots.run when its lane's queue is full: the caller answers 503 at once instead of waiting. */
export class SlotsFull extends Error {
  constructor() {
    super('password work queue is full');
    this.name = 'SlotsFull';
  }
}

/**
 * `priority`: work for someone who has shown more than a password (a browser with the account's device cookie, a
 * signed-in person, an emailed link); `normal`: everyone else, which is where a flood of guesses lands.
 */
export type Lane = 'priority' | 'normal';

/**
 * At most `size` tasks at once; the rest wait in order, the priority lane's before the normal lane's, at most
 * `maxWaiting` in the normal lane. The priority lane is not bounded: what comes in through it is already held down
 * (a known device's guesses by its throttle key, new hashes by a session, a token or an emailed link), and SCIM or an
 * invite must not fail for a flood of strangers. Each argon2 run takes 19 MiB and a thread of libuv's pool (which file reads share): a
 * flood of sign-ins waits here instead of taking all the memory and every thread — and, past a short queue, is
 * turned away (SlotsFull) rather than making everyone behind it wait seconds; an owner on a known device goes first.
 */
export class Slots {
  private running = 0;
  private readonly waiting: Record<Lane, (() => void)[]> = { priority: [], normal: [] };

  constructor(
    readonly size: number,
    readonly maxWaiting = Infinity,
  ) {}

  /** Whether a task in `lane` would run or queue now, not be turned away. */
  hasRoom(lane: Lane = 'normal'): boolean {
    return lane === 'priority' || this.running < this.size || this.waiting.normal.length < this.maxWaiting;
  }

  async run<T>(task: () => Promise<T>, lane: Lane = 'normal'): Promise<T> {
    if (this.running >= this.size) {
      if (!this.hasRoom(lane)) throw new SlotsFull();
      await new Promise<void>((go) => this.waiting[lane].push(go));
    } else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, priority first, or free it.
      const next = this.waiting.priority.shift() ?? this.waiting.normal.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Password hashes and verifications in flight at once: one per core; in the normal lane, at most QUEUE_PER_SLOT
 * waiting for each (with 2 cores, 16 waiting: under a second's wait at ~50 ms a verification).
 */
const QUEUE_PER_SLOT = 8;
const cores = Math.max(1, availableParallelism());
export const passwordWork = new Slots(cores, cores * QUEUE_PER_SLOT);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** New passwords come from people who proved something (a session, an emailed link): the priority lane. */
export function hashPassword(password: string): Promise<string> {
  return passwordWork.run(() => hash(password, argon2Options), 'priority');
}

/**
 * False for a wrong password and for a hash that cannot be parsed (never throws on user input); throws SlotsFull
 * when `lane`'s queue is full.
 */
export async function verifyPassword(passwordHash: string, password: string, lane: Lane = 'normal'): Promise<boolean> {
  try {
    return await passwordWork.run(() => verify(passwordHash, password), lane);
  } catch (e) {
    if (e instanceof SlotsFull) throw e;
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
export async function verifyDummyPassword(password: string, lane: Lane = 'normal'): Promise<void> {
  await verifyPassword(await dummyPasswordHash(), password, lane);
}

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].filter((p) => p.length >= PASSWORD_MIN));
  return common;
}

/** The words a password is checked against besides the person's own (NIST SP 800-63B's "context-specific words"). */
export interface PasswordContext {
  email?: string;
  name?: string;
  /** The organization's name. */
  organization?: string;
}

/** Runs a guesser tries first: the alphabet, digits and keyboard rows, either way round. */
const SEQUENCES = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
];
const PRODUCT_WORDS = ['frontline', 'academy'];

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const words = (text: string | undefined) =>
  (text ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3);

/** Digits and symbols read as the letters they stand in for; `1` and `!` are tried as both i and l. */
const LEET: Record<string, string> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '+': 't',
  '|': 'l',
};
const unleet = (text: string, one: 'i' | 'l') =>
  [...text].map((c) => (c === '1' || c === '!' ? one : (LEET[c] ?? c))).join('');

/** The ways a guesser would read `lower`: as written, and un-leeted, each also without digits and symbols at its ends. */
function readings(lower: string): string[] {
  const trimmed = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [...new Set([lower, trimmed, ...[lower, trimmed].flatMap((t) => [unleet(t, 'i'), unleet(t, 'l')])])];
}

/** A password made of one short unit over and over ("aaaaaaaa", "abcabcabc", eight spaces). */
function isRepeat(password: string): boolean {
  return /^([\s\S]{1,4})\1+$/u.test(password) || new Set(password).size < 4;
}

/** A password that is a run of a sequence ("abcdefgh", "87654321", "qwertyui"), ignoring case and separators. */
function isSequence(password: string): boolean {
  const run = letters(password);
  if (run.length < 4) return false;
  const reversed = (t: string) => [...t].reverse().join('');
  return SEQUENCES.some((seq) => seq.includes(run) || reversed(seq).includes(run));
}

/** True when nothing but `contextWords`, digits and punctuation is left: "Northwind2026!", "ada.lovelace1". */
function isBuiltFrom(password: string, contextWords: string[]): boolean {
  const all = letters(password);
  let rest = all;
  for (const word of [...contextWords].sort((a, b) => b.length - a.length)) rest = rest.split(word).join('');
  return rest !== all && rest.replace(/\p{N}+/gu, '').length < 4;
}

/** The site's own words: its product name and the labels of SITE_URL's host name ("academy", "example"). */
function siteWords(): string[] {
  const host = new URL(env().siteUrl).hostname;
  return [
    ...PRODUCT_WORDS,
    ...host.split('.').filter((l) => l.length >= 3 && !['www', 'com', 'org', 'net', 'localhost'].includes(l)),
  ];
}

/** Null when acceptable, otherwise the message to show next to the field. */
export function validatePassword(password: string, context: PasswordContext = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  const lower = password.toLowerCase();
  const read = readings(lower);
  if (commonPasswords().has(lower)) return 'This password is too common. Choose a longer or less predictable one.';
  if (isRepeat(password))
    return 'Use more than a few different characters: a repeated character or pattern is guessed at once.';
  if (isSequence(password))
    return 'Don\'t use a sequence such as "abcdefgh", "12345678" or "qwertyui": it is guessed at once.';
  const personal = [context.email, context.email?.split('@')[0], context.name].filter(
    (v): v is string => !!v && v.length >= 3,
  );
  const personalWords = [...personal.map(letters), ...words(context.email?.split('@')[0]), ...words(context.name)];
  const builtFrom = (contextWords: string[]) => read.some((r) => isBuiltFrom(r, contextWords));
  if (personal.some((v) => read.some((r) => letters(r) === letters(v))) || builtFrom(personalWords)) {
    return "Don't use your name or email as your password.";
  }
  const orgWords = [
    ...siteWords(),
    letters(context.organization ?? ''),
    ...words(context.organization),
    ...words(context.email?.split('@')[1]),
  ].filter((w) => w.length >= 3);
  if (builtFrom(orgWords)) {
    return "Don't build your password from the name of this site, this product or your organization: those are guessed first.";
  }
  // Each alone leaves a word over; together they may leave nothing ("hopper-northwind").
  if (builtFrom([...personalWords, ...orgWords])) {
    return "Don't build your password from your name or email and the names of this site or your organization: those are guessed first.";
  }
  // After the context words, whose message says more: "Lovelace1815!" and "frontline!!!" read as common ones too.
  if (read.some((r) => commonPasswords().has(r)))
    return 'This password is too common. Choose a longer or less predictable one.';
  return null;
}
