/**
 * What a manager (own teams) or admin (their organization) does for people from /team and a person's page: remind
 * one member, every overdue one of a team, or everyone overdue in all their teams, and move a due date later. Form
 * posts, so both work without JavaScript. Parse, authorize, delegate.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { extendDueSchema } from '../features/assignments/due-date';
import { extendDueDate } from '../features/assignments/due-date.server';
import { sendNudges, sendNudgesAcrossTeams } from '../features/notifications/nudge.server';
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

    // `count` is the number of people the confirmation showed: if it no longer holds, nothing is sent and the
    // person confirms again, so nobody is reminded who was not on the list they agreed to.
    nudgeAllTeams: defineAction({
      accept: 'form',
      input: z.object({
        count: z.coerce
          .number({ error: 'Confirm how many people to remind.' })
          .int()
          .min(1, 'Confirm how many people to remind.')
          .max(100_000),
      }),
      handler: async (input, ctx) => {
        const user = staffOnly(ctx.locals);
        return await sendNudgesAcrossTeams(user, input.count, siteBaseUrl()).catch(refusal);
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
