/**
 * Role-play actions: parse, authorize, delegate to roleplay.server.ts. Both accept form posts, so the player works
 * without JavaScript (the page redirects after a successful post) and the island sends the same FormData.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { chooseReply, RoleplayError, startRun } from '../features/roleplay/roleplay.server';

const idSchema = z.string().trim().min(1, 'Missing run.').max(64, 'Not a run id.');

function signedIn(locals: App.Locals) {
  if (!locals.user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return locals.user;
}

function refusal(e: unknown): never {
  if (e instanceof RoleplayError) throw new ActionError({ code: e.code, message: e.message });
  throw e;
}

export const roleplayActions = {
  roleplay: {
    start: defineAction({
      accept: 'form',
      input: z.object({ roleplay: slugSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const run = await startRun(user.id, input.roleplay).catch(refusal);
        return { runId: run.id, roleplayId: run.roleplayId };
      },
    }),

    choose: defineAction({
      accept: 'form',
      input: z.object({
        run: idSchema,
        step: z.coerce.number({ error: 'Missing step.' }).int().min(0).max(10_000),
        choice: slugSchema,
      }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const result = await chooseReply({ userId: user.id, runId: input.run, step: input.step, choiceId: input.choice }).catch(refusal);
        if (result.kind === 'content_changed') {
          // The run was closed (and committed) by chooseReply; tell the learner why and let them start again.
          throw new ActionError({
            code: 'CONFLICT',
            message: 'This role-play was updated while you were playing, so this run has been closed. Start again to play the new version.',
          });
        }
        if (result.kind === 'ended') {
          return { kind: 'ended' as const, debrief: `/roleplays/${result.run.roleplayId}/runs/${result.run.id}` };
        }
        return { kind: 'next' as const, view: result.view };
      },
    }),
  },
};
