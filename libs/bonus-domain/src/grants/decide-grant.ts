import {
  type BonusForfeited,
  type ConversionHoldReason,
  type GrantEnding,
  type GrantEvent,
  type GrantIssuedData,
  type WalletStep,
} from './grant-events';
import { type Money } from './grant-money';
import { nextAttemptAt, type GrantRetryPolicy } from './grant-retry';
import { type GrantState } from './grant-state';

/** A wallet answer as the saga needs it (the wallet client's outcome, without its transport details). */
export type GrantWalletOutcome =
  | {
      readonly kind: 'ok';
      readonly transactionId: string;
      readonly converted?: Money;
      readonly forfeited?: Money;
      readonly status?: 'rolled_back' | 'not_found';
    }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string }
  | { readonly kind: 'uncertain'; readonly cause: string };

export type GrantCommand =
  | { readonly type: 'Issue'; readonly grant: GrantIssuedData }
  | { readonly type: 'BeginWalletCall'; readonly now: Date }
  | {
      readonly type: 'RecordWalletOutcome';
      readonly step: WalletStep;
      readonly outcome: GrantWalletOutcome;
      readonly now: Date;
      readonly retry: GrantRetryPolicy;
      readonly random: () => number;
    }
  | {
      readonly type: 'StartEnding';
      readonly ending: GrantEnding;
      readonly now: Date;
      /** A conversion's four-eyes facts (wagering.completed); without them a conversion starts at once. */
      readonly conversion?: ConversionCheck;
    }
  | {
      readonly type: 'DecideHeldConversion';
      readonly approve: boolean;
      readonly change_request_id: string;
      readonly note: string;
    };

/** What the service measured before a conversion: the decider says whether it must wait for a second person. */
export interface ConversionCheck {
  /** The grant's bonus funds capped at max win: what the conversion would move into cash. */
  readonly convertible: Money;
  /** The tenant's conversion four-eyes amount (minor units); null: none. */
  readonly threshold_minor: number | null;
  /** The player's conversions in the rolling 24 h: `limit` when this one would exceed them. */
  readonly velocity: 'allowed' | 'limit';
  /** The change request that will carry the held conversion, if it is held. */
  readonly change_request_id: string;
}

/** Why a conversion waits for a second person; empty: it converts at once. */
export function conversionHoldReasons(check: ConversionCheck): ConversionHoldReason[] {
  const reasons: ConversionHoldReason[] = [];
  if (check.threshold_minor !== null && check.convertible.minor_units > check.threshold_minor)
    reasons.push('above_threshold');
  if (check.velocity === 'limit') reasons.push('conversion_velocity');
  return reasons;
}

/**
 * The grant saga as a pure decider: the events a command adds to the stream, given its state. An empty list
 * means "nothing to do" (a repeat, a lost race, not due yet): the caller reads the state for its answer. Every
 * wallet call is bracketed by `grant.wallet_call_started` before it and its outcome after it.
 */
export function decideGrant(command: GrantCommand, state: GrantState): GrantEvent[] {
  switch (command.type) {
    case 'Issue':
      return state.status === 'none' ? [{ type: 'grant.issued', data: command.grant }] : [];
    case 'BeginWalletCall':
      return beginWalletCall(state, command.now);
    case 'RecordWalletOutcome':
      return recordOutcome(state, command);
    case 'StartEnding':
      return startEnding(state, command.ending, command.now, command.conversion);
    case 'DecideHeldConversion':
      return decideHeldConversion(state, command);
  }
}

/** When the saga next needs the timer: a due wallet step, or the expiry of an active grant. */
export function grantDueAt(state: GrantState): Date | null {
  return state.due_at === null ? null : new Date(state.due_at);
}

function beginWalletCall(state: GrantState, now: Date): GrantEvent[] {
  const grant = state.grant;
  if (grant === null || state.step === null) return [];
  if (!['issued', 'reversing', 'ending'].includes(state.status)) return [];
  if (!state.in_flight && (state.due_at === null || Date.parse(state.due_at) > now.getTime())) return [];
  // A started attempt whose outcome was never recorded (a crash) is resumed under the same attempt number.
  const attempt = state.in_flight ? state.attempts : state.attempts + 1;
  return [
    {
      type: 'grant.wallet_call_started',
      data: { grant_id: grant.grant_id, step: state.step, attempt, at: now.toISOString() },
    },
  ];
}

