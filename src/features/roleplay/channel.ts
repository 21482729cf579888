/**
 * How a conversation looks in its channel (a role-play's `channel`): the words around the messages — who is who,
 * what the conversation is called, how the learner is asked to reply. The player and the debrief both use it, so a
 * chat reads as a chat and a public thread as a public thread in both. Client-safe: no content beyond names.
 */
import type { Roleplay } from '../content/schema';

export type Channel = Roleplay['channel'];

export interface ChannelText {
  /** Names the conversation, e.g. "Call with Dana Whitfield". */
  title: string;
  /** One line on where this conversation happens. */
  setting: string;
  /** The other person as this channel shows them (a name, or a public handle after it). */
  them: { name: string; handle?: string };
  you: { name: string; handle?: string };
  /** How the learner is asked to pick a reply. */
  replyHint: string;
  /** Shown while the other person writes their next message (chat only). */
  typing?: string;
  /** Marks each of the learner's messages (a public post in a social thread). */
  yourTag?: string;
}

/** `Dana Whitfield` → `@dana_whitfield`. */
export function handleOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `@${slug || 'customer'}`;
}

export function channelText(channel: Channel, personaName: string, title: string): ChannelText {
  const firstName = personaName.split(/\s+/)[0] ?? personaName;
  switch (channel) {
    case 'chat':
      return {
        title: `Chat with ${personaName}`,
        setting: 'Live chat on the website: short messages, and they can see when you are typing.',
        them: { name: personaName },
        you: { name: 'You' },
        replyHint: 'Pick the message you send, or press its number key.',
        typing: `${firstName} is typing…`,
      };
    case 'email':
      return {
        title: `Re: ${title}`,
        setting: `An email thread with ${personaName}. Your reply is a draft until you send it.`,
        them: { name: personaName },
        you: { name: 'You (customer care)' },
        replyHint: 'Pick the reply you send, or press its number key.',
      };
    case 'social':
      return {
        title: `Public thread started by ${handleOf(personaName)}`,
        setting: 'A public post about your company. Everyone following the thread reads your replies.',
        them: { name: personaName, handle: handleOf(personaName) },
        you: { name: 'Customer care (you)', handle: '@customercare' },
        replyHint: 'Pick the reply you post in public, or press its number key.',
        yourTag: 'Public reply',
      };
    case 'phone':
      return {
        title: `Call with ${personaName}`,
        setting: 'A phone call: the transcript below follows the conversation.',
        them: { name: personaName },
        you: { name: 'You' },
        replyHint: 'Pick what you say, or press its number key.',
      };
  }
}
