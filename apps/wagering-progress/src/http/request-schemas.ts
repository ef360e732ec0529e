import { z } from 'zod';

/** A grant or schema id in a path, under the same rules as ids in bodies. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const grantIdParams = z.object({ id: idSchema });

export const contributionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1_000).default(100),
    /** The `next_after` of the previous page: receipts after that one. */
    after: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export const recomputeQuerySchema = z
  .object({
    schema_version: z.coerce.number().int().min(1),
    /** Another schema than the grant's pinned one (default: the pinned schema, at another version). */
    schema_id: idSchema.optional(),
  })
  .strict();

export const exportQuerySchema = z.object({ format: z.enum(['csv', 'json']).default('json') }).strict();
