/**
 * What a manager (own teams) or admin (their organization) does for people from /team and a person's page: remind
 * one member or every overdue one, and move a due date later. Form posts, so both work without JavaScript.
 * Parse, authorize, delegate.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { extendDueSchema } from '../features/assignments/due-date';
import { extendDueDate } from '../features/assignments/due-date.server';
import { sendNudges } from '../features/notifications/nudge.server';
import { siteBaseUrl } from '../lib/server/site';
import { refusal, withRole } from './guard';

const staffOnly = (locals: App.Locals) => withRole(locals, ['manager', 'admin'], 'Only managers and admins do this.');

export const teamActions = {
  team: {
    nudge: defineAction({
      accept: 'form',
      input: z.object({
        team: z.string({ error: 'Choose a team.' }).trim().min(1, 'Choose a team.').max(64),
        who: z.string({ error: 'Choose who to remind.' }).trim().min(1, 'Choose who to remind.').max(64),
      }),
      handler: async (input, ctx) => {
        const user = staffOnly(ctx.locals);
        return await sendNudges(user, input, siteBaseUrl()).catch(refusal);
      },
    }),

    extendDue: defineAction({
      accept: 'form',
      input: extendDueSchema,
      handler: async (input, ctx) => {
        const user = staffOnly(ctx.locals);
        return await extendDueDate(user, input).catch(refusal);
      },
    }),
  },
};
