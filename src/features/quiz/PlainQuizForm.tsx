/**
 * The quiz without JavaScript. Certification: every question on one form, with "Save my answers" (kept on the
 * server, so a reload or another device continues) beside "Submit answers". Practice: a small form per question
 * whose "Check my answer" saves that answer and brings back its feedback, then "Finish practice".
 */
import { For, Show } from 'solid-js';
import { PracticeFeedback } from './PracticeFeedback';
import { answerFieldName, isOrdering, kindHint, type QuizIslandProps } from './quiz-player';
import type { PublicQuestion } from './quiz';

function Choices(props: { q: PublicQuestion; chosen: number[] | undefined; disabled?: boolean }) {
  const q = props.q;
  return (
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
                <select id={`o-${q.id}-${k()}`} name={answerFieldName(q)} disabled={props.disabled}>
                  <option value="">Choose…</option>
                  <For each={q.options}>
                    {(text, i) => (
                      <option value={i()} selected={props.chosen?.[k()] === i()}>
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
            <input
              type={q.kind === 'multiple' ? 'checkbox' : 'radio'}
              name={answerFieldName(q)}
              value={i()}
              checked={(props.chosen ?? []).includes(i())}
              disabled={props.disabled}
            />
            <span>{text}</span>
          </label>
        )}
      </For>
    </Show>
  );
}

function Legend(props: { q: PublicQuestion; n: number }) {
  return (
    <>
      <legend>
        <span class="quiz-number">Question {props.n + 1}.</span> {props.q.prompt}
      </legend>
      <Show when={props.q.scenario}>
        <p class="quiz-scenario">{props.q.scenario}</p>
      </Show>
      <p class="hint">{kindHint[props.q.kind]}</p>
    </>
  );
}

export function PlainQuizForm(props: QuizIslandProps) {
  return (
    <Show when={props.practice} fallback={<PlainCertificationForm {...props} />}>
      <ol class="quiz-questions">
        <For each={props.quiz.questions}>
          {(q, n) => (
            <li class="quiz-question" id={`question-${q.id}`}>
              <form method="post" action={props.saveAction}>
                <input type="hidden" name="attempt" value={props.attemptId} />
                <fieldset class="quiz-options">
                  <Legend q={q} n={n()} />
                  <Choices q={q} chosen={props.prefill?.[q.id]} disabled={props.feedback?.[q.id] !== undefined} />
                </fieldset>
                <Show when={props.feedback?.[q.id]} fallback={<button type="submit">Check my answer</button>}>
                  {(f) => <PracticeFeedback feedback={f()} />}
                </Show>
              </form>
            </li>
          )}
        </For>
      </ol>
      <form method="post" action={props.submitAction} class="quiz-form">
        <input type="hidden" name="attempt" value={props.attemptId} />
        <p class="hint">
          Practice never counts toward a certificate. Questions you did not check count as wrong in the practice score.
        </p>
        <button type="submit">Finish practice</button>
      </form>
    </Show>
  );
}

function PlainCertificationForm(props: QuizIslandProps) {
  return (
    <form method="post" action={props.submitAction} class="quiz-form">
      <input type="hidden" name="attempt" value={props.attemptId} />
      <ol class="quiz-questions">
        <For each={props.quiz.questions}>
          {(q, n) => (
            <li class="quiz-question">
              <fieldset class="quiz-options">
                <Legend q={q} n={n()} />
                <Choices q={q} chosen={props.prefill?.[q.id]} />
              </fieldset>
            </li>
          )}
        </For>
      </ol>
      <p class="hint">
        Save your answers to come back to them later, on this or another device. You can submit once; unanswered
        questions count as wrong.
      </p>
      <div class="quiz-nav">
        <button type="submit" class="secondary" formaction={props.saveAction}>
          Save my answers
        </button>
        <button type="submit">Submit answers</button>
      </div>
    </form>
  );
}
