/**
 * Rules for the lesson kit's practice and media components, beyond "is it a kit component":
 * - <Check question> holds 2–5 <Option>s, exactly one marked `correct`, each with its own text and `feedback`
 *   (the check is practice: learners get the author's feedback at once and nothing is graded);
 * - <Figure src alt> points at an image under public/media/ and says in `alt` what it shows;
 * - <Audio src title transcript> points at a sound file under public/media/ and carries its transcript, so people who
 *   can't hear it (or can't play it where they are) read it instead.
 * Pure: the media files present are listed in `Content.media`.
 */
import type { Content, Report } from './load';
import type { MdxElement } from './mdx';

export const imageTypes = ['.svg', '.png', '.jpg', '.jpeg', '.webp', '.avif', '.gif'] as const;
export const audioTypes = ['.mp3', '.ogg', '.opus', '.m4a', '.webm', '.wav'] as const;
export const CHECK_OPTIONS = { min: 2, max: 5 } as const;

type Say = (message: string) => void;

/** Checks and options of one file (options are validated with the check they belong to). */
export function checkKnowledgeChecks(elements: readonly MdxElement[], report: Report): void {
  const questions = new Set<string>();
  elements.forEach((el, index) => {
    if (el.name === 'Option' && (el.parent === undefined || elements[el.parent]?.name !== 'Check')) {
      report(el, '<Option> belongs directly inside a <Check>');
    }
    if (el.name !== 'Check') return;
    const say: Say = (message) => report(el, message);
    const question = plain(el, 'question', say);
    if (question === undefined) say('<Check> needs a question, e.g. <Check question="Why does …?">');
    // The question names the check's place on the page (its anchor), so it must be unique in the lesson.
    if (question && questions.has(question.toLowerCase())) say('another <Check> in this lesson asks the same question');
    if (question) questions.add(question.toLowerCase());
    const options = elements.filter((o) => o.parent === index && o.name === 'Option');
    if (options.length < CHECK_OPTIONS.min || options.length > CHECK_OPTIONS.max) {
      say(`<Check> has ${options.length} option${options.length === 1 ? '' : 's'}; give ${CHECK_OPTIONS.min} to ${CHECK_OPTIONS.max} <Option>s`);
    }
    const correct = options.filter((o) => o.attributes.correct !== undefined).length;
    if (options.length > 0 && correct !== 1) {
      say(correct === 0 ? '<Check> has no correct option: mark one <Option correct>' : `<Check> has ${correct} correct options; mark exactly one`);
    }
    const texts = new Set<string>();
    for (const option of options) checkOption(option, texts, (message) => report(option, message));
  });
}

function checkOption(option: MdxElement, texts: Set<string>, say: Say): void {
  const correct = option.attributes.correct;
  if (correct !== undefined && correct !== true) say('`correct` is a flag: write <Option correct …> without a value (leave it out on wrong options)');
  if (plain(option, 'feedback', say) === undefined) say('<Option> needs feedback that says why it is right or wrong, e.g. feedback="…"');
  if (!option.text) say('<Option> is empty: write the answer between <Option …> and </Option>');
  else if (texts.has(option.text.toLowerCase())) say('<Option> repeats another option of this <Check>');
  texts.add(option.text.toLowerCase());
}

export function checkFigure(el: MdxElement, content: Content, say: Say): void {
  checkMediaSource(el, imageTypes, content, say);
  if (plain(el, 'alt', say) === undefined) say('<Figure> needs alt text that says what the image shows, e.g. alt="…"');
  if (el.attributes.caption !== undefined) plain(el, 'caption', say);
  const size = ['width', 'height'].filter((n) => el.attributes[n] !== undefined);
  if (size.length === 1) say('<Figure> needs both width and height (the image\'s size in pixels), or neither');
  for (const name of size) {
    const value = plain(el, name, say);
    if (typeof value === 'string' && !/^[1-9]\d{0,4}$/.test(value)) say(`<Figure> ${name} must be a whole number of pixels, e.g. ${name}="640"`);
  }
}

export function checkAudio(el: MdxElement, content: Content, say: Say): void {
  checkMediaSource(el, audioTypes, content, say);
  if (plain(el, 'title', say) === undefined) say('<Audio> needs a title that says what the recording is, e.g. title="…"');
  if (plain(el, 'transcript', say) === undefined) {
    say('<Audio> needs a transcript, e.g. transcript="…": people who can\'t hear the recording read it instead');
  }
}

/** A `src` under /media/ with one of `types`, present in public/media/. Also used for role-play portraits. */
export function mediaProblem(src: string, types: readonly string[], content: Content): string | undefined {
  if (!/^\/media(?:\/[\w-][\w.-]*)+$/.test(src)) return `"${src}" must be a path under /media/, e.g. /media/greeting/voice${types[0]}`;
  if (!types.some((t) => src.toLowerCase().endsWith(t))) return `"${src}" must be one of ${types.join(', ')}`;
  if (!content.media.has(src)) return `"${src}": there is no file public${src}`;
  return undefined;
}

function checkMediaSource(el: MdxElement, types: readonly string[], content: Content, say: Say): void {
  const src = plain(el, 'src', say);
  if (src === undefined) say(`<${el.name}> needs a src, e.g. src="/media/…${types[0]}"`);
  if (typeof src !== 'string') return;
  const problem = mediaProblem(src, types, content);
  if (problem) say(`<${el.name}> src ${problem}`);
}

/**
 * The attribute as a non-empty plain string, or undefined when it is missing or blank. A `{…}` expression or a bare
 * flag where text is expected is reported here and gives `false`, so callers don't report it twice.
 */
function plain(el: MdxElement, name: string, say: Say): string | undefined | false {
  const value = el.attributes[name];
  if (value === null || value === true) {
    say(`<${el.name}> ${name} must be plain text in quotes, e.g. ${name}="…"`);
    return false;
  }
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
