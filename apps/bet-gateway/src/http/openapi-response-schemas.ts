import { z } from 'zod';

import { type PublicBetStatus } from '@pitboss/betting-domain';
import { documentField } from '@pitboss/openapi';

import { settleBetSchema } from '../api/request-schemas';
import { type GatewayMode } from '../degraded-mode/degraded-mode.service';

// The gateway's answers, as zod schemas the OpenAPI generator reads; `.openapi('Name')` makes a component.

/**
 * request-schemas.ts checks a currency with a refinement against the runtime's ISO-4217 list (ICU), which the
 * generator cannot read off zod; the document lists the same codes from the same source, and the parity samples
 * of openapi-request-bodies.unit.spec.ts keep the two equal.
 */
export const CURRENCY_DOC = {
  type: 'string',
  enum: Intl.supportedValuesOf('currency'),
  description: 'ISO-4217 alphabetic code in current use, e.g. EUR.',
} as const;

export const moneySchema = documentField(settleBetSchema, 'win.currency', CURRENCY_DOC).shape.win.openapi(
  'Money',
  { description: 'Integer minor units of an ISO-4217 currency.' },
);

export const sessionSchema = z.object({
  session_id: z.string().uuid(),
  expires_at: z.string().datetime().openapi({ description: 'Authorize refuses the session after this.' }),
});

export const authorizedSchema = z.object({
  status: z.enum(['authorized']),
  bet_id: z.string(),
  balance: moneySchema.nullable().openapi({
    description:
      "The player's balance after the debit, as the wallet reported it; null for an entitlement bet (no debit).",
  }),
});

export function betStatusSchema(statuses: readonly [PublicBetStatus, ...PublicBetStatus[]]) {
  return z.object({ status: z.enum(statuses), bet_id: z.string() });
}

/** Every status GET /v1/bets answers: the public ones plus `debit_pending` while the wallet call is in flight. */
const BET_STATUSES = [
  'debit_pending',
  'authorized',
  'rejected',
  'rollback_pending',
  'rolled_back',
  'pending_credit',
  'credited',
  'compensated',
] as const;
// Compile-time guard: a new public status fails the build until it is documented here.
type Undocumented = Exclude<PublicBetStatus, (typeof BET_STATUSES)[number]>;
const everyStatusDocumented: [Undocumented] extends [never] ? true : never = true;
void everyStatusDocumented;

const nullableString = z.string().nullable();

export const betViewSchema = z
  .object({
    bet_id: z.string(),
    round_id: nullableString,
    session_id: nullableString,
    player_id: nullableString,
    game_id: nullableString,
    game_type: nullableString,
    amount: moneySchema.nullable(),
    win: moneySchema.nullable().openapi({ description: 'The accepted win, once settled.' }),
    bonus_grant_id: nullableString,
    status: z.enum(BET_STATUSES).openapi({
      description:
        '`debit_pending`: the wallet call is in flight; `rejected`: the wallet refused (no money moved); ' +
        '`rollback_pending` → `rolled_back`; `pending_credit` → `credited` | `compensated`.',
    }),
    history: z
      .array(
        z.object({
          type: z.string(),
          occurred_at: z.string().datetime(),
          data: z.record(z.unknown()),
        }),
      )
      .openapi({
        description: "The bet's events, oldest first (`bet.debit_requested`, `bet.authorized`, …).",
      }),
  })
  .openapi('BetView');

export const roundViewSchema = z.object({ round_id: z.string(), bets: z.array(betViewSchema) });

export const gatewayModeSchema = z
  .object({
    no_new_sessions: z.boolean(),
    source: z.enum(['manual', 'backlog']).nullable().openapi({
      description:
        "`manual`: an operator switched it; `backlog`: too many of the tenant's settlements wait for their credit.",
    }),
    reason: z.string(),
    settlement_backlog: z.record(z.number().int()).openapi({
      description: 'Settlements accepted and not yet credited or compensated, per tenant (last sample).',
    }),
  })
  .openapi('GatewayMode');
// Compile-time guard: the documented mode is the type GET /v1/admin/mode answers, field for field.
type Documented = z.infer<typeof gatewayModeSchema>;
const modeDocumented: [GatewayMode, Documented] extends [Documented, GatewayMode] ? true : never = true;
void modeDocumented;

export const BET_VIEW_EXAMPLE = {
  bet_id: 'bet-1',
  round_id: 'round-1',
  session_id: '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41',
  player_id: 'player-42',
  game_id: 'starburst',
  game_type: 'slot',
  amount: { minor_units: 250, currency: 'EUR' },
  win: { minor_units: 500, currency: 'EUR' },
  bonus_grant_id: null,
  status: 'credited',
  history: [
    { type: 'bet.debit_requested', occurred_at: '2025-01-01T00:00:00.120Z', data: { bet_id: 'bet-1' } },
    { type: 'bet.authorized', occurred_at: '2025-01-01T00:00:00.180Z', data: { bet_id: 'bet-1' } },
    { type: 'settlement.requested', occurred_at: '2025-01-01T00:00:03.020Z', data: { bet_id: 'bet-1' } },
    { type: 'bet.credit_confirmed', occurred_at: '2025-01-01T00:00:03.400Z', data: { bet_id: 'bet-1' } },
  ],
};

export const GATEWAY_MODE_EXAMPLE = {
  no_new_sessions: true,
  source: 'manual',
  reason: 'wallet maintenance 02:00-02:30 UTC',
  settlement_backlog: { 'tenant-a': 3, 'tenant-b': 0 },
};
