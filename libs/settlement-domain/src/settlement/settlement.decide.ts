import { CreditedAs } from '@pitboss/contracts';

import { creditDeadline, isBudgetExhausted, nextAttemptAt } from '../retry/credit-budget';
import { type BetFacts, settlementFacts } from '../bet-facts';
import { retryDelayMs } from '../retry/retry-policy';
import {
  type BeginCreditAttempt,
  type RecordCreditOutcome,
  type SettlementCommand,
  type StartSettlement,
} from './settlement.commands';
import { SettlementError, SettlementErrorCode } from './settlement.error';
import { BONUS_WIN_CREDIT, CompensationReason, type SettlementEvent } from './settlement.events';
import { isSettlementFinal, type SettlementState } from './settlement.state';

/** The settlement saga's decider: what to record for a command, given the saga's state. Pure. */
export function decideSettlement(command: SettlementCommand, state: SettlementState): SettlementEvent[] {
  switch (command.type) {
    case 'StartSettlement':
      return start(command, state);
    case 'BeginCreditAttempt':
      return beginAttempt(command, state);
    case 'RecordCreditOutcome':
      return recordOutcome(command, state);
  }
}

function start(command: StartSettlement, state: SettlementState): SettlementEvent[] {
  if (state.status !== 'none') {
    // A redelivered or repeated request for a bet already being settled: the first one stands.
    const sameWin =
      state.win?.minor_units === command.win.minor_units && state.win?.currency === command.win.currency;
    return sameWin
      ? []
      : [
          {
            type: 'settlement.request_conflicted',
            data: { requested_event_id: command.requestedEventId, win: command.win },
          },
        ];
  }
  if (!Number.isSafeInteger(command.win.minor_units) || command.win.minor_units < 0)
    throw new SettlementError(SettlementErrorCode.InvalidAmount, `invalid win ${command.win.minor_units}`);
  const facts = settlementFacts(command.facts, command.bet, command.mathVersion);
  const started: SettlementEvent = {
    type: 'settlement.started',
    data: {
      bet_id: command.betId,
      win: command.win,
      requested_event_id: command.requestedEventId,
      requested_at: command.requestedAt.toISOString(),
      started_at: command.now.toISOString(),
      deadline_at: creditDeadline(command.now, command.budgetMs).toISOString(),
      ...facts,
    },
  };
  // A bonus-credited win is bonus-grant's to grant, and an entitlement bet debited nothing, so it has no
  // wallet round to close: settled at once, without a call, marked so that nobody expects a cash credit.
  if (command.winCredit === BONUS_WIN_CREDIT)
    return settledWithoutCall(command, started, facts, CreditedAs.BonusGrant);
  if (command.win.minor_units > 0 || command.creditZeroWin) return [started];
  // A loss owes nothing and this tenant's wallet needs no round-close credit: settled at once, without a call.
  return settledWithoutCall(command, started, facts, CreditedAs.Cash);
}

/** The start of a settlement that makes no wallet call: confirmed at attempt 0 and settled in the same append. */
function settledWithoutCall(
  command: StartSettlement,
  started: SettlementEvent,
  facts: BetFacts,
  creditedAs: string,
): SettlementEvent[] {
  return [
    started,
    {
      type: 'settlement.credit_confirmed',
      data: { attempt: 0, wallet_transaction_id: null, confirmed_at: command.now.toISOString() },
    },
    {
      type: 'bet.settled',
      data: {
        bet_id: command.betId,
        win: command.win,
        wallet_transaction_id: null,
        ...facts,
        credited_as: creditedAs,
      },
    },
  ];
}

function beginAttempt(command: BeginCreditAttempt, state: SettlementState): SettlementEvent[] {
  if (state.status === 'none')
    throw new SettlementError(SettlementErrorCode.NotStarted, 'no settlement to credit');
  if (isSettlementFinal(state)) return [];
  if (isBudgetExhausted(state.deadlineAt as Date, command.now))
    return [compensated(state, CompensationReason.BudgetExhausted)];
  if (!command.walletAvailable) return [];
  return [
    {
      type: 'settlement.credit_attempt_started',
      data: {
        attempt: state.attempts + 1,
        started_at: command.now.toISOString(),
        resumes_unfinished_attempt: state.attemptInFlight,
      },
    },
  ];
}

function recordOutcome(command: RecordCreditOutcome, state: SettlementState): SettlementEvent[] {
  if (!state.attemptInFlight || isSettlementFinal(state))
    throw new SettlementError(SettlementErrorCode.NoAttemptInFlight, 'no credit attempt to record');
  const { outcome } = command;
  const attempt = state.attempts;
  switch (outcome.kind) {
    case 'ok':
      return [
        {
          type: 'settlement.credit_confirmed',
          data: {
            attempt,
            wallet_transaction_id: outcome.value.transactionId,
            confirmed_at: command.now.toISOString(),
          },
        },
        {
          type: 'bet.settled',
          data: {
            bet_id: state.betId as string,
            win: state.win!,
            wallet_transaction_id: outcome.value.transactionId,
            ...state.facts,
            credited_as: CreditedAs.Cash,
          },
        },
      ];
    case 'rejected':
      return [
        {
          type: 'settlement.credit_rejected',
          data: { attempt, code: outcome.code, message: outcome.message },
        },
        compensated(state, CompensationReason.rejected(outcome.code)),
      ];
    case 'uncertain': {
      const delay = retryDelayMs(attempt, command.retry, command.random);
      return [
        {
          type: 'settlement.credit_attempt_failed',
          data: {
            attempt,
            cause: outcome.cause,
            delivered: outcome.delivered,
            next_attempt_at: nextAttemptAt(command.now, delay, state.deadlineAt as Date).toISOString(),
          },
        },
      ];
    }
  }
}

function compensated(state: SettlementState, reason: string): SettlementEvent {
  return {
    type: 'settlement.compensated',
    data: { bet_id: state.betId as string, win: state.win!, reason },
  };
}
