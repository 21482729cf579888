/**
 * The MDX kit: every component a lesson may use without importing anything. Module pages pass this object to
 * `<Content components={mdxComponents} />`; the checker (src/features/content/mdx.ts `mdxKit`) knows the same names.
 * <Policy name="…" /> shows one of the organisation's policy values.
 * <JudgmentCase>, <RolePlay> and <Exercise> are the engines' own blocks (answering a case in place; cards leading to
 * the role-play player and to the calibration exercise).
 */
import Standard from './Standard.astro';
import Why from './Why.astro';
import KeyPoint from './KeyPoint.astro';
import Example from './Example.astro';
import Quiz from './Quiz.astro';
import Policy from './Policy.astro';
import JudgmentCase from '../../features/judgment/JudgmentCaseBlock.astro';
import RolePlay from '../../features/roleplay/RoleplayCard.astro';
import Exercise from '../../features/exercise/ExerciseCard.astro';

export const mdxComponents = { Standard, Why, KeyPoint, Example, JudgmentCase, RolePlay, Exercise, Quiz, Policy };
