/**
 * The credit budget rule: a settlement keeps retrying its credit until `budgetMs` after it started, then it is
 * compensated (handed to operations). Counting from the saga's start rather than the round's `occurred_at`
 * means a backlog that the worker consumes late still gets the whole budget of attempts.
 */
export function creditDeadline(startedAt: Date, budgetMs: number): Date {
  return new Date(startedAt.getTime() + budgetMs);
}

export function isBudgetExhausted(deadlineAt: Date, now: Date): boolean {
  return now.getTime() >= deadlineAt.getTime();
}

/** The next attempt never waits past the deadline: at the deadline the saga compensates instead of waiting on. */
export function nextAttemptAt(now: Date, delayMs: number, deadlineAt: Date): Date {
  return new Date(Math.min(now.getTime() + delayMs, deadlineAt.getTime()));
}
