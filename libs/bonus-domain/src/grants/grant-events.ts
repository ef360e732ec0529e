import { type Money } from './grant-money';

/**
 * The events of one grant's stream (`grant:<tenant>:<grant_id>`). Public ones carry their wire type
 * (`bonus.issued`, ...) and go to promo.grants.v1 through the outbox; `grant.*` ones are private steps of the
 * saga (intent before a wallet call, its outcome after), kept in the stream only.
 */

/** The wagering terms a grant carries, frozen at issue from the offer version (bonus.issued's fields). */
export interface GrantTerms {
  readonly offer_id: string;
  readonly offer_version: number;
  readonly amount: Money;
  /** Where the wallet credits the bonus: `bonus` (the grant's funds) when it must be wagered, else `cash`. */
  readonly credit_balance: 'bonus' | 'cash';
  readonly wagering_required: Money | null;
  readonly wagering_base: 'bonus' | 'deposit_plus_bonus';
  readonly contribution_schema_id: string | null;
  readonly contribution_schema_version: number | null;
  readonly max_bet: Money | null;
  readonly max_win: Money | null;
  /** ISO-8601 UTC. */
  readonly expires_at: string;
  readonly wagering_ends_at: string;
  readonly sticky: boolean;
  readonly excluded_games: readonly string[];
  readonly conflict_group: string | null;
}

export interface GrantIssuedData extends GrantTerms {
  readonly grant_id: string;
  readonly player_id: string;
  readonly trigger: string;
  readonly trigger_ref: string;
}

export type RevokeReason =
  'fraud_velocity' | 'self_exclusion' | 'withdrawal_while_active' | 'terms_breach' | 'manual';
export const REVOKE_REASONS: readonly RevokeReason[] = [
  'fraud_velocity',
  'self_exclusion',
  'withdrawal_while_active',
  'terms_breach',
  'manual',
];

/**
 * The ways an active grant ends; the first one recorded on the stream wins. `conversion_rejected`: a conversion
 * held for four-eyes was rejected, the bonus is forfeited (bonus.revoked + bonus.forfeited cause
 * `conversion_rejected`).
 */
export type GrantEnding =
  | { readonly kind: 'conversion'; readonly completing_bet_id: string }
  | { readonly kind: 'revocation'; readonly reason: RevokeReason; readonly note: string }
  | { readonly kind: 'expiry' }
  | { readonly kind: 'conversion_rejected'; readonly change_request_id: string; readonly note: string };

/**
 * Why a completed grant's conversion waits for a second person: the amount to convert (after the max-win cap)
 * is above the tenant's four-eyes amount, or the player's conversions in a rolling 24 h are at the limit.
 */
export type ConversionHoldReason = 'above_threshold' | 'conversion_velocity';

export interface HeldConversion {
  readonly change_request_id: string;
  readonly completing_bet_id: string;
  /** What the conversion would move into cash: the grant's bonus funds, capped at max win. */
  readonly convertible: Money;
  readonly reasons: readonly ConversionHoldReason[];
}

export type WalletStep = 'credit' | 'credit_reversal' | 'convert' | 'forfeit';

type Event<TType extends string, TData> = { readonly type: TType; readonly data: TData };

export type GrantIssued = Event<'grant.issued', GrantIssuedData>;
export type WalletCallStarted = Event<
  'grant.wallet_call_started',
  { readonly grant_id: string; readonly step: WalletStep; readonly attempt: number; readonly at: string }
>;
export type WalletCallUncertain = Event<
  'grant.wallet_call_uncertain',
  {
    readonly grant_id: string;
    readonly step: WalletStep;
    readonly attempt: number;
    readonly cause: string;
    readonly next_attempt_at: string;
  }
>;
export type CreditRefused = Event<
  'grant.credit_refused',
  { readonly grant_id: string; readonly code: string; readonly message: string }
>;
/** The credit's outcome stays unknown past the budget, or the grant was revoked before it was credited. */
export type CreditReversalRequested = Event<
  'grant.credit_reversal_requested',
  { readonly grant_id: string; readonly reason: string }
>;
export type CreditReversed = Event<
  'grant.credit_reversed',
  { readonly grant_id: string; readonly status: 'rolled_back' | 'not_found' }
>;
export type EndingStarted = Event<
  'grant.ending_started',
  { readonly grant_id: string; readonly ending: GrantEnding }
>;
export type ConvertedInWallet = Event<
  'grant.converted_in_wallet',
  { readonly grant_id: string; readonly converted: Money; readonly wallet_transaction_id: string }
>;
/** wagering.completed arrived but the conversion needs a second person: it waits, the grant still open. */
export type ConversionHeld = Event<'grant.conversion_held', { readonly grant_id: string } & HeldConversion>;
export type WalletStepRefused = Event<
  'grant.wallet_step_refused',
  { readonly grant_id: string; readonly step: WalletStep; readonly code: string; readonly message: string }
>;

export type BonusIssued = Event<'bonus.issued', Record<string, unknown>>;
export type BonusAborted = Event<'bonus.aborted', { readonly grant_id: string; readonly reason: string }>;
export type BonusRevoked = Event<'bonus.revoked', { readonly grant_id: string; readonly reason: string }>;
export type BonusExpired = Event<'bonus.expired', { readonly grant_id: string; readonly reason: string }>;
export type BonusConverted = Event<
  'bonus.converted',
  { readonly grant_id: string; readonly converted: Money; readonly wallet_transaction_id: string | null }
>;
export type BonusForfeited = Event<
  'bonus.forfeited',
  {
    readonly grant_id: string;
    readonly amount: Money;
    readonly cause: 'max_win_cap' | 'revoked' | 'expired' | 'conversion_rejected';
    readonly wallet_transaction_id: string | null;
  }
>;

export type GrantEvent =
  | GrantIssued
  | WalletCallStarted
  | WalletCallUncertain
  | CreditRefused
  | CreditReversalRequested
  | CreditReversed
  | EndingStarted
  | ConversionHeld
  | ConvertedInWallet
  | WalletStepRefused
  | BonusIssued
  | BonusAborted
  | BonusRevoked
  | BonusExpired
  | BonusConverted
  | BonusForfeited;

/** The grant's stream id; a tenant id holds no ':' (wallet keys rely on it too). */
export function grantStreamId(tenantId: string, grantId: string): string {
  return `grant:${tenantId}:${grantId}`;
}
