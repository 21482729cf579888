/**
 * A judgment case inside a lesson. Before answering the learner sees the situation, the usual rule and the option
 * labels (no reasoning, no scores); they pick one and, where the case asks, write what they would do and why. The
 * `judgment.answer` action stores it and returns every option's reasoning, shown in place. The first answer is the
 * one on record; answering again is practice, and every practice answer says so. Without JavaScript the same form
 * posts to the lesson page, which renders the revealed state server-side.
 */
import { actions, isInputError } from 'astro:actions';
import { createSignal, For, Show } from 'solid-js';
import type { PublicCase, RevealedOption, Verdict } from './judgment';

export interface Answered {
  options: RevealedOption[];
  /** How the choice compares with the strongest call: shown first, before the reasoning. */
  verdict: Verdict;
  text: string | null;
  /** Written answers wait for (or have) a manager's review. */
  reviewed: boolean;
  /** An answer given after the one on record: shown, never counted. */
  practice: boolean;
}

export interface JudgmentCaseIslandProps {
  case: PublicCase;
  answered: Answered | null;
  /** Form action: the lesson page with the action's query string and this case's anchor. */
  action: string;
  /** Link that shows the form again without JavaScript. */
  againHref: string;
  /** An answer is already on record, so the next one is practice. */
  practice: boolean;
  error?: string;
}

export function JudgmentCaseIsland(props: JudgmentCaseIslandProps) {
  const [answered, setAnswered] = createSignal<Answered | null>(props.answered);
  const [error, setError] = createSignal(props.error ?? '');
  const [busy, setBusy] = createSignal(false);
  const [practice, setPractice] = createSignal(props.practice);
  const base = `case-${props.case.id}`;
  // After answering, focus goes to the verdict line, so it is read first.
  let revealVerdict: HTMLParagraphElement | undefined;

  async function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    if (!data.get('option')) {
      setError('Choose one of the options first.');
      return;
    }
    setBusy(true);
    setError('');
    const result = await actions.judgment.answer(data);
    setBusy(false);
    if (result.error) {
      setError(isInputError(result.error) ? result.error.issues.map((i) => i.message).join(' ') : result.error.message);
      return;
    }
    setAnswered({
      options: result.data.options,
      verdict: result.data.verdict,
      text: (data.get('text') as string | null)?.trim() || null,
      reviewed: false,
      practice: result.data.practice,
    });
    setPractice(true);
    revealVerdict?.focus();
  }

  function again(e: MouseEvent) {
    e.preventDefault();
    setAnswered(null);
  }

  return (
    <div class="jc-body">
      <Show
        when={answered()}
        fallback={
          <form method="post" action={props.action} onSubmit={onSubmit} aria-busy={busy()}>
            <input type="hidden" name="case" value={props.case.id} />
            <fieldset>
              <legend>What would you do?</legend>
              <For each={props.case.options}>
                {(o) => (
                  <div class="jc-option">
                    <input type="radio" name="option" value={o.id} id={`${base}-${o.id}`} required />
                    <label for={`${base}-${o.id}`}>{o.label}</label>
                  </div>
                )}
              </For>
            </fieldset>
            <Show when={props.case.prompt}>
              <div class="field">
                <label for={`${base}-text`}>{props.case.prompt}</label>
                <p class="hint" id={`${base}-text-hint`}>
                  Optional. Your manager reads written answers and replies with a comment.
                </p>
                <textarea id={`${base}-text`} name="text" maxLength={2000} aria-describedby={`${base}-text-hint`} />
              </div>
            </Show>
            <Show when={error()}>
              <p class="field-error" role="alert">
                {error()}
              </p>
            </Show>
            <Show when={practice()}>
              <p class="hint jc-practice-hint">
                <span class="status info">Practice</span> Your first answer stays on record; this one is for practice
                and is not sent for review.
              </p>
            </Show>
            <button type="submit" disabled={busy()}>
              {practice() ? 'Submit a practice answer' : 'Submit my answer'}
            </button>
          </form>
        }
      >
        {(a) => (
          <div class="jc-reveal">
            <p class={`jc-verdict jc-verdict-${a().verdict.tone}`} tabindex="-1" ref={revealVerdict}>
              <span
                class={`status ${a().verdict.tone === 'strongest' ? 'good' : a().verdict.tone === 'close' ? 'warn' : 'bad'}`}
              >
                {a().verdict.tone === 'strongest'
                  ? 'Strongest call'
                  : a().verdict.tone === 'close'
                    ? 'Close'
                    : 'Weaker call'}
              </span>{' '}
              {a().verdict.text}
            </p>
            <h4>How each option plays out</h4>
            <Show when={a().practice}>
              <p class="notice info jc-practice">
                <span class="status info">Practice</span> Practice answer — your first answer is the one on record.
              </p>
            </Show>
            <ul class="jc-reasons">
              <For each={a().options}>
                {(o) => (
                  <li classList={{ 'jc-chosen': o.chosen, 'jc-strongest': o.strongest }}>
                    <p class="jc-label">
                      <strong>{o.label}</strong>
                      <Show when={o.chosen}>
                        {' '}
                        <span class="status info">{a().practice ? 'Your practice choice' : 'Your choice'}</span>
                      </Show>
                      <Show when={a().practice && o.onRecord}>
                        {' '}
                        <span class="status">On record</span>
                      </Show>
                      <Show when={o.strongest}>
                        {' '}
                        <span class="status good">Strongest call</span>
                      </Show>
                    </p>
                    <p>{o.reasoning}</p>
                  </li>
                )}
              </For>
            </ul>
            <Show when={a().text}>
              <div class="jc-own">
                <p>
                  <strong>What you wrote:</strong> {a().text}
                </p>
                <p class="hint">
                  {a().practice
                    ? 'A practice answer: it is not sent for review.'
                    : a().reviewed
                      ? 'Your manager has reviewed this; the comment is on your learning page.'
                      : 'Sent to your manager for review. Their comment will appear on your learning page.'}
                </p>
              </div>
            </Show>
            <p>
              <a href={props.againHref} onClick={again}>
                Answer again (practice)
              </a>
            </p>
          </div>
        )}
      </Show>
    </div>
  );
}
