import {
  type BetEvent,
  type BetTerms,
  type CountryTag,
  type MathVersionTag,
  type RollbackRequester,
  type WinCreditTag,
} from './bet-events';
import { type Money } from './money';

/** `funded_by` of a bet an entitlement token paid for: no balance was debited. */
export const ENTITLEMENT_FUNDED_BY = 'entitlement';

/**
 * - `debit_pending`: the intent is recorded and the wallet call is (or was) in flight.
 * - `rejected`: the wallet definitively refused; no money moved.
 * - `rollback_pending` → `rolled_back`: the stake is being (has been) returned; an entitlement bet goes to
 *   `rolled_back` at once (its token is given back, no money moved).
 * - `pending_credit` → `credited` | `compensated`: a settlement was accepted; settle-worker owes the win.
 */
export type BetStatus =
  | 'none'
  | 'debit_pending'
  | 'authorized'
  | 'rejected'
  | 'rollback_pending'
  | 'rolled_back'
  | 'pending_credit'
  | 'credited'
  | 'compensated';

export interface BetState {
  readonly status: BetStatus;
  readonly terms: BetTerms | null;
  readonly balanceAfterDebit: Money | null;
  readonly rejection: { readonly code: string; readonly balance: Money | null } | null;
  readonly win: Money | null;
  readonly rollback: { readonly requestedBy: RollbackRequester; readonly reason: string } | null;
  /** The math version recorded with the intent, carried into the bet's published events. */
  readonly mathVersion?: string | null;
  /** The session's country recorded with the intent, carried into `bet.authorized`. */
  readonly country?: string | null;
  /** Which balance the wallet's debit took the stake from, from `bet.authorized`. */
  readonly fundedBy?: string | null;
  /** How an entitlement bet's win is credited (its `entitlement.consumed`); absent for every other bet (cash). */
  readonly winCredit?: string;
}

export function initialBetState(): BetState {
  return { status: 'none', terms: null, balanceAfterDebit: null, rejection: null, win: null, rollback: null };
}

export function evolveBet(state: BetState, event: BetEvent): BetState {
  switch (event.type) {
    case 'bet.debit_requested': {
      const { math_version, country, ...terms } = event.data;
      return {
        ...state,
        status: 'debit_pending',
        terms,
        ...(math_version ? { mathVersion: math_version } : {}),
        ...(country ? { country } : {}),
      };
    }
    case 'bet.authorized':
      return {
        ...state,
        status: 'authorized',
        balanceAfterDebit: event.data.balance_after,
        ...(event.data.funded_by ? { fundedBy: event.data.funded_by } : {}),
      };
    case 'entitlement.consumed':
      return {
        ...state,
        status: 'authorized',
        balanceAfterDebit: null,
        fundedBy: ENTITLEMENT_FUNDED_BY,
        winCredit: event.data.win_credit,
      };
    case 'entitlement.restored':
      return {
        ...state,
        status: 'rolled_back',
        rollback: { requestedBy: 'AGGREGATOR', reason: event.data.reason },
      };
    case 'bet.rejected':
      return {
        ...state,
        status: 'rejected',
        rejection: { code: event.data.reason_code, balance: event.data.balance ?? null },
      };
    case 'debit.uncertain':
      return state;
    case 'settlement.requested':
      return { ...state, status: 'pending_credit', win: event.data.win };
    case 'rollback.requested':
      return {
        ...state,
        status: 'rollback_pending',
        rollback: { requestedBy: event.data.requested_by, reason: event.data.reason },
      };
    case 'bet.unknown_bet_rolled_back':
      return {
        ...state,
        status: 'rolled_back',
        rollback: { requestedBy: 'AGGREGATOR', reason: event.data.reason },
      };
    case 'bet.credit_confirmed':
      return { ...state, status: 'credited', win: event.data.win };
    case 'bet.credit_compensated':
      return { ...state, status: 'compensated' };
    case 'bet.rollback_confirmed':
      return { ...state, status: 'rolled_back' };
  }
}

export function foldBet(events: readonly BetEvent[]): BetState {
  return events.reduce(evolveBet, initialBetState());
}

/** The bet's math version as its published events carry it: the field only when there is one. */
export function mathVersionTagOf(state: BetState): MathVersionTag {
  return state.mathVersion ? { math_version: state.mathVersion } : {};
}

/** `win_credit` of a bet that names no entitlement: settle-worker credits the win to cash. */
export const CASH_WIN_CREDIT = 'cash';

/** The bet's `win_credit` as its `settlement.requested` carries it: the entitlement's, else cash. */
export function winCreditTagOf(state: BetState): WinCreditTag {
  return { win_credit: state.winCredit ?? CASH_WIN_CREDIT };
}

/** The bet's country as its `bet.authorized` carries it: the field only when the session had one. */
export function countryTagOf(state: BetState): CountryTag {
  return state.country ? { country: state.country } : {};
}
