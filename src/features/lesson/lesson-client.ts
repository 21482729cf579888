/**
 * The lesson page in the browser: progressive enhancement only. Without it every part still works — a knowledge
 * check reloads the page with its feedback, "Continue" is an anchor link, "Finish the lesson" is a form post.
 *
 * - Checks (`form[data-check]`): show the chosen option's feedback in place and read it out through the check's
 *   status line, with no reload.
 * - "Continue" (`a[data-continue]`): move focus to the next step's heading (or the lesson's end), not just scroll.
 * - Progress: a section counts as read once its "Continue" has been scrolled into view (the reader reached its end)
 *   or pressed; the outline ticks it off and counts. Kept per lesson in localStorage, so it survives a reload.
 * - After "Finish the lesson" (no-JS post, reloaded at #lesson-end), focus goes to "Lesson complete".
 */
const reduceMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function enhanceLesson(doc: Document): void {
  for (const form of doc.querySelectorAll<HTMLFormElement>('form[data-check]')) enhanceCheck(form);
  const article = doc.querySelector<HTMLElement>('[data-lesson]');
  if (!article) return;
  const progress = trackProgress(doc, article.dataset.lesson ?? '');
  for (const link of doc.querySelectorAll<HTMLAnchorElement>('a[data-continue]')) {
    link.addEventListener('click', (event) => {
      const id = decodeURIComponent(link.hash.slice(1));
      const target = doc.getElementById(id);
      if (!target) return;
      event.preventDefault();
      progress.markRead(link.closest<HTMLElement>('[data-ends]')?.dataset.ends);
      const heading = target.matches('h1, h2, h3, h4, h5, h6')
        ? target
        : (target.querySelector<HTMLElement>('h2') ?? target);
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.scrollIntoView({ behavior: reduceMotion() ? 'auto' : 'smooth', block: 'start' });
      heading.focus({ preventScroll: true });
      history.replaceState(history.state, '', `#${id}`);
    });
  }
  // Just finished (the form post reloaded the page at #lesson-end): announce it by moving focus to "Lesson complete",
  // once the browser has finished jumping to the fragment, which would otherwise take the focus back.
  if (doc.querySelector('[data-just-completed]')) {
    const focusEnd = () => doc.getElementById('lesson-end-title')?.focus();
    if (doc.readyState === 'complete') focusEnd();
    else window.addEventListener('load', focusEnd, { once: true });
  }
}

function enhanceCheck(form: HTMLFormElement): void {
  const status = form.querySelector<HTMLElement>('[data-check-status]');
  form.addEventListener('submit', (event) => {
    const chosen = form.querySelector<HTMLInputElement>('input[name="choice"]:checked');
    if (!chosen) return;
    event.preventDefault();
    for (const feedback of form.querySelectorAll<HTMLElement>('[data-feedback]')) feedback.hidden = true;
    const feedback = chosen.closest('.check-option')?.querySelector<HTMLElement>('[data-feedback]');
    if (!feedback) return;
    feedback.hidden = false;
    // Emptied first, so the same answer checked twice is read out again.
    if (status) {
      status.textContent = '';
      window.setTimeout(() => (status.textContent = feedback.textContent?.replace(/^[✓✗]\s*/, '').trim() ?? ''), 50);
    }
  });
}

interface Progress {
  markRead(slug: string | undefined): void;
}

function trackProgress(doc: Document, lesson: string): Progress {
  const box = doc.querySelector<HTMLElement>('[data-lesson-progress]');
  const total = Number(box?.dataset.sections ?? 0);
  const key = `frontline:lesson-read:${lesson}`;
  const completed = doc.querySelector('[data-completed]') !== null;
  const read = new Set<string>(
    completed
      ? [...doc.querySelectorAll<HTMLElement>('[data-outline]')].map((li) => li.dataset.outline ?? '')
      : load(key),
  );

  const render = () => {
    for (const li of doc.querySelectorAll<HTMLElement>('[data-outline]'))
      li.toggleAttribute('data-read', read.has(li.dataset.outline ?? ''));
    const count = [...doc.querySelectorAll<HTMLElement>('[data-outline]')].filter((li) =>
      read.has(li.dataset.outline ?? ''),
    ).length;
    const bar = box?.querySelector('progress');
    const label = box?.querySelector('[data-lesson-progress-count]');
    if (bar) bar.value = count;
    if (label) label.textContent = String(count);
    box?.removeAttribute('data-pending');
  };
  const markRead = (slug: string | undefined) => {
    if (!slug || read.has(slug)) return;
    read.add(slug);
    save(key, read);
    render();
  };

  render();
  if (total > 0 && 'IntersectionObserver' in window) {
    // Counted once the "Continue" has risen into the top two thirds of the window: the reader has scrolled to the
    // end of the section, not merely loaded a page whose first section happens to be short.
    const seen = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          markRead((entry.target as HTMLElement).dataset.ends);
          seen.unobserve(entry.target);
        }
      },
      { rootMargin: '0px 0px -33% 0px' },
    );
    for (const marker of doc.querySelectorAll<HTMLElement>('[data-ends]')) seen.observe(marker);
  }
  return { markRead };
}

function load(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function save(key: string, read: Set<string>): void {
  try {
    localStorage.setItem(key, JSON.stringify([...read]));
  } catch {
    // Storage full or blocked: progress still shows for this visit.
  }
}
