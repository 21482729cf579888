/**
 * The MDX kit: every component a lesson may use without importing anything. Module pages pass this object to
 * `<Content components={mdxComponents} />`; the checker (src/features/content/mdx.ts `mdxKit`) knows the same names.
 * <Policy name="…" /> shows one of the organisation's policy values.
 * <Check> with <Option>s is an ungraded knowledge check between sections; <Figure> and <Audio> are media (an image
 * with alt text, a recording with its transcript) served from public/media/.
 * <JudgmentCase>, <RolePlay> and <Exercise> are the engines' own blocks (answering a case in place; cards leading to
 * the role-play player and to the calibration exercise).
 */
import Standard from './Standard.astro';
import Why from './Why.astro';
import KeyPoint from './KeyPoint.astro';
import Example from './Example.astro';
import Quiz from './Quiz.astro';
import Policy from './Policy.astro';
import Check from './Check.astro';
import Option from './Option.astro';
import Figure from './Figure.astro';
import Audio from './Audio.astro';
import JudgmentCase from '../../features/judgment/JudgmentCaseBlock.astro';
import RolePlay from '../../features/roleplay/RoleplayCard.astro';
import Exercise from '../../features/exercise/ExerciseCard.astro';

export const mdxComponents = {
  Standard,
  Why,
  KeyPoint,
  Example,
  JudgmentCase,
  RolePlay,
  Exercise,
  Quiz,
  Policy,
  Check,
  Option,
  Figure,
  Audio,
};
