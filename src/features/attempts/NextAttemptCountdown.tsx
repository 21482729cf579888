/**
 * "Your next attempt opens at …" after a failed attempt. Server-rendered, it states the time plainly (and works
 * without JavaScript: the page shows the start button once the time has come). Hydrated, it counts down each second
 * from the server's clock and, at zero, puts the start button in place without a reload; the server still decides
 * whether the attempt may start.
 */
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { countOf } from '../../lib/plural';

export interface NextAttemptCountdownProps {
  /** When the next attempt opens, and the server's clock when the page was rendered. */
  until: number;
  serverNow: number;
  /** `until` written out for the learner (the server formats dates). */
  opensAt: string;
  /** The start form: its action URL, the hidden field values, the button's label. */
  startAction: string;
  fields: Record<string, string>;
  startLabel: string;
}

function formatLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = h > 0 ? `${h}:${String(m).padStart(2, '0')}` : String(m);
  return `${mm}:${String(s % 60).padStart(2, '0')}`;
}

export function NextAttemptCountdown(props: NextAttemptCountdownProps) {
  const [left, setLeft] = createSignal(props.until - props.serverNow);
  const [live, setLive] = createSignal(false);
  onMount(() => {
    setLive(true);
    const offset = props.serverNow - Date.now();
    const tick = () => setLeft(props.until - (Date.now() + offset));
    const timer = setInterval(() => {
      tick();
      if (left() <= 0) clearInterval(timer);
    }, 1000);
    onCleanup(() => clearInterval(timer));
  });
  const minutes = () => Math.max(1, Math.ceil(left() / 60_000));
  return (
    <Show
      when={left() > 0}
      fallback={
        <form method="post" action={props.startAction} class="next-attempt-open">
          {Object.entries(props.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <p role="status">Your next attempt is open now.</p>
          <button type="submit">{props.startLabel}</button>
        </form>
      }
    >
      <p class="next-attempt">
        Your next attempt opens at <strong>{props.opensAt}</strong>
        <Show when={live()} fallback={<> (in about {countOf(minutes(), 'minute')}).</>}>
          {' '}
          — in{' '}
          <strong role="timer" aria-live="off" class="next-attempt-timer">
            {formatLeft(left())}
          </strong>
          .
        </Show>
      </p>
    </Show>
  );
}
