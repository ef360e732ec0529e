/**
 * Backoff for uncertain wallet answers. The bonus credit has a budget (`creditMaxAttempts`): past it the grant is
 * aborted with a reversal by key, because a player must not wait for a bonus forever. A reversal, a conversion
 * and a forfeit are never given up (money is owed one way or the other); they back off up to `maxMs`.
 */
export interface GrantRetryPolicy {
  readonly creditMaxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_GRANT_RETRY: GrantRetryPolicy = { creditMaxAttempts: 5, baseMs: 500, maxMs: 60_000 };

/** Exponential backoff with jitter in [50 %, 100 %] of the step, so replicas retrying together spread out. */
export function nextAttemptAt(
  now: Date,
  attempt: number,
  policy: GrantRetryPolicy,
  random: () => number,
): Date {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return new Date(now.getTime() + Math.round(step * (0.5 + random() / 2)));
}
