import {
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState as PolicyState,
  handleAll,
  isBrokenCircuitError,
  SamplingBreaker,
} from 'cockatiel';

import { type WalletOutcome } from './wallet-port';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** Every state, in the order the `wallet_circuit_state{state}` gauge lists them. */
export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'half_open', 'open'];

export interface WalletCircuitBreakerOptions {
  /** Share of the window's calls (0 < ratio < 1) that must be uncertain, strictly more, to open the circuit. */
  readonly failureRatio: number;
  /** Length of the sliding window the ratio is measured over. */
  readonly windowMs: number;
  /** Calls the window must hold before it may open: a handful of failures at low traffic is no verdict. */
  readonly minimumCalls: number;
  /** How long the circuit stays open before one trial call goes through. */
  readonly cooldownMs: number;
  /** Told of every transition (metrics, logs). */
  readonly onStateChange?: (state: CircuitState) => void;
}

export const CIRCUIT_OPEN = { kind: 'uncertain', cause: 'circuit_open', delivered: false } as const;

const REPORTED: Record<PolicyState, CircuitState> = {
  [PolicyState.Closed]: 'closed',
  [PolicyState.Open]: 'open',
  [PolicyState.HalfOpen]: 'half_open',
  [PolicyState.Isolated]: 'open',
};

/**
 * The wallet's circuit breaker, on cockatiel: it opens on the wallet's health, i.e. when more than
 * `failureRatio` of the calls of the last `windowMs` were uncertain (timeout, 5xx, lost or refused connection)
 * and the window holds at least `minimumCalls`, not after a run of failures that one player's burst can cause.
 * `ok` and `rejected` outcomes are successes: the wallet answered. While open, calls are answered
 * `circuit_open`, undelivered, without being sent; after `cooldownMs` exactly one trial call goes out, and the
 * callers arriving while it is in flight are answered `circuit_open` at once too (cockatiel would make them
 * wait for the trial). The trial's success closes the circuit, its failure opens it for another cooldown.
 * cockatiel reads `Date.now()`, so tests move time with Jest's fake timers.
 */
export class WalletCircuitBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private openedAt = 0;

  constructor(private readonly options: WalletCircuitBreakerOptions) {
    this.policy = circuitBreaker(handleAll.orWhenResult(isUncertain), {
      halfOpenAfter: options.cooldownMs,
      breaker: new SamplingBreaker({
        threshold: options.failureRatio,
        duration: options.windowMs,
        // cockatiel wants a rate; it opens once `calls >= duration × rate`. Half a call less than the minimum
        // keeps float rounding (7 calls reading as 7.000000000000001) from asking for one call more.
        minimumRps: ((options.minimumCalls - 0.5) * 1_000) / options.windowMs,
      }),
    });
    this.policy.onStateChange((state) => {
      if (state === PolicyState.Open || state === PolicyState.Isolated) this.openedAt = Date.now();
      // eslint-disable-next-line security/detect-object-injection -- state is cockatiel's CircuitState, a key of REPORTED by type
      options.onStateChange?.(REPORTED[state]);
    });
  }

  /**
   * `half_open` once the cooldown is over, before the trial went out: a caller that looks first (settle-worker
   * defers its steps while `open`) must see that a call may be made, or nothing would ever make the trial.
   */
  get state(): CircuitState {
    const state = this.policy.state;
    if (state === PolicyState.Open && Date.now() - this.openedAt >= this.options.cooldownMs)
      return 'half_open';
    // eslint-disable-next-line security/detect-object-injection -- state is cockatiel's CircuitState, a key of REPORTED by type
    return REPORTED[state];
  }

  async execute<T>(call: () => Promise<WalletOutcome<T>>): Promise<WalletOutcome<T>> {
    // HalfOpen in cockatiel means the trial is in flight; the wallet's callers are not kept waiting for it.
    if (this.policy.state === PolicyState.HalfOpen) return CIRCUIT_OPEN;
    try {
      return await this.policy.execute(call);
    } catch (error) {
      // Open or isolated (IsolatedCircuitError extends BrokenCircuitError): nothing was sent.
      if (isBrokenCircuitError(error)) return CIRCUIT_OPEN;
      // A port is not supposed to throw; when it does, it counted as a failure and the caller hears of it.
      throw error;
    }
  }
}

function isUncertain(result: unknown): boolean {
  return (result as WalletOutcome<unknown> | undefined)?.kind === 'uncertain';
}
