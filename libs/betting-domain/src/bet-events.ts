import { type BetFactsTag } from './bet-facts';
import { type Money } from './money';

/** What the aggregator said about a bet when it authorized it; a repeated bet_id must repeat all of it. */
export interface BetTerms {
  readonly bet_id: string;
  readonly round_id: string;
  readonly session_id: string;
  readonly player_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly amount: Money;
  readonly bonus_grant_id: string | null;
  /** The game's provider (studio) when the aggregator named it; absent on bets recorded before the field existed. */
  readonly provider?: string | null;
  /** The free-spin or free-bet entitlement the bet uses, when it names one. */
  readonly entitlement_id?: string | null;
}

/**
 * The game's math version the bet was played under (from the game's configuration when the intent was
 * recorded), for RTP per version. Absent for games without a configured math version, and on bets recorded
 * before configs existed.
 */
export interface MathVersionTag {
  readonly math_version?: string | null;
}

/**
 * The player's country (ISO 3166-1 alpha-2) from the bet's session, recorded with the intent and published on
 * `bet.authorized` for reporting by country. Absent when the session was opened without one, and on bets
 * recorded before the field existed.
 */
export interface CountryTag {
  readonly country?: string | null;
}

/**
 * How the bet's win is credited: `cash` (settle-worker credits the wallet) or `bonus` (an entitlement bet whose
 * entitlement credits wins as a bonus grant: no wallet credit, bonus-grant grants the win). Absent on requests
 * recorded before the field existed, which were cash.
 */
export interface WinCreditTag {
  readonly win_credit?: string;
}

export type RollbackRequester = 'AGGREGATOR' | 'SYSTEM';

/** An entitlement bet's authorization: one token taken, no debit (it stands in for bet.authorized). */
export interface EntitlementConsumedData {
  readonly bet_id: string;
  readonly entitlement_id: string;
  readonly game_id: string;
  readonly game_type: string;
  readonly bet_value: Money;
  /** Tokens left after this one. */
  readonly remaining: number;
  readonly win_credit: string;
  readonly provider: string | null;
}

/** An entitlement bet's rollback: the token goes back and the bet is rolled back at once (nothing was debited). */
export interface EntitlementRestoredData {
  readonly bet_id: string;
  readonly entitlement_id: string;
  /** Tokens left after the return. */
  readonly remaining: number;
  readonly reason: string;
}

/**
 * A bet's events, named by their wire type. Types listed in a topic (`bet.authorized`, `settlement.requested`, …)
 * are published on `rgs.rounds.v1`; the others stay inside the gateway: the intent recorded before the wallet
 * call, the tombstone of a rollback for a bet never seen, and the outcomes settle-worker reported back.
 */
export type BetEvent =
  | { readonly type: 'bet.debit_requested'; readonly data: BetTerms & MathVersionTag & CountryTag }
  | {
      readonly type: 'bet.authorized';
      readonly data: {
        readonly bet_id: string;
        readonly game_id: string;
        readonly game_type: string;
        readonly amount: Money;
        readonly bonus_grant_id: string | null;
        readonly wallet_transaction_id: string | null;
        readonly balance_after: Money | null;
        readonly provider?: string | null;
        /** Which balance the debit took the stake from (cash, bonus, mixed), as the wallet answered. */
        readonly funded_by?: string | null;
      } & MathVersionTag &
        CountryTag;
    }
  | {
      readonly type: 'bet.rejected';
      readonly data: {
        readonly bet_id: string;
        readonly game_id: string;
        readonly amount: Money;
        readonly reason_code: string;
        readonly balance?: Money | null;
      } & MathVersionTag;
    }
  | { readonly type: 'debit.uncertain'; readonly data: { bet_id: string; amount: Money; cause: string } }
  | {
      readonly type: 'settlement.requested';
      readonly data: { readonly bet_id: string; readonly win: Money } & MathVersionTag &
        Partial<BetFactsTag> &
        WinCreditTag;
    }
  | {
      readonly type: 'rollback.requested';
      readonly data: {
        readonly bet_id: string;
        readonly amount: Money;
        readonly reason: string;
        readonly requested_by: RollbackRequester;
      } & Partial<Omit<BetFactsTag, 'stake'>>;
    }
  | { readonly type: 'bet.unknown_bet_rolled_back'; readonly data: { bet_id: string; reason: string } }
  | { readonly type: 'entitlement.consumed'; readonly data: EntitlementConsumedData }
  | { readonly type: 'entitlement.restored'; readonly data: EntitlementRestoredData }
  | {
      readonly type: 'bet.credit_confirmed';
      readonly data: { bet_id: string; win: Money; wallet_transaction_id: string | null };
    }
  | { readonly type: 'bet.credit_compensated'; readonly data: { bet_id: string; reason: string } }
  | { readonly type: 'bet.rollback_confirmed'; readonly data: { bet_id: string } };

export type BetEventType = BetEvent['type'];
