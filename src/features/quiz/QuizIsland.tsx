/**
 * The quiz player. It receives only the public quiz (question texts and option texts in the drawn order — no keys,
 * no feedback, no standards) and sends answers as option POSITIONS to the `quiz.submit` action; the server grades.
 *
 * Without JavaScript the server-rendered markup is a plain form: every question on one page, radios / checkboxes,
 * and one select per step for ordering questions, posted to the action. Once hydrated it becomes a one-question-
 * at-a-time player: a progress bar, a question list to jump around, number keys to pick options, move up / move
 * down buttons for ordering, a review step that warns about unanswered questions, and a countdown when the quiz is
 * timed. The result page (score and review) comes from the server.
 *
 * Every answer is saved as it is given (`quiz.save`, one question per post, in order), so a reload or another device
 * continues where the learner left off. In a practice attempt an answer is only sent with "Check my answer"; the
 * server saves it for good and answers with that question's feedback (the key for it, and every option's why).
 */
import { actions, isInputError } from 'astro:actions';
import { createMemo, createSignal, For, Index, onCleanup, onMount, Show } from 'solid-js';
import { PlainQuizForm } from './PlainQuizForm';
import { PracticeFeedback } from './PracticeFeedback';
import { answerFieldName as field, isOrdering, kindHint, type QuizIslandProps } from './quiz-player';
import type { Answers, PublicQuestion, ReviewQuestion } from './quiz';

