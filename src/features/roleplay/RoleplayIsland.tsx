/**
 * The role-play player. It holds only what the server sent: the conversation so far as words, the current node's
 * words and replies (text plus an opaque token for this run and step, in the run's own order), and the meters.
 * Each reply goes to the `roleplay.choose` action with the step it answers; the server grades it and returns the
 * next node, or the debrief address when the run has ended.
 *
 * The conversation is drawn for its channel (ChannelMessage): a call transcript, chat bubbles with a "typing…" cue
 * between turns (no wait and no animation under prefers-reduced-motion), an email thread with the reply as a draft,
 * a public thread with handles. Without JavaScript the same markup is a form: every reply is a submit button named
 * `reply`, posted to the action and answered by the page server-side. Keyboard: replies are buttons in order, and
 * the number keys pick them. New lines land in a `role="log"` region so screen readers hear them.
 */
import { actions, isInputError } from 'astro:actions';
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { channelText, type Channel } from './channel';
import { ChannelMessage, type Speaker } from './ChannelMessage';
import { MoodMeters } from './MoodMeters';
import { changeText, type PublicExchange, type PublicMeter, type PublicNode } from './roleplay';

export interface RoleplayIslandProps {
  personaName: string;
  title: string;
  channel: Channel;
  runId: string;
  step: number;
  node: PublicNode;
  meters: PublicMeter[];
  history: PublicExchange[];
  /** Form action for a reply (the page URL with the action's query string). */
  chooseAction: string;
  /** Form action to start a new run, offered when this one can no longer continue. */
  startAction: string;
  roleplayId: string;
  /** A refusal from a no-JS post, shown above the replies. */
  error?: string;
}

/** Refusals from our actions are one short sentence; anything else (a proxy's error page…) is not shown raw. */
function readable(message: string): boolean {
  return message.length > 0 && message.length < 300 && !message.trimStart().startsWith('<');
}

type Line = { who: Speaker; text: string };

function linesOf(history: PublicExchange[], node: PublicNode): Line[] {
  const out: Line[] = [];
  for (const h of history) {
    if (h.narration) out.push({ who: 'scene', text: h.narration });
    out.push({ who: 'them', text: h.line }, { who: 'you', text: h.reply });
  }
  if (node.narration) out.push({ who: 'scene', text: node.narration });
  out.push({ who: 'them', text: node.line });
  return out;
}

const TYPING_MS = 900;

function reducedMotion(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
}

