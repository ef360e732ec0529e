import { z } from 'zod';

import { REVOKE_REASONS, type RevokeReason } from '@pitboss/bonus-domain';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ -');

/** `POST /v1/bonus/grants`. amount_minor: the qualifying amount (deposit, net loss) of match-type offers. */
export const grantRequestSchema = z
  .object({
    player_id: id,
    offer_id: id,
    trigger: z.enum(['deposit', 'manual', 'api', 'registration', 'cashback']),
    trigger_ref: z.string().max(255).default(''),
    amount_minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

export const revokeRequestSchema = z
  .object({
    reason: z.enum(REVOKE_REASONS as [RevokeReason, ...RevokeReason[]]),
    note: z.string().max(500).default(''),
  })
  .strict();

export const grantIdSchema = z.string().uuid();
export const playerIdSchema = id;
