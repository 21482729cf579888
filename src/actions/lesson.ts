/**
 * Lesson actions: a learner finishes a lesson (records the "lesson read" fact for the module's current version).
 * A form post, so it works without JavaScript; finishing twice changes nothing.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { completeLesson } from '../features/lesson/lesson.server';
import { refusal, signedIn } from './guard';

export const lessonActions = {
  lesson: {
    complete: defineAction({
      accept: 'form',
      input: z.object({ module: slugSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const completion = await completeLesson(user.id, input.module).catch(refusal);
        return { module: completion.moduleId, completedAt: completion.completedAt };
      },
    }),
  },
};
