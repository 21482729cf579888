/**
 * What a run needs so the browser never learns which reply is which: a seed for the order the replies are shown in
 * (replyOrder in roleplay.ts) and a secret key for the reply tokens. A token is a truncated HMAC of (run, step,
 * choice id) under the run's own key, so it names a reply of that run at that step and nothing else: the browser
 * cannot derive a choice id from it, a token from another run or step matches no reply here, and the next run
 * shows the same reply under a different token in a different place.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Choice, Roleplay } from '../content/schema';

export const REPLY_TOKEN_LENGTH = 16;

/** A reply token as it arrives from a form: 16 base64url characters (96 bits). */
export const replyTokenSchema = z
  .string({ error: 'Pick one of the replies.' })
  .trim()
  .regex(/^[A-Za-z0-9_-]{16}$/, 'Pick one of the replies offered.');

export interface RunSecrets {
  seed: number;
  replyKey: string;
}

export function newRunSecrets(seed: number): RunSecrets {
  return { seed, replyKey: randomBytes(16).toString('base64url') };
}

export function replyToken(run: { id: string; replyKey: string }, step: number, choiceId: string): string {
  return createHmac('sha256', run.replyKey)
    .update(`${run.id}\n${step}\n${choiceId}`)
    .digest('base64url')
    .slice(0, REPLY_TOKEN_LENGTH);
}

/** The choice a token names at the run's current node and step, or undefined when it names none of them. */
export function choiceForToken(
  roleplay: Roleplay,
  run: { id: string; replyKey: string; nodeId: string; step: number },
  token: string,
): Choice | undefined {
  return roleplay.nodes[run.nodeId]?.choices.find((c) => replyToken(run, run.step, c.id) === token);
}
