/**
 * Role-play actions: parse, authorize, delegate to roleplay.server.ts. All accept form posts, so the player works
 * without JavaScript (the page redirects after a successful post) and the island sends the same FormData.
 * A reply is named by its opaque token for this run and step, never by the content's choice id.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { getRoleplay } from '../lib/server/catalog';
import { replyTokenSchema } from '../features/roleplay/reply-tokens.server';
import { chooseReply, replayFrom, restartRun, startRun, viewOf, type Run } from '../features/roleplay/roleplay.server';
import { refusal, signedIn } from './guard';

const idSchema = z.string().trim().min(1, 'Missing run.').max(64, 'Not a run id.');
const stepSchema = z.coerce.number({ error: 'Missing step.' }).int().min(0).max(10_000);

/** A run that is open now: where it is, as the player would show it (words and tokened replies). */
async function started(run: Run) {
  const roleplay = await getRoleplay(run.roleplayId);
  return {
    runId: run.id,
    roleplayId: run.roleplayId,
    practice: run.practice,
    ...(roleplay ? { view: viewOf(roleplay, run) } : {}),
  };
}

export const roleplayActions = {
  roleplay: {
    /** Starts a run, or resumes the open one. */
    start: defineAction({
      accept: 'form',
      input: z.object({ roleplay: slugSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        return started(await startRun(user.id, input.roleplay).catch(refusal));
      },
    }),

    choose: defineAction({
      accept: 'form',
      input: z.object({ run: idSchema, step: stepSchema, reply: replyTokenSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        const result = await chooseReply({
          userId: user.id,
          runId: input.run,
          step: input.step,
          reply: input.reply,
        }).catch(refusal);
        if (result.kind === 'content_changed') {
          // The run was closed (and committed) by chooseReply; tell the learner why and let them start again.
          throw new ActionError({
            code: 'CONFLICT',
            message:
              'This role-play was updated while you were playing, so this run has been closed. Start again to play the new version.',
          });
        }
        if (result.kind === 'ended') {
          return { kind: 'ended' as const, debrief: `/roleplays/${result.run.roleplayId}/runs/${result.run.id}` };
        }
        return { kind: 'next' as const, view: result.view };
      },
    }),

    /** "Abandon this run and start over". */
    abandon: defineAction({
      accept: 'form',
      input: z.object({ run: idSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        return started(await restartRun(user.id, input.run).catch(refusal));
      },
    }),

    /** "Replay from here": a practice run from the node and state of one step of a finished run. */
    replay: defineAction({
      accept: 'form',
      input: z.object({ run: idSchema, step: stepSchema }),
      handler: async (input, ctx) => {
        const user = signedIn(ctx.locals);
        return started(await replayFrom(user.id, input.run, input.step).catch(refusal));
      },
    }),
  },
};
