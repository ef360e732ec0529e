import { type CircuitBreaker } from './circuit-breaker';
import {
  type WalletBalance,
  type WalletConvertRequest,
  type WalletOutcome,
  type WalletPort,
  type WalletRollbackRequest,
  type WalletRollbackResult,
  type WalletTransactionRequest,
  type WalletTransactionResult,
} from './wallet-port';

const CIRCUIT_OPEN = { kind: 'uncertain', cause: 'circuit_open', delivered: false } as const;

/**
 * A WalletPort behind a circuit breaker: while the circuit is open, calls return at once as uncertain and
 * undelivered (nothing was sent, so the caller knows no money moved), sparing a wallet in trouble and the
 * caller's latency. Uncertain outcomes count as failures; ok and rejected ones as successes.
 */
export class BreakingWalletClient implements WalletPort {
  constructor(
    private readonly inner: WalletPort,
    readonly breaker: CircuitBreaker,
  ) {}

  debit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.guard(() => this.inner.debit(request));
  }

  credit(request: WalletTransactionRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.guard(() => this.inner.credit(request));
  }

  rollback(request: WalletRollbackRequest): Promise<WalletOutcome<WalletRollbackResult>> {
    return this.guard(() => this.inner.rollback(request));
  }

  convert(request: WalletConvertRequest): Promise<WalletOutcome<WalletTransactionResult>> {
    return this.guard(() => this.inner.convert(request));
  }

  balance(tenantId: string, playerId: string): Promise<WalletOutcome<WalletBalance>> {
    return this.guard(() => this.inner.balance(tenantId, playerId));
  }

  private async guard<T>(call: () => Promise<WalletOutcome<T>>): Promise<WalletOutcome<T>> {
    if (!this.breaker.tryAcquire()) return CIRCUIT_OPEN;
    let outcome: WalletOutcome<T>;
    try {
      outcome = await call();
    } catch (error) {
      // A port is not supposed to throw; if it does, the trial slot must still be released.
      this.breaker.recordFailure();
      throw error;
    }
    if (outcome.kind === 'uncertain') this.breaker.recordFailure();
    else this.breaker.recordSuccess();
    return outcome;
  }
}