function recordOutcome(
  state: GrantState,
  command: Extract<GrantCommand, { type: 'RecordWalletOutcome' }>,
): GrantEvent[] {
  const grant = state.grant;
  // Only the outcome of the step in flight counts: a late answer of a step the saga moved past is ignored.
  if (grant === null || !state.in_flight || state.step !== command.step) return [];
  const { outcome, now } = command;
  const grantId = grant.grant_id;
  if (outcome.kind === 'uncertain') {
    if (command.step === 'credit' && state.attempts >= command.retry.creditMaxAttempts)
      return [
        {
          type: 'grant.credit_reversal_requested',
          data: {
            grant_id: grantId,
            reason: `credit uncertain after ${state.attempts} attempts (${outcome.cause})`,
          },
        },
      ];
    return [
      {
        type: 'grant.wallet_call_uncertain',
        data: {
          grant_id: grantId,
          step: command.step,
          attempt: state.attempts,
          cause: outcome.cause,
          next_attempt_at: nextAttemptAt(now, state.attempts, command.retry, command.random).toISOString(),
        },
      },
    ];
  }
  if (outcome.kind === 'rejected') {
    if (command.step === 'credit')
      return [
        {
          type: 'grant.credit_refused',
          data: { grant_id: grantId, code: outcome.code, message: outcome.message },
        },
        {
          type: 'bonus.aborted',
          data: { grant_id: grantId, reason: `wallet refused the credit: ${outcome.code}` },
        },
      ];
    return [
      {
        type: 'grant.wallet_step_refused',
        data: { grant_id: grantId, step: command.step, code: outcome.code, message: outcome.message },
      },
    ];
  }
  switch (command.step) {
    case 'credit':
      return [{ type: 'bonus.issued', data: bonusIssuedPayload(grant) }];
    case 'credit_reversal':
      return [
        {
          type: 'grant.credit_reversed',
          data: { grant_id: grantId, status: outcome.status ?? 'rolled_back' },
        },
        { type: 'bonus.aborted', data: { grant_id: grantId, reason: state.abort_reason ?? '' } },
      ];
    case 'convert': {
      const converted = outcome.converted ?? zero(grant);
      if (grant.max_win !== null)
        return [
          {
            type: 'grant.converted_in_wallet',
            data: { grant_id: grantId, converted, wallet_transaction_id: outcome.transactionId },
          },
        ];
      return [
        {
          type: 'bonus.converted',
          data: { grant_id: grantId, converted, wallet_transaction_id: outcome.transactionId },
        },
      ];
    }
    case 'forfeit':
      return endingEvents(state, grant, outcome.forfeited ?? zero(grant), outcome.transactionId);
  }
}

function endingEvents(
  state: GrantState,
  grant: GrantIssuedData,
  forfeited: Money,
  txId: string,
): GrantEvent[] {
  const grantId = grant.grant_id;
  const forfeit = (cause: BonusForfeited['data']['cause']): BonusForfeited => ({
    type: 'bonus.forfeited',
    data: { grant_id: grantId, amount: forfeited, cause, wallet_transaction_id: txId },
  });
  const ending = state.ending;
  switch (ending?.kind) {
    case 'conversion':
      return [
        {
          type: 'bonus.converted',
          data: {
            grant_id: grantId,
            converted: state.converted ?? zero(grant),
            wallet_transaction_id: state.converted_transaction_id,
          },
        },
        ...(forfeited.minor_units > 0 ? [forfeit('max_win_cap')] : []),
      ];
    case 'revocation':
      return [
        {
          type: 'bonus.revoked',
          data: { grant_id: grantId, reason: revokeText(ending.reason, ending.note) },
        },
        forfeit('revoked'),
      ];
    case 'conversion_rejected':
      return [
        {
          type: 'bonus.revoked',
          data: {
            grant_id: grantId,
            reason: revokeText(
              `conversion_rejected (change request ${ending.change_request_id})`,
              ending.note,
            ),
          },
        },
        forfeit('conversion_rejected'),
      ];
    case 'expiry':
    case undefined:
      return [
        { type: 'bonus.expired', data: { grant_id: grantId, reason: 'expires_at reached' } },
        forfeit('expired'),
      ];
  }
}