export type { QuizIslandProps } from './quiz-player';

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
  const [left, setLeft] = createSignal<number | null>(
    props.deadlineAt === null ? null : props.deadlineAt - props.serverNow,
  );
  const [feedback, setFeedback] = createSignal<Record<string, ReviewQuestion>>({ ...(props.feedback ?? {}) });
  const [saveState, setSaveState] = createSignal<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  let headingEl: HTMLHeadingElement | undefined;
  const practice = props.practice === true;

  // In practice a question counts as answered once checked; otherwise once something is chosen.
  const answered = (q: PublicQuestion) =>
    practice ? feedback()[q.id] !== undefined : (answers()[q.id]?.length ?? 0) > 0;
  const locked = (q: PublicQuestion) => practice && feedback()[q.id] !== undefined;

  /** The saves of this page, one after another, so the server keeps the learner's latest choice. */
  let saving: Promise<void> = Promise.resolve();
  function answerForm(q: PublicQuestion): FormData {
    const form = new FormData();
    form.set('attempt', props.attemptId);
    const chosen = answers()[q.id] ?? [];
    if (chosen.length === 0) form.append(field(q), '');
    for (const p of chosen) form.append(field(q), String(p));
    return form;
  }
  function refused(failure: { code: string; message: string }, unreadable: boolean) {
    setError(unreadable ? 'Your answer could not be read. Reload the page and try again.' : failure.message);
    // A practice refusal (already checked, a certification attempt open) leaves the attempt usable.
    if (failure.code === 'NOT_FOUND' || (failure.code === 'CONFLICT' && !practice)) setFinished(true);
  }
  function save(q: PublicQuestion) {
    if (practice || finished()) return;
    setSaveState('saving');
    saving = saving.then(async () => {
      const { error: failure } = await actions.quiz.save(answerForm(q));
      if (failure) {
        setSaveState('failed');
        refused(failure, isInputError(failure));
      } else setSaveState('saved');
    });
  }
  async function check(q: PublicQuestion) {
    if (busy() || locked(q)) return;
    if ((answers()[q.id]?.length ?? 0) === 0 && !isOrdering(q)) {
      setError('Choose an answer first.');
      return;
    }
    if (isOrdering(q) && !answers()[q.id]) setAnswers((a) => ({ ...a, [q.id]: orderOf(q) }));
    setBusy(true);
    setError('');
    const { data, error: failure } = await actions.quiz.save(answerForm(q));
    setBusy(false);
    if (failure) return refused(failure, isInputError(failure));
    if (data.feedback) setFeedback((f) => ({ ...f, [q.id]: data.feedback! }));
    queueMicrotask(() => document.getElementById(`feedback-${q.id}`)?.focus());
  }
  const unanswered = createMemo(() => questions.map((q, i) => ({ q, i })).filter(({ q }) => !answered(q)));
  const current = () => questions[index()]!;

  function choose(q: PublicQuestion, position: number) {
    if (locked(q)) return;
    setAnswers((a) => {
      if (q.kind !== 'multiple') return { ...a, [q.id]: [position] };
      const now = a[q.id] ?? [];
      return {
        ...a,
        [q.id]: now.includes(position) ? now.filter((p) => p !== position) : [...now, position].sort((x, y) => x - y),
      };
    });
    save(q);
  }

  /** Ordering: the learner's order so far (the shown order until they move something). */
  const orderOf = (q: PublicQuestion) => answers()[q.id] ?? q.options.map((_, i) => i);
  function move(q: PublicQuestion, from: number, by: -1 | 1) {
    const order = [...orderOf(q)];
    const to = from + by;
    if (locked(q) || to < 0 || to >= order.length) return;
    [order[from], order[to]] = [order[to]!, order[from]!];
    setAnswers((a) => ({ ...a, [q.id]: order }));
    save(q);
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
    await saving;
    const form = new FormData();
    form.set('attempt', props.attemptId);
    // Practice is graded on the answers already checked; a certification attempt sends them all once more.
    if (!practice) for (const q of questions) for (const p of answers()[q.id] ?? []) form.append(field(q), String(p));
    const { data, error: failure } = await actions.quiz.submit(form);
    if (failure) {
      setBusy(false);
      setError(
        isInputError(failure) ? 'Your answers could not be read. Reload the page and try again.' : failure.message,
      );
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
          <Show when={(left() ?? 1) <= 0}> — time is up, submit now.</Show>
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

      <Show when={enhanced()} fallback={<PlainQuizForm {...props} />}>
        <nav class="quiz-progress" aria-label="Questions">
          <p>
            <Show when={!reviewing()} fallback={<>Review your answers</>}>
              Question {index() + 1} of {questions.length}
            </Show>
            <span class="muted">
              {' '}
              · {questions.length - unanswered().length} {practice ? 'checked' : 'answered'}
            </span>
            <Show when={!practice}>
              <span class="muted quiz-saved" role="status">
                {saveState() === 'saving' ? ' · Saving…' : saveState() === 'saved' ? ' · Answers saved' : ''}
              </span>
            </Show>
          </p>
          <progress
            max={questions.length}
            value={questions.length - unanswered().length}
            aria-label="Questions answered"
          />
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
                {practice ? 'Finish this practice?' : 'Ready to submit?'}
              </h2>
              <Show
                when={unanswered().length > 0}
                fallback={<p>You have {practice ? 'checked' : 'answered'} every question.</p>}
              >
                <div class="notice warn" role="status">
                  <p>
                    {unanswered().length === 1 ? '1 question is' : `${unanswered().length} questions are`} not{' '}
                    {practice ? 'checked' : 'answered'} yet.{' '}
                    {practice ? 'They count as wrong in the practice score.' : 'Unanswered questions count as wrong.'}
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
              <p class="hint">
                {practice
                  ? 'Practice never counts toward a certificate.'
                  : 'You can submit once. Your score and feedback appear on the next page.'}
              </p>
              <div class="quiz-nav">
                <button type="button" class="secondary" onClick={() => go(questions.length - 1)}>
                  Back to the questions
                </button>
                <button type="button" onClick={() => void submit()} disabled={busy() || finished()} aria-busy={busy()}>
                  {busy()
                    ? 'Submitting…'
                    : practice
                      ? 'Finish practice'
                      : unanswered().length > 0
                        ? `Submit with ${unanswered().length} unanswered`
                        : 'Submit answers'}
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
                              disabled={k === 0 || locked(current())}
                              aria-label={`Move up: ${current().options[p()]}`}
                              onClick={() => move(current(), k, -1)}
                            >
                              ↑ Up
                            </button>
                            <button
                              type="button"
                              class="secondary"
                              id={`move-${current().id}-${k}-down`}
                              disabled={k === current().options.length - 1 || locked(current())}
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
                  <Show when={!practice && !answered(current())}>
                    <p class="hint">Not answered until you move an item (or confirm the order).</p>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => {
                        setAnswers((a) => ({ ...a, [current().id]: orderOf(current()) }));
                        save(current());
                      }}
                    >
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
                        // One name for every question: the inputs are reused from question to question, and renaming a
                        // checked radio into a group unchecks the group's other radio (a saved answer would not show).
                        name="live-answer"
                        value={i}
                        checked={(answers()[current().id] ?? []).includes(i)}
                        disabled={locked(current())}
                        onChange={() => choose(current(), i)}
                      />
                      <kbd class="key-hint" aria-hidden="true">
                        {i + 1}
                      </kbd>
                      <span>{text()}</span>
                    </label>
                  )}
                </Index>
              </fieldset>
            </Show>
            <Show when={practice}>
              <Show
                when={feedback()[current().id]}
                fallback={
                  <button type="button" class="quiz-check" disabled={busy()} onClick={() => void check(current())}>
                    Check my answer
                  </button>
                }
              >
                {(f) => <PracticeFeedback feedback={f()} />}
              </Show>
            </Show>
            <div class="quiz-nav">
              <button type="button" class="secondary" disabled={index() === 0} onClick={() => go(index() - 1)}>
                Previous
              </button>
              <Show
                when={index() < questions.length - 1}
                fallback={
                  <button type="button" onClick={review}>
                    {practice ? 'Review and finish' : 'Review and submit'}
                  </button>
                }
              >
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
