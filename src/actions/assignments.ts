/**
 * Assignment actions: a manager (own teams) or admin (any team of the organization) assigns a track to a team or
 * one member with a due date; a learner dismisses one of their reminders. Form posts, so both work without
 * JavaScript. Parse, authorize, delegate to src/features/assignments/.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { assignFormSchema, isoDateOf } from '../features/assignments/assignments';
import { assignTrack } from '../features/assignments/assignments.server';
import { dismissNotice } from '../features/notifications/reminders.server';
import { now } from '../lib/server/clock';
import { refusal, signedIn, withRole } from './guard';

export const assignmentActions = {
  assignments: {
    assign: defineAction({
      accept: 'form',
      input: assignFormSchema(() => isoDateOf(now())),
      handler: async (input, ctx) => {
        const user = withRole(ctx.locals, ['manager', 'admin'], 'Only managers and admins assign training.');
        return await assignTrack(user, input).catch(refusal);
      },
    }),

    dismissNotice: defineAction({
      accept: 'form',
      input: z.object({ notice: z.string({ error: 'Missing notice.' }).trim().min(1, 'Missing notice.').max(64) }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        if (!(await dismissNotice(user.id, input.notice))) {
          throw new ActionError({ code: 'NOT_FOUND', message: 'That reminder is not there any more.' });
        }
        return { dismissed: input.notice };
      },
    }),
  },
};
