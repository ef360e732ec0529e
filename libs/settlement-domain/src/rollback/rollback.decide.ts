import { retryDelayMs } from '../retry/retry-policy';
import { SettlementError, SettlementErrorCode } from '../settlement/settlement.error';
import { type RecordRollbackOutcome, type RollbackCommand, type StartRollback } from './rollback.commands';
import { type RollbackEvent } from './rollback.events';
import { isRollbackFinal, type RollbackState } from './rollback.state';

/**
 * The rollback saga's decider. Returning a stake is never given up on: uncertain answers are retried forever
 * (with backoff), since only the wallet's definitive answer says whether the player has their money.
 */
export function decideRollback(command: RollbackCommand, state: RollbackState): RollbackEvent[] {
  switch (command.type) {
    case 'StartRollback':
      return start(command, state);
    case 'BeginRollbackAttempt':
      if (state.status === 'none')
        throw new SettlementError(SettlementErrorCode.NotStarted, 'no rollback to attempt');
      if (isRollbackFinal(state) || !command.walletAvailable) return [];
      return [
        {
          type: 'rollback.attempt_started',
          data: {
            attempt: state.attempts + 1,
            started_at: command.now.toISOString(),
            resumes_unfinished_attempt: state.attemptInFlight,
          },
        },
      ];
    case 'RecordRollbackOutcome':
      return recordOutcome(command, state);
  }
}

function start(command: StartRollback, state: RollbackState): RollbackEvent[] {
  // A repeated request for the same bet: the first one is already returning the stake.
  if (state.status !== 'none') return [];
  if (!Number.isSafeInteger(command.amount.minor_units) || command.amount.minor_units < 0)
    throw new SettlementError(
      SettlementErrorCode.InvalidAmount,
      `invalid amount ${command.amount.minor_units}`,
    );
  return [
    {
      type: 'rollback.started',
      data: {
        bet_id: command.betId,
        amount: command.amount,
        reason: command.reason,
        requested_by: command.requestedBy,
        requested_event_id: command.requestedEventId,
        requested_at: command.requestedAt.toISOString(),
        started_at: command.now.toISOString(),
        facts: command.facts,
      },
    },
  ];
}

function recordOutcome(command: RecordRollbackOutcome, state: RollbackState): RollbackEvent[] {
  if (!state.attemptInFlight || isRollbackFinal(state))
    throw new SettlementError(SettlementErrorCode.NoAttemptInFlight, 'no rollback attempt to record');
  const { outcome } = command;
  const attempt = state.attempts;
  switch (outcome.kind) {
    case 'ok':
      return [
        {
          type: 'rollback.confirmed',
          data: {
            attempt,
            wallet_status: outcome.value.status,
            wallet_transaction_id: outcome.value.transactionId,
            confirmed_at: command.now.toISOString(),
          },
        },
        {
          type: 'bet.rolled_back',
          data: {
            bet_id: state.betId as string,
            amount: state.amount!,
            reason: state.reason as string,
            ...state.facts,
          },
        },
      ];
    case 'rejected':
      return [{ type: 'rollback.refused', data: { attempt, code: outcome.code, message: outcome.message } }];
    case 'uncertain': {
      const delay = retryDelayMs(attempt, command.retry, command.random);
      return [
        {
          type: 'rollback.attempt_failed',
          data: {
            attempt,
            cause: outcome.cause,
            delivered: outcome.delivered,
            next_attempt_at: new Date(command.now.getTime() + delay).toISOString(),
          },
        },
      ];
    }
  }
}
