import { z } from 'zod';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -');

/**
 * `POST /v1/entitlements`. Every field but player and offer defaults to the offer's (`params.free_rounds`, the
 * validity); a request may ask for less, never more (ENTITLEMENT_OUTSIDE_OFFER).
 */
export const entitlementRequestSchema = z
  .object({
    player_id: id,
    offer_id: id,
    kind: z.enum(['free_spins', 'free_bet']).optional(),
    count: z.number().int().positive().max(10_000).optional(),
    bet_value_minor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    games: z.array(id).max(200).optional(),
    expires_at: z.string().datetime().optional(),
    trigger_ref: z.string().max(255).default(''),
  })
  .strict();

export type EntitlementRequestBody = z.infer<typeof entitlementRequestSchema>;
