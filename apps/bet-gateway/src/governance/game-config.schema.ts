import { z } from 'zod';

import { type GameConfig } from '@pitboss/betting-domain';

import { idSchema } from '../api/request-schemas';

const ISO_4217_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const minorUnits = z.number().int().safe().nonnegative();
const basisPoints = z.number().int().min(0).max(10_000);

const stakeLimit = z
  .object({
    currency: z.string().refine((code) => ISO_4217_CODES.has(code), 'an ISO-4217 currency code'),
    min_minor_units: minorUnits,
    max_minor_units: minorUnits,
  })
  .strict()
  .refine((limit) => limit.min_minor_units <= limit.max_minor_units, 'min_minor_units ≤ max_minor_units');

const math = z
  .object({
    version: idSchema,
    certified_rtp_bp: basisPoints,
    rtp_corridor_bp: z.object({ min: basisPoints, max: basisPoints }).strict(),
    certificate: z.string().min(1).max(200),
  })
  .strict();

/** A game's configuration as a `game_config` change request proposes it: the whole new version. */
export const gameConfigSchema: z.ZodType<GameConfig> = z
  .object({
    game_id: idSchema,
    region: idSchema,
    stake_limits: z.array(stakeLimit).max(50),
    denominations: z.array(minorUnits.positive()).max(50),
    geo_bans: z.array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case')).max(300),
    features: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/), z.boolean()),
    math: math.nullable(),
  })
  .strict();

/** The namespace and key of a game's config versions. */
export const GAME_CONFIG_NAMESPACE = 'game_config';
export function gameConfigKey(gameId: string, region: string): string {
  return `${gameId}:${region}`;
}
