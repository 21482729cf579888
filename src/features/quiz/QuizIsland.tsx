/**
 * The quiz player. It receives only the public quiz (question texts and option texts in the drawn order — no keys,
 * no feedback, no standards) and sends answers as option POSITIONS to the `quiz.submit` action; the server grades.
 *
 * Without JavaScript the server-rendered markup is a plain form: every question on one page, radios / checkboxes,
 * and one select per step for ordering questions, posted to the action. Once hydrated it becomes a one-question-
 * at-a-time player: a progress bar, a question list to jump around, number keys to pick options, move up / move
 * down buttons for ordering, a review step that warns about unanswered questions, and a countdown when the quiz is
 * timed. The result page (score and review) comes from the server.
 */
import { actions, isInputError } from 'astro:actions';
import { createMemo, createSignal, For, Index, onCleanup, onMount, Show } from 'solid-js';
import type { Answers, PublicQuestion, PublicQuiz } from './quiz';

export interface QuizIslandProps {
  quiz: PublicQuiz;
  attemptId: string;
  /** Form action for the no-JS post (the page URL with the action's query string). */
  submitAction: string;
  /** Deadline and the server's clock when the page was rendered, for the countdown (null: untimed). */
  deadlineAt: number | null;
  serverNow: number;
  /** A refusal from a no-JS post, shown above the form, and the answers that post carried. */
  error?: string;
  prefill?: Answers;
}

const field = (q: PublicQuestion) => `q.${q.id}`;
const isOrdering = (q: PublicQuestion) => q.kind === 'ordering';
const kindHint: Record<PublicQuestion['kind'], string> = {
  single: 'Choose one answer.',
  scenario: 'Choose one answer.',
  'true-false': 'True or false?',
  multiple: 'Select all that apply.',
  ordering: 'Put the items in the right order.',
};

function formatLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function QuizIsland(props: QuizIslandProps) {
  const questions = props.quiz.questions;
  const [enhanced, setEnhanced] = createSignal(false);
  const [answers, setAnswers] = createSignal<Answers>({ ...(props.prefill ?? {}) });
  const [index, setIndex] = createSignal(0);
  const [reviewing, setReviewing] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal(props.error ?? '');
  const [finished, setFinished] = createSignal(false);
  const [left, setLeft] = createSignal<number | null>(props.deadlineAt === null ? null : props.deadlineAt - props.serverNow);
  let headingEl: HTMLHeadingElement | undefined;

  const answered = (q: PublicQuestion) => (answers()[q.id]?.length ?? 0) > 0;
  const unanswered = createMemo(() => questions.map((q, i) => ({ q, i })).filter(({ q }) => !answered(q)));
  const current = () => questions[index()]!;

  function choose(q: PublicQuestion, position: number) {
    setAnswers((a) => {
      if (q.kind !== 'multiple') return { ...a, [q.id]: [position] };
      const now = a[q.id] ?? [];
      return { ...a, [q.id]: now.includes(position) ? now.filter((p) => p !== position) : [...now, position].sort((x, y) => x - y) };
    });
  }

  /** Ordering: the learner's order so far (the shown order until they move something). */
  const orderOf = (q: PublicQuestion) => answers()[q.id] ?? q.options.map((_, i) => i);
  function move(q: PublicQuestion, from: number, by: -1 | 1) {
    const order = [...orderOf(q)];
    const to = from + by;
    if (to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    setAnswers((a) => ({ ...a, [q.id]: order }));
    queueMicrotask(() => document.getElementById(`move-${q.id}-${to}-${by < 0 ? 'up' : 'down'}`)?.focus());
  }

  function go(i: number) {
    setReviewing(false);
    setIndex(Math.max(0, Math.min(questions.length - 1, i)));
    queueMicrotask(() => headingEl?.focus());
  }

  function review() {
    setReviewing(true);
    queueMicrotask(() => document.getElementById('quiz-review-heading')?.focus());
  }

  async function submit() {
    if (busy() || finished()) return;
    setBusy(true);
    setError('');
    const form = new FormData();
    form.set('attempt', props.attemptId);
    for (const q of questions) for (const p of answers()[q.id] ?? []) form.append(field(q), String(p));
    const { data, error: failure } = await actions.quiz.submit(form);
    if (failure) {
      setBusy(false);
      setError(isInputError(failure) ? 'Your answers could not be read. Reload the page and try again.' : failure.message);
      if (failure.code === 'CONFLICT' || failure.code === 'NOT_FOUND') setFinished(true);
      return;
    }
    setFinished(true);
    window.location.assign(data.result);
  }

  function onKey(e: KeyboardEvent) {
    if (!enhanced() || reviewing() || e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    if ((e.target as HTMLElement | null)?.closest('input[type="text"], textarea, select')) return;
    const q = current();
    const n = Number(e.key);
    if (!isOrdering(q) && Number.isInteger(n) && n >= 1 && n <= q.options.length) {
      e.preventDefault();
      choose(q, n - 1);
    }
  }

  onMount(() => {
    setEnhanced(true);
    document.addEventListener('keydown', onKey);
    if (props.deadlineAt !== null) {
      const offset = props.serverNow - Date.now();
      const timer = setInterval(() => setLeft(props.deadlineAt! - (Date.now() + offset)), 1000);
      onCleanup(() => clearInterval(timer));
    }
  });
  onCleanup(() => typeof document !== 'undefined' && document.removeEventListener('keydown', onKey));

  return (
    <div class="quiz-player">
      <Show when={left() !== null}>
        <p class={`quiz-timer${(left() ?? 1) <= 60_000 ? ' quiz-timer-low' : ''}`} role="timer" aria-live="off">
          Time left: <strong>{formatLeft(left() ?? 0)}</strong>
          <Show when={(left() ?? 1) <= 0}>
            {' '}— time is up, submit now.
          </Show>
        </p>
      </Show>
      <Show when={error()}>
        <div class="notice bad" role="alert">
          <p>{error()}</p>
          <Show when={finished()}>
            <p>
              <a href={`/quizzes/${props.quiz.id}`}>Back to the quiz page</a>
            </p>
          </Show>
        </div>
      </Show>

      <Show when={enhanced()} fallback={<PlainForm {...props} />}>
        <nav class="quiz-progress" aria-label="Questions">
          <p>
            <Show when={!reviewing()} fallback={<>Review your answers</>}>
              Question {index() + 1} of {questions.length}
            </Show>
            <span class="muted"> · {questions.length - unanswered().length} answered</span>
          </p>
          <progress max={questions.length} value={questions.length - unanswered().length} aria-label="Questions answered" />
          <ol class="quiz-jump">
            <Index each={questions}>
              {(q, i) => (
                <li>
                  <button
                    type="button"
                    class={`quiz-jump-button${answered(q()) ? ' is-answered' : ''}`}
                    aria-current={!reviewing() && index() === i ? 'step' : undefined}
                    aria-label={`Question ${i + 1}${answered(q()) ? ', answered' : ', not answered'}`}
                    onClick={() => go(i)}
                  >
                    {i + 1}
                  </button>
                </li>
              )}
            </Index>
          </ol>
        </nav>

        <Show
          when={!reviewing()}
          fallback={
            <section class="quiz-review-step" aria-labelledby="quiz-review-heading">
              <h2 id="quiz-review-heading" tabindex="-1">
                Ready to submit?
              </h2>
              <Show when={unanswered().length > 0} fallback={<p>You have answered every question.</p>}>
                <div class="notice warn" role="status">
                  <p>
                    {unanswered().length === 1 ? '1 question is' : `${unanswered().length} questions are`} not answered yet. Unanswered
                    questions count as wrong.
                  </p>
                  <ul>
                    <For each={unanswered()}>
                      {({ q, i }) => (
                        <li>
                          <button type="button" class="link-button" onClick={() => go(i)}>
                            Question {i + 1}: {q.prompt}
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              </Show>
              <p class="hint">You can submit once. Your score and feedback appear on the next page.</p>
              <div class="quiz-nav">
                <button type="button" class="secondary" onClick={() => go(questions.length - 1)}>
                  Back to the questions
                </button>
                <button type="button" onClick={() => void submit()} disabled={busy() || finished()} aria-busy={busy()}>
                  {busy() ? 'Submitting…' : unanswered().length > 0 ? `Submit with ${unanswered().length} unanswered` : 'Submit answers'}
                </button>
              </div>
            </section>
          }
        >
          <section class="quiz-question" aria-labelledby={`h-${current().id}`}>
            <h2 id={`h-${current().id}`} tabindex="-1" ref={headingEl}>
              <span class="visually-hidden">Question {index() + 1}: </span>
              {current().prompt}
            </h2>
            <Show when={current().scenario}>
              <p class="quiz-scenario">{current().scenario}</p>
            </Show>
            <Show
              when={!isOrdering(current())}
              fallback={
                <fieldset class="quiz-options">
                  <legend>{kindHint.ordering}</legend>
                  <p class="hint">Use Move up and Move down. The first item is step 1.</p>
                  <ol class="quiz-order">
                    <Index each={orderOf(current())}>
                      {(p, k) => (
                        <li>
                          <span class="quiz-order-text">{current().options[p()]}</span>
                          <span class="quiz-order-buttons">
                            <button
                              type="button"
                              class="secondary"
                              id={`move-${current().id}-${k}-up`}
                              disabled={k === 0}
                              aria-label={`Move up: ${current().options[p()]}`}
                              onClick={() => move(current(), k, -1)}
                            >
                              ↑ Up
                            </button>
                            <button
                              type="button"
                              class="secondary"
                              id={`move-${current().id}-${k}-down`}
                              disabled={k === current().options.length - 1}
                              aria-label={`Move down: ${current().options[p()]}`}
                              onClick={() => move(current(), k, 1)}
                            >
                              ↓ Down
                            </button>
                          </span>
                        </li>
                      )}
                    </Index>
                  </ol>
                  <Show when={!answered(current())}>
                    <p class="hint">Not answered until you move an item (or confirm the order).</p>
                    <button type="button" class="secondary" onClick={() => setAnswers((a) => ({ ...a, [current().id]: orderOf(current()) }))}>
                      This order is my answer
                    </button>
                  </Show>
                </fieldset>
              }
            >
              <fieldset class="quiz-options">
                <legend>{kindHint[current().kind]}</legend>
                <p class="hint key-hint">Press a number key to pick an option.</p>
                <Index each={current().options}>
                  {(text, i) => (
                    <label class="quiz-option">
                      <input
                        type={current().kind === 'multiple' ? 'checkbox' : 'radio'}
                        name={`live-${current().id}`}
                        value={i}
                        checked={(answers()[current().id] ?? []).includes(i)}
                        onChange={() => choose(current(), i)}
                      />
                      <kbd class="key-hint" aria-hidden="true">{i + 1}</kbd>
                      <span>{text()}</span>
                    </label>
                  )}
                </Index>
              </fieldset>
            </Show>
            <div class="quiz-nav">
              <button type="button" class="secondary" disabled={index() === 0} onClick={() => go(index() - 1)}>
                Previous
              </button>
              <Show when={index() < questions.length - 1} fallback={<button type="button" onClick={review}>Review and submit</button>}>
                <button type="button" onClick={() => go(index() + 1)}>
                  Next
                </button>
              </Show>
            </div>
          </section>
        </Show>
      </Show>
    </div>
  );
}

/** The no-JavaScript quiz: all questions in one form, posted to the action. */
function PlainForm(props: QuizIslandProps) {
  const chosen = (q: PublicQuestion, i: number) => (props.prefill?.[q.id] ?? []).includes(i);
  return (
    <form method="post" action={props.submitAction} class="quiz-form">
      <input type="hidden" name="attempt" value={props.attemptId} />
      <ol class="quiz-questions">
        <For each={props.quiz.questions}>
          {(q, n) => (
            <li class="quiz-question">
              <fieldset class="quiz-options">
                <legend>
                  <span class="quiz-number">Question {n() + 1}.</span> {q.prompt}
                </legend>
                <Show when={q.scenario}>
                  <p class="quiz-scenario">{q.scenario}</p>
                </Show>
                <p class="hint">{kindHint[q.kind]}</p>
                <Show
                  when={!isOrdering(q)}
                  fallback={
                    <div class="quiz-steps">
                      <ul class="quiz-items">
                        <For each={q.options}>{(text) => <li>{text}</li>}</For>
                      </ul>
                      <For each={q.options}>
                        {(_, k) => (
                          <div class="field">
                            <label for={`o-${q.id}-${k()}`}>Step {k() + 1}</label>
                            <select id={`o-${q.id}-${k()}`} name={field(q)}>
                              <option value="">Choose…</option>
                              <For each={q.options}>
                                {(text, i) => (
                                  <option value={i()} selected={props.prefill?.[q.id]?.[k()] === i()}>
                                    {text}
                                  </option>
                                )}
                              </For>
                            </select>
                          </div>
                        )}
                      </For>
                    </div>
                  }
                >
                  <For each={q.options}>
                    {(text, i) => (
                      <label class="quiz-option">
                        <input type={q.kind === 'multiple' ? 'checkbox' : 'radio'} name={field(q)} value={i()} checked={chosen(q, i())} />
                        <span>{text}</span>
                      </label>
                    )}
                  </For>
                </Show>
              </fieldset>
            </li>
          )}
        </For>
      </ol>
      <p class="hint">You can submit once. Unanswered questions count as wrong.</p>
      <button type="submit">Submit answers</button>
    </form>
  );
}