export function RoleplayIsland(props: RoleplayIslandProps) {
  const words = channelText(props.channel, props.personaName, props.title);
  const [lines, setLines] = createSignal<Line[]>(linesOf(props.history, props.node));
  const [node, setNode] = createSignal<PublicNode | undefined>(props.node);
  const [step, setStep] = createSignal(props.step);
  const [meters, setMeters] = createSignal(props.meters);
  const [previous, setPrevious] = createSignal<PublicMeter[] | undefined>(undefined);
  const [busy, setBusy] = createSignal(false);
  const [typing, setTyping] = createSignal(false);
  const [error, setError] = createSignal(props.error ?? '');
  const [closed, setClosed] = createSignal(false);
  const [status, setStatus] = createSignal('');
  let choicesEl: HTMLOListElement | undefined;

  async function choose(token: string) {
    const current = node();
    if (busy() || !current) return;
    const reply = current.choices.find((c) => c.token === token);
    if (!reply) return;
    setBusy(true);
    setError('');
    const form = new FormData();
    form.set('run', props.runId);
    form.set('step', String(step()));
    form.set('reply', token);
    const { data, error: failure } = await actions.roleplay.choose(form);
    if (failure) {
      setBusy(false);
      setError(
        isInputError(failure) || !readable(failure.message)
          ? 'Your reply could not be sent. Reload the page and try again.'
          : failure.message,
      );
      if (failure.code === 'CONFLICT' || failure.code === 'NOT_FOUND') setClosed(true);
      return;
    }
    setLines((l) => [...l, { who: 'you', text: reply.text }]);
    if (data.kind === 'ended') {
      setNode(undefined);
      setStatus('The conversation has ended. Opening your debrief.');
      window.location.assign(data.debrief);
      return;
    }
    const next = data.view.node!;
    setNode(undefined);
    if (words.typing && !reducedMotion()) {
      setTyping(true);
      await new Promise((ok) => setTimeout(ok, TYPING_MS));
      setTyping(false);
    }
    const before = meters();
    setPrevious(before);
    setMeters(data.view.meters);
    setStep(data.view.run.step);
    setLines((l) => [
      ...l,
      ...(next.narration ? [{ who: 'scene' as const, text: next.narration }] : []),
      { who: 'them' as const, text: next.line },
    ]);
    setNode(next);
    setBusy(false);
    setStatus(
      data.view.meters
        .map((m) => {
          const d = m.value - (before.find((p) => p.name === m.name)?.value ?? m.value);
          return d === 0 ? '' : `${m.label} ${changeText(d, m.better)}, now ${m.value} of ${m.max}.`;
        })
        .filter(Boolean)
        .join(' '),
    );
    choicesEl?.querySelector('button')?.focus();
  }

  function onSubmit(e: SubmitEvent) {
    e.preventDefault();
    const submitter = e.submitter as HTMLButtonElement | null;
    if (submitter?.value) void choose(submitter.value);
  }

  function onKey(e: KeyboardEvent) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const target = e.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    const n = Number(e.key);
    const choice = Number.isInteger(n) && n >= 1 ? node()?.choices[n - 1] : undefined;
    if (!choice) return;
    e.preventDefault();
    void choose(choice.token);
  }

  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => typeof document !== 'undefined' && document.removeEventListener('keydown', onKey));

  return (
    <div class={`rp-player rp-ch-${props.channel}`}>
      <MoodMeters meters={meters()} previous={previous()} heading={`How ${props.personaName} feels`} />
      <section class="rp-convo" aria-labelledby="rp-convo-title">
        <header class="rp-convo-head">
          <h2 id="rp-convo-title">{words.title}</h2>
          <p>{words.setting}</p>
        </header>
        <div class="rp-chat" role="log" aria-label="Conversation">
          <ol>
            <For each={lines()}>
              {(l) => (
                <li>
                  <ChannelMessage channel={props.channel} text={words} who={l.who} words={l.text} />
                </li>
              )}
            </For>
            <Show when={typing()}>
              <li class="rp-typing" aria-hidden="true">
                <span class="rp-dots">
                  <i />
                  <i />
                  <i />
                </span>{' '}
                {words.typing}
              </li>
            </Show>
          </ol>
        </div>
      </section>
      <p class="visually-hidden" role="status">
        {status()}
      </p>
      <Show when={error()}>
        <div class="notice bad" role="alert">
          <p>{error()}</p>
        </div>
      </Show>
      <Show when={closed()}>
        <form method="post" action={props.startAction}>
          <input type="hidden" name="roleplay" value={props.roleplayId} />
          <button type="submit">Start again</button>
        </form>
      </Show>
      <Show when={node() && !closed()}>
        <form method="post" action={props.chooseAction} onSubmit={onSubmit} aria-busy={busy()} class="rp-reply-form">
          <input type="hidden" name="run" value={props.runId} />
          <input type="hidden" name="step" value={step()} />
          <fieldset class="rp-choices">
            <legend>Your reply</legend>
            <Show when={props.channel === 'email'}>
              <p class="rp-draft-head">
                To: {props.personaName} · Subject: {words.title}
              </p>
            </Show>
            <p class="hint">{words.replyHint}</p>
            <ol ref={choicesEl}>
              <For each={node()!.choices}>
                {(c, i) => (
                  <li>
                    <button type="submit" name="reply" value={c.token} class="rp-choice" disabled={busy()}>
                      <kbd aria-hidden="true">{i() + 1}</kbd>
                      <span>{c.text}</span>
                    </button>
                  </li>
                )}
              </For>
            </ol>
          </fieldset>
        </form>
      </Show>
    </div>
  );
}
