export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive uncertain outcomes that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one trial call goes through. */
  readonly cooldownMs: number;
  /** Milliseconds now; injectable so tests move time by hand. */
  readonly clock?: () => number;
  /** Told of every transition (metrics, logs). */
  readonly onStateChange?: (state: CircuitState) => void;
}

/**
 * Closed → open after `failureThreshold` consecutive failures → half-open after `cooldownMs`, when exactly one
 * trial call goes through: its success closes the circuit, its failure opens it again for another cooldown.
 * A failure is an uncertain outcome (the wallet did not answer); a rejection is a success: the wallet answered.
 * No timers and no I/O.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private reported: CircuitState = 'closed';
  private readonly clock: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.clock = options.clock ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.clock() - this.openedAt >= this.options.cooldownMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now. While half-open only the first caller gets through (the trial). */
  tryAcquire(): boolean {
    const state = this.state;
    this.report(state);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
    this.report('closed');
  }

  recordFailure(): void {
    this.failures += 1;
    const trialFailed = this.trialInFlight;
    this.trialInFlight = false;
    if (trialFailed || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.clock();
      this.report('open');
    }
  }

  private report(state: CircuitState): void {
    if (state === this.reported) return;
    this.reported = state;
    this.options.onStateChange?.(state);
  }
}
