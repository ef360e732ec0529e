export interface CircuitBreakerOptions {
  /** Consecutive failures (no definitive answer) that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  readonly openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker in front of one wallet, with the clock passed in (no timers, no I/O). While open, callers
 * skip the wallet and reschedule, so an outage costs neither wallet load nor saga events. After `openMs` one
 * trial call goes through (half open): a definitive answer closes the circuit, another failure re-opens it.
 * A definitive rejection counts as success: the wallet answered.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  state(now: Date): CircuitState {
    if (this.openedAt === null) return 'closed';
    return now.getTime() - this.openedAt >= this.options.openMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; in half-open state only the first caller gets the trial. */
  tryAcquire(now: Date): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** When a caller refused by `tryAcquire` should look again. */
  retryAt(now: Date): Date {
    if (this.openedAt === null) return now;
    return new Date(Math.max(now.getTime(), this.openedAt + this.options.openMs));
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  recordFailure(now: Date): void {
    this.consecutiveFailures += 1;
    const trialFailed = this.trialInFlight;
    this.trialInFlight = false;
    if (trialFailed || this.consecutiveFailures >= this.options.failureThreshold)
      this.openedAt = now.getTime();
  }
}
