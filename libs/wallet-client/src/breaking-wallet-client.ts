import { type WalletCircuitBreaker } from './wallet-circuit-breaker';
import {
  type WalletBalance,
  type WalletConvertRequest,
  type WalletForfeitRequest,
  type WalletOutcome,
  type WalletPort,
  type WalletRollbackRequest,
  type WalletRollbackResult,
  type WalletTransactionRequest,
  type WalletTransactionResult,
} from './wallet-port';

/**
 * A WalletPort behind a circuit breaker: while the circuit is open, calls return at once as uncertain and
 * undelivered (nothing was sent, so the caller knows no money moved), sparing a wallet in trouble and the
 * caller's latency. Uncertain outcomes count as failures; ok and rejected ones as successes.
 */
export class BreakingWalletClient implements WalletPort {
  constructor(
    private readonly inner: WalletPort,
    readonly breaker: WalletCircuitBreaker,
  ) {}

  debit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.breaker.execute(() => this.inner.debit(request));
  }

  credit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.breaker.execute(() => this.inner.credit(request));
  }

  rollback(request: WalletRollbackRequest): Promise<WalletOutcome<WalletRollbackResult>> {
    return this.breaker.execute(() => this.inner.rollback(request));
  }

  convert(request: WalletConvertRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.breaker.execute(() => this.inner.convert(request));
  }

  forfeit(request: WalletForfeitRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.breaker.execute(() => this.inner.forfeit(request));
  }

  balance(tenantId: string, playerId: string): Promise<WalletOutcome<WalletBalance>> {
    return this.breaker.execute(() => this.inner.balance(tenantId, playerId));
  }
}
