/**
 * The lesson-steps plugin, run through satteri as Astro runs it: every `##` section gets a "Step n of N" label and
 * ends in a "Continue" link to the next step (the last to the lesson's end); every heading gets a unique id that the
 * links use; lessons only.
 */
import { pathToFileURL } from 'node:url';
import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { LESSON_END_ID, lessonSteps } from '~/features/lesson/lesson-steps';

const lesson = pathToFileURL('/site/content/modules/greeting.mdx');
// Sync for these plugins, but typed as possibly async (a plugin may be).
const render = async (source: string, fileURL = lesson) =>
  (await markdownToHtml(source, { hastPlugins: [lessonSteps], fileURL })).html;

const source = `## Why it matters

Text.

## Use the name

### Use the name

More.

## Use the name
`;

describe('lesson steps', () => {
  it('labels each section and ends it with a Continue link to the next one, the last to the end of the lesson', async () => {
    const html = await render(source);
    expect(html.match(/<p class="lesson-step">Step \d of 3<\/p>/g)).toEqual([
      '<p class="lesson-step">Step 1 of 3</p>',
      '<p class="lesson-step">Step 2 of 3</p>',
      '<p class="lesson-step">Step 3 of 3</p>',
    ]);
    const links = [
      ...html.matchAll(
        /<p class="lesson-continue" data-ends="([^"]*)"><a href="#([^"]*)" data-continue="">([\s\S]*?)<\/a><\/p>/g,
      ),
    ].map((m) => ({ ends: m[1], to: m[2], text: m[3]!.replace(/<[^>]+>/g, '') }));
    expect(links).toEqual([
      { ends: 'why-it-matters', to: 'use-the-name', text: 'Continue Step 2 of 3: Use the name' },
      { ends: 'use-the-name', to: 'use-the-name-2', text: 'Continue Step 3 of 3: Use the name' },
      { ends: 'use-the-name-2', to: LESSON_END_ID, text: 'Continue The end of the lesson' },
    ]);
  });

  it('gives every heading a unique id, in document order, which the links point at', async () => {
    const ids = [...(await render(source)).matchAll(/<h[23] id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['why-it-matters', 'use-the-name', 'use-the-name-1', 'use-the-name-2']);
  });

  it('puts the first label before the first heading and each Continue right before the next label', async () => {
    const html = await render(source);
    expect(html.indexOf('Step 1 of 3')).toBeLessThan(html.indexOf('<h2 id="why-it-matters"'));
    expect(html.indexOf('data-ends="why-it-matters"')).toBeLessThan(html.indexOf('Step 2 of 3'));
    expect(html.indexOf('data-ends="why-it-matters"')).toBeGreaterThan(html.indexOf('Text.'));
  });

  it('leaves job aids and other Markdown alone', async () => {
    const html = await render(source, pathToFileURL('/site/content/job-aids/greeting.mdx'));
    expect(html).not.toContain('lesson-step');
    expect(html).not.toContain('data-continue');
  });

  it('adds nothing to a lesson without sections', async () => {
    expect((await render('Just a paragraph.\n')).trim()).toBe('<p>Just a paragraph.</p>');
  });
});
