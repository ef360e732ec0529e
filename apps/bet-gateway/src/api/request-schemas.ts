import { z } from 'zod';

/**
 * The request bodies of the aggregator API, shared by HTTP and gRPC (and the OpenAPI document). Validation
 * failures become INVALID_REQUEST with the offending field paths.
 */
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

const currency = z.string().regex(/^[A-Z]{3}$/, 'ISO-4217 alphabetic code, e.g. EUR');

/** Integer minor units; JSON numbers above 2^53 lose precision, so they are refused rather than rounded. */
const minorUnits = z.number().int().safe();

const money = (rule: 'positive' | 'non-negative') =>
  z
    .object({
      minor_units: rule === 'positive' ? minorUnits.positive() : minorUnits.nonnegative(),
      currency,
    })
    .strict();

export const openSessionSchema = z.object({ player_id: id, game_id: id, currency }).strict();

export const authorizeBetSchema = z
  .object({
    bet_id: id,
    round_id: id,
    session_id: id,
    player_id: id,
    game_id: id,
    game_type: id,
    amount: money('positive'),
    bonus_grant_id: id.nullish(),
  })
  .strict();

export const settleBetSchema = z.object({ bet_id: id, round_id: id, win: money('non-negative') }).strict();

export const rollbackBetSchema = z.object({ bet_id: id, reason: z.string().min(1).max(500) }).strict();

export const degradedModeSchema = z
  .object({ no_new_sessions: z.boolean(), reason: z.string().min(1).max(500) })
  .strict();
