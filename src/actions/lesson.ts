/**
 * Lesson actions: a learner finishes a lesson (records the "lesson read" fact for the module's current version).
 * A form post, so it works without JavaScript; finishing twice changes nothing.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { completeLesson, LessonError } from '../features/lesson/lesson.server';

export const lessonActions = {
  lesson: {
    complete: defineAction({
      accept: 'form',
      input: z.object({ module: slugSchema }),
      handler: async (input, ctx) => {
        const user = ctx.locals.user;
        if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
        const completion = await completeLesson(user.id, input.module).catch((e: unknown) => {
          if (e instanceof LessonError) throw new ActionError({ code: e.code, message: e.message });
          throw e;
        });
        return { module: completion.moduleId, completedAt: completion.completedAt };
      },
    }),
  },
};
