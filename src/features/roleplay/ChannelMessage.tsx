/**
 * One message of a role-play conversation, marked up for its channel: a transcript line on the phone, a bubble in
 * a chat, a message with From/To in an email thread, a post with name and handle in a public thread. Plain HTML
 * (the CSS in global.css does the rest per `.rp-ch-<channel>`), rendered by the player island and, on the server
 * only, by the debrief.
 */
import { Show } from 'solid-js';
import type { Channel, ChannelText } from './channel';

export type Speaker = 'them' | 'you' | 'scene';

export function ChannelMessage(props: { channel: Channel; text: ChannelText; who: Speaker; words: string }) {
  const person = () => (props.who === 'you' ? props.text.you : props.text.them);
  const initials = () =>
    person()
      .name.split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase();
  return (
    <Show
      when={props.who !== 'scene'}
      fallback={
        <div class="rp-msg rp-scene">
          <p>
            <em>{props.words}</em>
          </p>
        </div>
      }
    >
      <div class={`rp-msg rp-${props.who}`}>
        <Show when={props.channel === 'social'}>
          <span class="rp-avatar" aria-hidden="true">
            {initials()}
          </span>
        </Show>
        <p class="rp-meta">
          <Show when={props.channel === 'email'}>
            <span class="rp-who">From: {person().name}</span>
            <span class="rp-to"> To: {props.who === 'you' ? props.text.them.name : props.text.you.name}</span>
          </Show>
          <Show when={props.channel !== 'email'}>
            <span class="rp-who">{person().name}</span>
            <Show when={person().handle}>
              <span class="rp-handle"> {person().handle}</span>
            </Show>
            <Show when={props.who === 'you' && props.text.yourTag}>
              <span class="rp-tag"> · {props.text.yourTag}</span>
            </Show>
          </Show>
        </p>
        <p class="rp-words">{props.words}</p>
      </div>
    </Show>
  );
}
