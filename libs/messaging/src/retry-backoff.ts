export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Exponential backoff with full jitter: spreads the retries of many consumers hitting one failing dependency. */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}
