import { z } from 'zod';

import { CHANNELS, OFFER_TYPES, type OfferTerms, PRODUCTS, WAGERING_BASES } from '@pitboss/bonus-domain';

// Shapes of the offers API bodies. Fields left out take the default shown; cross-field rules (a match needs a
// percentage, wagering needs a schema, ...) are offerTermsProblems' (422 OFFER_INVALID), not the schema's.

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positiveMinor = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits and _ . : - (starting with a letter or digit)');
const days = z.number().int().min(1).max(3_650);
const instant = z.string().datetime({ message: 'an ISO-8601 UTC instant, e.g. 2026-03-01T00:00:00Z' });
const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(200).nullable().default(null);

const paramsSchema = z
  .object({
    match_pct: z.number().int().min(1).max(1_000).nullable().default(null),
    cap_minor: positiveMinor.nullable().default(null),
    amount_minor: positiveMinor.nullable().default(null),
    wager_x: z.number().int().min(0).max(200).default(0),
    wagering_base: z.enum(WAGERING_BASES).default('bonus'),
    sticky: z.boolean().default(false),
    max_bet_minor: positiveMinor.nullable().default(null),
    max_win_minor: minor.nullable().default(null),
    validity_days: days.default(30),
    wagering_window_days: days.nullable().default(null),
    contribution_schema: z
      .object({ id, version: z.number().int().min(1).nullable().default(null) })
      .strict()
      .nullable()
      .default(null),
    free_rounds: z
      .object({
        count: z.number().int().min(1).max(10_000),
        bet_value_minor: positiveMinor,
        games: z.array(id).max(500).default([]),
      })
      .strict()
      .nullable()
      .default(null),
    qualifying_product: z.enum(PRODUCTS).nullable().default(null),
    reward_product: z.enum(PRODUCTS).default('casino'),
  })
  .strict();

const eligibilitySchema = z
  .object({
    brands: list(id),
    segments: list(id),
    countries: list(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case')),
    licences: list(z.string().regex(/^[A-Z]{2,8}$/, 'a licence code, upper case (GB, SE, ...)')),
    channels: list(z.enum(CHANNELS)),
    min_kyc_level: z.number().int().min(0).max(3).nullable().default(null),
    rg_clear: z.boolean().default(true),
    min_account_age_days: z.number().int().min(0).max(36_500).nullable().default(null),
    first_deposit_only: z.boolean().default(false),
  })
  .strict();

const scheduleSchema = z
  .object({ starts_at: instant.nullable().default(null), ends_at: instant.nullable().default(null) })
  .strict();

const limitsSchema = z
  .object({
    once_per_player: z.boolean().default(false),
    per_period: z
      .object({ count: z.number().int().min(1).max(10_000), period_days: days })
      .strict()
      .nullable()
      .default(null),
    budget_minor: positiveMinor.nullable().default(null),
    max_grants: z.number().int().min(1).max(100_000_000).nullable().default(null),
  })
  .strict();

/** Every field of an offer's terms, with its default. */
export const offerTermsSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.enum(OFFER_TYPES),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO-4217, upper case'),
    params: paramsSchema.default({}),
    eligibility: eligibilitySchema.default({}),
    schedule: scheduleSchema.default({}),
    limits: limitsSchema.default({}),
    conflict_group: id.nullable().default(null),
    priority: z.number().int().min(-1_000).max(1_000).default(0),
  })
  .strict();

/** `POST /v1/offers`: the terms, and the offer's id if the caller chooses it (else a UUID is given). */
export const createOfferSchema = offerTermsSchema.extend({ offer_id: id.optional() }).strict();

const section = z.record(z.unknown());

/**
 * `PATCH /v1/offers/{id}`: top-level fields replace the draft's; the sections (params, eligibility, schedule,
 * limits) are merged field by field over the draft's; the result is validated as a whole.
 */
export const editOfferSchema = z
  .object({
    name: z.unknown(),
    type: z.unknown(),
    currency: z.unknown(),
    params: section,
    eligibility: section,
    schedule: section,
    limits: section,
    conflict_group: z.unknown(),
    priority: z.unknown(),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');

export type EditOffer = z.infer<typeof editOfferSchema>;

/** The draft after an edit, before validation: sections merged, other fields replaced. */
export function mergeDraft(draft: OfferTerms, edit: EditOffer): Record<string, unknown> {
  const { params, eligibility, schedule, limits, ...fields } = edit;
  return {
    ...draft,
    ...fields,
    params: { ...draft.params, ...params },
    eligibility: { ...draft.eligibility, ...eligibility },
    schedule: { ...draft.schedule, ...schedule },
    limits: { ...draft.limits, ...limits },
  };
}

export const reasonSchema = z.object({ reason: z.string().trim().min(1, 'say why').max(1_000) }).strict();

export const optionalReasonSchema = z.object({ reason: z.string().trim().max(1_000).default('') }).strict();

export const eligibilityRequestSchema = z
  .object({
    player_id: z.string().min(1).max(128),
    context: z
      .object({
        at: instant.optional(),
        channel: z.enum(CHANNELS).optional(),
        deposit_id: z.string().min(1).max(128).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export const OFFER_LIST_STATUSES = ['draft', 'active', 'paused', 'retired'] as const;

export const listOffersQuerySchema = z
  .object({
    status: z.enum(OFFER_LIST_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const offerIdSchema = id;
