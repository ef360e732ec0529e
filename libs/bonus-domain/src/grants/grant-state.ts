import {
  type GrantEnding,
  type GrantEvent,
  type GrantIssuedData,
  type HeldConversion,
  type WalletStep,
} from './grant-events';
import { type Money } from './grant-money';

/**
 * - `issued`: recorded, the bonus credit not confirmed yet (the saga credits it);
 * - `reversing`: the credit is being reversed (uncertain past the budget, or revoked before it was confirmed);
 * - `active`: credited and announced (bonus.issued);
 * - `conversion_pending_approval`: wagering completed but the conversion waits for a second person (a change
 *   request); still open: a revoke or the expiry may end it, an approval converts, a rejection forfeits;
 * - `ending`: one of conversion, revocation or expiry won and its wallet steps are under way;
 * - final: `aborted`, `converted`, `revoked`, `expired`; `failed` when the wallet refused an ending step
 *   (operations must look: the alert says which).
 */
export type GrantStatus =
  | 'none'
  | 'issued'
  | 'reversing'
  | 'active'
  | 'conversion_pending_approval'
  | 'ending'
  | 'aborted'
  | 'converted'
  | 'revoked'
  | 'expired'
  | 'failed';

export interface GrantState {
  readonly status: GrantStatus;
  readonly grant: GrantIssuedData | null;
  /** The wallet step in flight or due next, with its attempt count so far. */
  readonly step: WalletStep | null;
  readonly attempts: number;
  /** When the next wallet attempt is due (ISO); null: nothing to do by time. */
  readonly due_at: string | null;
  /** An attempt was started and its outcome is not recorded: a crash in between; it is resumed by key. */
  readonly in_flight: boolean;
  readonly ending: GrantEnding | null;
  /** The conversion held for four-eyes (kept after it was decided, for the read API). */
  readonly held_conversion: HeldConversion | null;
  readonly converted: Money | null;
  readonly converted_transaction_id: string | null;
  readonly abort_reason: string | null;
  readonly issued_at: string | null;
  readonly ended_at: string | null;
}

export function initialGrantState(): GrantState {
  return {
    status: 'none',
    grant: null,
    step: null,
    attempts: 0,
    due_at: null,
    in_flight: false,
    ending: null,
    held_conversion: null,
    converted: null,
    converted_transaction_id: null,
    abort_reason: null,
    issued_at: null,
    ended_at: null,
  };
}

/** Steps of an ending, in order: a capped conversion converts, then forfeits the excess; the others forfeit. */
export function endingSteps(ending: GrantEnding, grant: GrantIssuedData): WalletStep[] {
  if (ending.kind !== 'conversion') return ['forfeit'];
  return grant.max_win === null ? ['convert'] : ['convert', 'forfeit'];
}

export function evolveGrant(
  state: GrantState,
  event: GrantEvent,
  at: string = new Date().toISOString(),
): GrantState {
  switch (event.type) {
    case 'grant.issued':
      return {
        ...state,
        status: 'issued',
        grant: event.data,
        step: 'credit',
        attempts: 0,
        due_at: at,
        issued_at: at,
      };
    case 'grant.wallet_call_started':
      return { ...state, step: event.data.step, attempts: event.data.attempt, in_flight: true, due_at: null };
    case 'grant.wallet_call_uncertain':
      return { ...state, in_flight: false, due_at: event.data.next_attempt_at };
    case 'grant.credit_refused':
      return {
        ...state,
        in_flight: false,
        due_at: null,
        abort_reason: `${event.data.code}: ${event.data.message}`,
      };
    case 'grant.credit_reversal_requested':
      return {
        ...state,
        status: 'reversing',
        step: 'credit_reversal',
        attempts: 0,
        in_flight: false,
        due_at: at,
        abort_reason: event.data.reason,
      };
    case 'grant.credit_reversed':
      return { ...state, in_flight: false, due_at: null };
    case 'bonus.issued':
      return {
        ...state,
        status: 'active',
        step: null,
        attempts: 0,
        in_flight: false,
        due_at: state.grant?.expires_at ?? null,
      };
    case 'bonus.aborted':
      return { ...state, status: 'aborted', step: null, in_flight: false, due_at: null, ended_at: at };
    case 'grant.ending_started': {
      const steps = state.grant ? endingSteps(event.data.ending, state.grant) : ['forfeit' as const];
      return {
        ...state,
        status: 'ending',
        ending: event.data.ending,
        step: steps[0] ?? 'forfeit',
        attempts: 0,
        in_flight: false,
        due_at: at,
      };
    }
    case 'grant.conversion_held': {
      const { grant_id: _grantId, ...held } = event.data;
      // The expiry timer stays: a held grant still expires at expires_at.
      return { ...state, status: 'conversion_pending_approval', held_conversion: held };
    }
    case 'grant.converted_in_wallet':
      return {
        ...state,
        converted: event.data.converted,
        converted_transaction_id: event.data.wallet_transaction_id,
        step: 'forfeit',
        attempts: 0,
        in_flight: false,
        due_at: at,
      };
    case 'grant.wallet_step_refused':
      return { ...state, status: 'failed', in_flight: false, due_at: null, ended_at: at };
    case 'bonus.converted':
      return { ...state, status: 'converted', step: null, in_flight: false, due_at: null, ended_at: at };
    case 'bonus.revoked':
      return { ...state, status: 'revoked', step: null, in_flight: false, due_at: null, ended_at: at };
    case 'bonus.expired':
      return { ...state, status: 'expired', step: null, in_flight: false, due_at: null, ended_at: at };
    case 'bonus.forfeited':
      return state;
  }
}

export function isFinal(status: GrantStatus): boolean {
  return ['aborted', 'converted', 'revoked', 'expired', 'failed'].includes(status);
}
