/**
 * What a manager (own teams) or admin (their organization) does for people from /team and a person's page: remind
 * one member or every overdue one, and move a due date later. Form posts, so both work without JavaScript.
 * Parse, authorize, delegate.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { extendDueSchema } from '../features/assignments/due-date';
import { extendDueDate } from '../features/assignments/due-date.server';
import { AssignmentError } from '../features/assignments/assignments.server';
import { NudgeError, sendNudges } from '../features/notifications/nudge.server';
import { siteBaseUrl } from '../lib/server/site';

const staffOnly = (role: string | undefined) => {
  if (!role) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  if (role !== 'manager' && role !== 'admin') throw new ActionError({ code: 'FORBIDDEN', message: 'Only managers and admins do this.' });
};

export const teamActions = {
  team: {
    nudge: defineAction({
      accept: 'form',
      input: z.object({
        team: z.string({ error: 'Choose a team.' }).trim().min(1, 'Choose a team.').max(64),
        who: z.string({ error: 'Choose who to remind.' }).trim().min(1, 'Choose who to remind.').max(64),
      }),
      handler: async (input, ctx) => {
        const user = ctx.locals.user;
        staffOnly(user?.role);
        try {
          return await sendNudges(user!, input, siteBaseUrl());
        } catch (e) {
          if (e instanceof NudgeError) throw new ActionError({ code: e.code, message: e.message });
          throw e;
        }
      },
    }),

    extendDue: defineAction({
      accept: 'form',
      input: extendDueSchema,
      handler: async (input, ctx) => {
        const user = ctx.locals.user;
        staffOnly(user?.role);
        try {
          return await extendDueDate(user!, input);
        } catch (e) {
          if (e instanceof AssignmentError) throw new ActionError({ code: e.code, message: e.message });
          throw e;
        }
      },
    }),
  },
};
