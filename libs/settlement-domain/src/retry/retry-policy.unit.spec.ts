import { isBudgetExhausted, nextAttemptAt } from './credit-budget';
import { retryDelayMs } from './retry-policy';

describe(retryDelayMs.name, () => {
  const sut = retryDelayMs;
  const policy = { baseMs: 200, maxMs: 1_000 };

  it('doubles the ceiling per attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 10, 500].map((attempt) => sut(attempt, policy, () => 1))).toEqual([
      200, 400, 800, 1_000, 1_000, 1_000,
    ]);
  });

  it('jitters uniformly between zero and the ceiling', () => {
    expect(sut(3, policy, () => 0)).toBe(0);
    expect(sut(3, policy, () => 0.5)).toBe(400);
  });
});

describe(nextAttemptAt.name, () => {
  const sut = nextAttemptAt;
  const now = new Date('2026-01-01T00:00:00Z');
  const deadline = new Date('2026-01-01T00:00:01Z');

  it('is now plus the delay, but never past the deadline', () => {
    expect(sut(now, 500, deadline)).toEqual(new Date('2026-01-01T00:00:00.500Z'));
    expect(sut(now, 5_000, deadline)).toEqual(deadline);
  });

  it('makes the budget exhausted at the deadline itself', () => {
    expect(isBudgetExhausted(deadline, deadline)).toBe(true);
    expect(isBudgetExhausted(deadline, now)).toBe(false);
  });
});
