import { type Money, type SettledBetFacts, type WageringTerms, type ZeroReason } from './wagering-terms';

/**
 * A grant's wagering stream (`wagering:<tenant>:<grant_id>`). `wagering.progressed`, `wagering.completed` and
 * `wagering.reversed` are public (promo.wagering.v1, through the outbox); the others are the stream's own record:
 * its terms, a receipt per settled bet considered, rollbacks and the grant's end.
 */
export interface WageringStarted {
  readonly type: 'wagering.started';
  readonly data: { readonly terms: WageringTerms };
}

/** The receipt of one settled bet: what it was, the rule and version applied, what it added and why not. */
export interface BetConsidered {
  readonly type: 'wagering.bet_considered';
  readonly data: {
    readonly bet: SettledBetFacts;
    /** false: the bet fed another grant of the player (one bet feeds one grant). */
    readonly feeds_this_grant: boolean;
    readonly schema_id: string | null;
    readonly schema_version: number | null;
    readonly rule: string;
    readonly pct_bp: number;
    readonly contribution: Money;
    readonly reason: ZeroReason | null;
  };
}

export interface WageringProgressedEvent {
  readonly type: 'wagering.progressed';
  readonly data: {
    readonly grant_id: string;
    readonly bet_id: string;
    readonly stake: Money;
    readonly contribution: Money;
    readonly contributed: Money;
    readonly required: Money;
    readonly schema_id: string;
    readonly schema_version: number;
    readonly rule: string;
    readonly pct_bp: number;
  };
}

export interface WageringCompletedEvent {
  readonly type: 'wagering.completed';
  readonly data: {
    readonly grant_id: string;
    readonly contributed: Money;
    readonly required: Money;
    readonly completing_bet_id: string;
  };
}

export interface BetRolledBackNoted {
  readonly type: 'wagering.bet_rolled_back';
  readonly data: { readonly bet_id: string };
}

export interface WageringReversedEvent {
  readonly type: 'wagering.reversed';
  readonly data: {
    readonly grant_id: string;
    readonly bet_id: string;
    readonly contribution: Money;
    readonly contributed: Money;
  };
}

/** promo.grants.v1 said the grant ended (bonus.converted, revoked, expired, aborted): nothing counts after it. */
export interface WageringEnded {
  readonly type: 'wagering.ended';
  readonly data: { readonly reason: string };
}

export type WageringEvent =
  | WageringStarted
  | BetConsidered
  | WageringProgressedEvent
  | WageringCompletedEvent
  | BetRolledBackNoted
  | WageringReversedEvent
  | WageringEnded;

export function wageringStreamId(tenantId: string, grantId: string): string {
  return `wagering:${tenantId}:${grantId}`;
}
