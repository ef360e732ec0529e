import {
  type BetAuthorized,
  type BetRolledBack,
  type BetSettled,
  type BonusConverted,
  type BonusForfeited,
  type BonusIssued,
  CreditedAs,
  type DepositCaptured,
  type EventEnvelope,
} from '@pitboss/contracts';
import { type MovementKind } from '@pitboss/reconciliation-domain';
import { walletKeys } from '@pitboss/wallet-client';

/** One row of the mirror ledger, as the consumer stores it. */
export interface ExpectedMovementRow {
  readonly tenantId: string;
  readonly transactionKey: string;
  readonly playerId: string;
  readonly kind: MovementKind;
  /** wallet: on the wallet's transaction report; psp: on the PSP's deposit report. */
  readonly ledger: 'wallet' | 'psp';
  readonly minorUnits: number;
  readonly currency: string;
  readonly occurredAt: Date;
  /** The bet, grant or deposit the movement is about. */
  readonly subjectId: string;
  /** The game of a bet's movement (GGR reports); null for promo and deposit movements, or when unknown. */
  readonly gameId: string | null;
  readonly sourceEventId: string;
}

/** The PSP report's key of a deposit (docs/reconciliation.md): the platform's deposit id within the tenant. */
export function depositKey(tenantId: string, depositId: string): string {
  return `deposit:${tenantId}:${depositId}`;
}

/**
 * The movement a money event stands for, keyed as the platform keyed its wallet call (walletKeys), or null:
 * - bet.authorized: the stake debited;
 * - bet.settled: a credit when the wallet was called, i.e. a win above zero or a zero win sent as a credit of 0
 *   (WALLET_ZERO_WIN_CREDIT); its wallet_transaction_id is null when the wallet was not called. None for
 *   `credited_as: bonus_grant` (an entitlement win granted as bonus: its money is the grant's bonus.issued);
 * - bet.rolled_back: the stake returned. It is stored always, but expected only when the bet's debit is (a
 *   rollback of a stake the wallet never took moves no money); the run's query decides, so the order in which the
 *   two topics arrive does not matter;
 * - bonus.issued: the grant's bonus money credited (grant:…:credit); bonus.converted: bonus turned cash
 *   (grant:…:convert); bonus.forfeited: bonus funds taken back (grant:…:forfeit), when the wallet was called;
 * - deposit.captured: a deposit on the PSP's report (deposit:<tenant>:<deposit_id>), windowed by captured_at.
 */
export function expectedMovementOf(envelope: EventEnvelope): ExpectedMovementRow | null {
  const common = {
    tenantId: envelope.tenant_id,
    playerId: envelope.player_id ?? '',
    occurredAt: new Date(envelope.occurred_at),
    sourceEventId: envelope.event_id,
    ledger: 'wallet' as const,
    gameId: null,
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
        subjectId: bet.bet_id,
        gameId: bet.game_id,
      };
    }
    case 'bet.settled': {
      const settled = envelope.payload as unknown as BetSettled;
      if (settled.win.minor_units === 0 && settled.wallet_transaction_id === null) return null;
      // bonus-grant grants such a win (grant:…:credit, expected from its bonus.issued): no cash credit was made.
      if (settled.credited_as === CreditedAs.BonusGrant) return null;
      return {
        ...common,
        transactionKey: walletKeys.credit(envelope.tenant_id, settled.bet_id),
        kind: 'credit',
        minorUnits: settled.win.minor_units,
        currency: settled.win.currency,
        subjectId: settled.bet_id,
        gameId: settled.game_id,
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
        subjectId: rolledBack.bet_id,
        gameId: rolledBack.game_id,
      };
    }
    case 'bonus.issued': {
      const issued = envelope.payload as unknown as BonusIssued;
      return {
        ...common,
        transactionKey: walletKeys.grantCredit(envelope.tenant_id, issued.grant_id),
        kind: 'credit',
        minorUnits: issued.amount.minor_units,
        currency: issued.amount.currency,
        subjectId: issued.grant_id,
      };
    }
    case 'bonus.converted': {
      const converted = envelope.payload as unknown as BonusConverted;
      return {
        ...common,
        transactionKey: walletKeys.convert(envelope.tenant_id, converted.grant_id),
        kind: 'convert',
        minorUnits: converted.converted.minor_units,
        currency: converted.converted.currency,
        subjectId: converted.grant_id,
      };
    }
    case 'bonus.forfeited': {
      const forfeited = envelope.payload as unknown as BonusForfeited;
      // Nothing left to take back: the wallet was not called.
      if (forfeited.amount.minor_units === 0 && forfeited.wallet_transaction_id === null) return null;
      return {
        ...common,
        transactionKey: walletKeys.forfeit(envelope.tenant_id, forfeited.grant_id),
        kind: 'forfeit',
        minorUnits: forfeited.amount.minor_units,
        currency: forfeited.amount.currency,
        subjectId: forfeited.grant_id,
      };
    }
    case 'deposit.captured': {
      const deposit = envelope.payload as unknown as DepositCaptured;
      return {
        ...common,
        ledger: 'psp',
        transactionKey: depositKey(envelope.tenant_id, deposit.deposit_id),
        kind: 'deposit',
        minorUnits: deposit.amount.minor_units,
        currency: deposit.amount.currency,
        occurredAt: new Date(deposit.captured_at),
        subjectId: deposit.deposit_id,
      };
    }
    default:
      return null;
  }
}
