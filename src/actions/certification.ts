/**
 * Certification actions: an admin revokes a certificate (with a reason); a trainer marks a module version as an
 * editorial change (no recertification) or takes that back. Parse, authorize, delegate to certification.server.ts.
 */
import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { slugSchema } from '../features/content/schema';
import { markVersionEditorial, revokeCertificate } from '../features/certification/certification.server';
import { refusal, withRole } from './guard';

export const certificationActions = {
  certification: {
    revoke: defineAction({
      accept: 'form',
      input: z.object({
        code: z.string().trim().min(1, 'Missing certificate.').max(64, 'Not a certificate code.'),
        reason: z
          .string({ error: 'Give a reason.' })
          .trim()
          .min(5, 'Give a reason of at least 5 characters.')
          .max(500, 'Keep the reason under 500 characters.'),
      }),
      handler: async (input, ctx) => {
        const admin = withRole(ctx.locals, ['admin']);
        await revokeCertificate({ code: input.code, reason: input.reason, admin }).catch(refusal);
        return { code: input.code };
      },
    }),

    markEditorial: defineAction({
      accept: 'form',
      input: z.object({
        module: slugSchema,
        version: z.string().regex(/^[0-9a-f]{8,64}$/, 'Not a content version.'),
        editorial: z.enum(['true', 'false'], { error: 'Say whether the change is editorial.' }),
      }),
      handler: async (input, ctx) => {
        const user = withRole(ctx.locals, ['trainer', 'admin']);
        const editorial = input.editorial === 'true';
        await markVersionEditorial({ moduleId: input.module, version: input.version, editorial, actor: user }).catch(
          refusal,
        );
        return { module: input.module, version: input.version, editorial };
      },
    }),
  },
};
