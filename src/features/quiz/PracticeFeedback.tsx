/**
 * The feedback of one answered practice question (server-graded; sent only after the answer was saved): right or
 * wrong, the key, and every option's why. Rendered by the island after "Check my answer" and by the server for
 * questions already answered (a reload, the no-JS form).
 */
import { For, Show } from 'solid-js';
import type { ReviewQuestion } from './quiz';

export function PracticeFeedback(props: { feedback: ReviewQuestion }) {
  const f = () => props.feedback;
  return (
    <div class={`quiz-feedback ${f().correct ? 'is-right' : 'is-wrong'}`} id={`feedback-${f().id}`} tabindex="-1">
      <p class="quiz-feedback-verdict">
        <span class={`status ${f().correct ? 'good' : 'bad'}`}>{f().correct ? 'Right' : 'Not quite'}</span>{' '}
        {f().correct
          ? 'That is the answer.'
          : f().kind === 'ordering'
            ? 'Here is the right order.'
            : 'Here is the answer, and why.'}
      </p>
      <Show
        when={f().kind === 'ordering'}
        fallback={
          <ul class="quiz-review-options">
            <For each={f().options}>
              {(o) => (
                <li class={`${o.chosen ? 'is-chosen' : ''} ${o.correct ? 'is-key' : ''}`}>
                  <span>{o.text}</span>
                  <Show when={o.chosen}>
                    {' '}
                    <span class="status info">Your answer</span>
                  </Show>
                  <Show when={o.correct}>
                    {' '}
                    <span class="status good">Correct answer</span>
                  </Show>
                  <Show when={o.feedback}>
                    <p class="quiz-why">{o.feedback}</p>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        }
      >
        <ol class="quiz-review-options">
          <For each={f().options}>
            {(o) => (
              <li>
                <span>{o.text}</span>
                <span class="muted"> — belongs at step {o.correctPosition}</span>
                <Show when={o.feedback}>
                  <p class="quiz-why">{o.feedback}</p>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}
