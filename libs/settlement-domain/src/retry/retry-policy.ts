/** How a saga retries an uncertain wallet call: exponential backoff with full jitter, within an optional budget. */
export interface RetryPolicy {
  /** Ceiling of the first retry's delay; it doubles per attempt up to `maxMs`. */
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. Full jitter keeps
 * thousands of sagas that failed together at one wallet outage from retrying together when it returns.
 * `random` is injected (a value in [0, 1)) so the rule is deterministic under test.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.floor(ceiling * random());
}
