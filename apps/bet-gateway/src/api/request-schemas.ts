import { z } from 'zod';

/**
 * The request bodies of the aggregator API, shared by HTTP and gRPC (and the OpenAPI document). Validation
 * failures become INVALID_REQUEST with the offending field paths.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const id = idSchema;

/** The ISO-4217 codes in current use, as the runtime's ICU (CLDR) knows them: `QQQ` has the shape, not the code. */
const ISO_4217_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

const currency = z
  .string()
  .refine((code) => ISO_4217_CODES.has(code), 'an ISO-4217 currency code in current use, e.g. EUR');

/**
 * Integer minor units, written as an integer: `1.0` or `1e2` arrive as written (see json-request-body.ts) and are
 * refused like strings; integers beyond 2^53 − 1 cannot be carried exactly, so they are refused rather than rounded.
 */
const minorUnits = z
  .number({ invalid_type_error: 'an integer written without fraction or exponent' })
  .int()
  .safe();

const money = (rule: 'positive' | 'non-negative') =>
  z
    .object({
      minor_units: rule === 'positive' ? minorUnits.positive() : minorUnits.nonnegative(),
      currency,
    })
    .strict();

/** ISO 3166-1 alpha-2 country code, upper case (`DE`). */
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, upper case, e.g. DE');

export const openSessionSchema = z
  .object({ player_id: id, game_id: id, currency, country: country.optional() })
  .strict();

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
    /** A free-spin / free-bet entitlement paying the bet: one token, no debit; the stake is its bet value. */
    entitlement_id: id.nullish(),
    /** The game's provider (studio), when the aggregator names it: wagering contributions may depend on it. */
    provider: id.optional(),
    /** Features of the game the bet uses (e.g. `bonus_buy`), checked against the game's flags. */
    features: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a feature name, e.g. bonus_buy'))
      .max(16)
      .optional(),
  })
  .strict();

export const settleBetSchema = z.object({ bet_id: id, round_id: id, win: money('non-negative') }).strict();

export const rollbackBetSchema = z.object({ bet_id: id, reason: z.string().min(1).max(500) }).strict();

export const degradedModeSchema = z
  .object({ no_new_sessions: z.boolean(), reason: z.string().min(1).max(500) })
  .strict();
