/** Every Astro Action, one file per domain (see each file for what its actions do). */
import { assignmentActions } from './assignments';
import { attemptActions } from './attempts';
import { certificationActions } from './certification';
import { exerciseActions } from './exercise';
import { judgmentActions } from './judgment';
import { lessonActions } from './lesson';
import { quizActions } from './quiz';
import { roleplayActions } from './roleplay';
import { teamActions } from './team';

export const server = {
  ...roleplayActions,
  ...judgmentActions,
  ...lessonActions,
  ...quizActions,
  ...exerciseActions,
  ...certificationActions,
  ...assignmentActions,
  ...attemptActions,
  ...teamActions,
};