function startEnding(
  state: GrantState,
  ending: GrantEnding,
  now: Date,
  check: ConversionCheck | undefined,
): GrantEvent[] {
  const grant = state.grant;
  if (grant === null) return [];
  // Revoked before the credit was confirmed: the credit is reversed by key and the grant aborted.
  if (state.status === 'issued' && ending.kind === 'revocation')
    return [
      {
        type: 'grant.credit_reversal_requested',
        data: {
          grant_id: grant.grant_id,
          reason: `revoked before credit: ${revokeText(ending.reason, ending.note)}`,
        },
      },
    ];
  // A held conversion leaves the grant open: a revoke or the expiry may still end it.
  const held = state.status === 'conversion_pending_approval';
  if (state.status !== 'active' && !held) return [];
  if (ending.kind === 'expiry' && Date.parse(grant.expires_at) > now.getTime()) return [];
  // A rejected conversion ends only through its change request; a completion redelivered while held adds nothing.
  if (ending.kind === 'conversion_rejected' || (held && ending.kind === 'conversion')) return [];
  if (ending.kind === 'conversion' && check !== undefined) {
    const reasons = conversionHoldReasons(check);
    if (reasons.length > 0)
      return [
        {
          type: 'grant.conversion_held',
          data: {
            grant_id: grant.grant_id,
            change_request_id: check.change_request_id,
            completing_bet_id: ending.completing_bet_id,
            convertible: check.convertible,
            reasons,
          },
        },
      ];
  }
  return [{ type: 'grant.ending_started', data: { grant_id: grant.grant_id, ending } }];
}

/**
 * The second person's decision on a held conversion: approval converts it through the usual ending (same wallet
 * keys), rejection forfeits the bonus. Nothing when the grant is no longer held (a revoke or the expiry won).
 */
function decideHeldConversion(
  state: GrantState,
  command: Extract<GrantCommand, { type: 'DecideHeldConversion' }>,
): GrantEvent[] {
  const grant = state.grant;
  const held = state.held_conversion;
  if (grant === null || held === null || state.status !== 'conversion_pending_approval') return [];
  const ending: GrantEnding = command.approve
    ? { kind: 'conversion', completing_bet_id: held.completing_bet_id }
    : { kind: 'conversion_rejected', change_request_id: command.change_request_id, note: command.note };
  return [{ type: 'grant.ending_started', data: { grant_id: grant.grant_id, ending } }];
}

function revokeText(reason: string, note: string): string {
  return note === '' ? reason : `${reason}: ${note}`;
}

function zero(grant: GrantIssuedData): Money {
  return { minor_units: 0, currency: grant.amount.currency };
}

/** bonus.issued as promo.grants.v1 carries it (timestamps in epoch milliseconds). */
export function bonusIssuedPayload(grant: GrantIssuedData): Record<string, unknown> {
  return {
    grant_id: grant.grant_id,
    offer_id: grant.offer_id,
    amount: grant.amount,
    max_bet: grant.max_bet,
    expires_at: Date.parse(grant.expires_at),
    offer_version: grant.offer_version,
    trigger: grant.trigger,
    trigger_ref: grant.trigger_ref,
    wagering_required: grant.wagering_required,
    wagering_base: grant.wagering_base,
    contribution_schema_id: grant.contribution_schema_id,
    contribution_schema_version: grant.contribution_schema_version,
    max_win: grant.max_win,
    wagering_ends_at: Date.parse(grant.wagering_ends_at),
    sticky: grant.sticky,
    excluded_games: [...grant.excluded_games],
  };
}
