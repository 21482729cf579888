/**
 * The mood meter: one row per state variable with its label, the number, a word (low / middling / high) and a
 * bar, so it reads at a glance and without colour. A meter whose good direction the role-play declares says so in
 * words ("lower is better") and in colour: red for one that should stay low (anger), green for one that should
 * rise (trust). `previous` adds the change since the last reply, with whether it was for the better.
 */
import { For, Show } from 'solid-js';
import { changeText, levelWord, type PublicMeter } from './roleplay';

export function MoodMeters(props: { meters: PublicMeter[]; previous?: PublicMeter[] | undefined; heading?: string }) {
  const deltaOf = (m: PublicMeter) => {
    const before = props.previous?.find((p) => p.name === m.name);
    return before ? m.value - before.value : 0;
  };
  const percent = (m: PublicMeter) => (m.max > m.min ? Math.round(((m.value - m.min) / (m.max - m.min)) * 100) : 0);
  return (
    <section class="rp-meters" aria-label={props.heading ?? 'Mood'}>
      <ul>
        <For each={props.meters}>
          {(m) => (
            <li class="rp-meter" data-level={levelWord(m)} data-better={m.better}>
              <span class="rp-meter-label">
                {m.label}
                <Show when={m.better}>
                  <span class="rp-meter-better"> ({m.better} is better)</span>
                </Show>
              </span>
              <span class="rp-meter-value">
                {m.value} of {m.max}, {levelWord(m)}
                <Show when={deltaOf(m) !== 0}>
                  <span class="rp-meter-delta">
                    {' '}
                    <span aria-hidden="true">{deltaOf(m) > 0 ? '▲' : '▼'}</span> {changeText(deltaOf(m), m.better)}
                  </span>
                </Show>
              </span>
              <span class="rp-meter-bar" aria-hidden="true">
                <span style={{ width: `${percent(m)}%` }} />
              </span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
