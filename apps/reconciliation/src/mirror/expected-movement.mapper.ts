import {
  type BetAuthorized,
  type BetRolledBack,
  type BetSettled,
  type EventEnvelope,
} from '@pitboss/contracts';
import { walletKeys } from '@pitboss/wallet-client';

/** One row of the mirror ledger, as the consumer stores it. */
export interface ExpectedMovementRow {
  readonly tenantId: string;
  readonly transactionKey: string;
  readonly playerId: string;
  readonly kind: 'debit' | 'credit' | 'rollback';
  readonly minorUnits: number;
  readonly currency: string;
  readonly occurredAt: Date;
  readonly betId: string;
  readonly sourceEventId: string;
}

/**
 * The wallet movement a money event stands for, keyed as the platform keyed its wallet call (walletKeys), or null:
 * - bet.authorized: the stake debited;
 * - bet.settled: a credit when the wallet was called, i.e. a win above zero or a zero win sent as a credit of 0
 *   (WALLET_ZERO_WIN_CREDIT); its wallet_transaction_id is null when the wallet was not called;
 * - bet.rolled_back: the stake returned. It is stored always, but expected only when the bet's debit is (a
 *   rollback of a stake the wallet never took moves no money); the run's query decides, so the order in which the
 *   two topics arrive does not matter.
 */
export function expectedMovementOf(envelope: EventEnvelope): ExpectedMovementRow | null {
  const common = {
    tenantId: envelope.tenant_id,
    playerId: envelope.player_id ?? '',
    occurredAt: new Date(envelope.occurred_at),
    sourceEventId: envelope.event_id,
  };
  switch (envelope.event_type) {
    case 'bet.authorized': {
      const bet = envelope.payload as unknown as BetAuthorized;
      return {
        ...common,
        transactionKey: walletKeys.debit(envelope.tenant_id, bet.bet_id),
        kind: 'debit',
        minorUnits: bet.amount.minor_units,
        currency: bet.amount.currency,
        betId: bet.bet_id,
      };
    }
    case 'bet.settled': {
      const settled = envelope.payload as unknown as BetSettled;
      if (settled.win.minor_units === 0 && settled.wallet_transaction_id === null) return null;
      return {
        ...common,
        transactionKey: walletKeys.credit(envelope.tenant_id, settled.bet_id),
        kind: 'credit',
        minorUnits: settled.win.minor_units,
        currency: settled.win.currency,
        betId: settled.bet_id,
      };
    }
    case 'bet.rolled_back': {
      const rolledBack = envelope.payload as unknown as BetRolledBack;
      return {
        ...common,
        transactionKey: walletKeys.rollback(envelope.tenant_id, rolledBack.bet_id),
        kind: 'rollback',
        minorUnits: rolledBack.amount.minor_units,
        currency: rolledBack.amount.currency,
        betId: rolledBack.bet_id,
      };
    }
    default:
      return null;
  }
}
