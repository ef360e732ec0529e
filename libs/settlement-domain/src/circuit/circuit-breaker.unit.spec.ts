import { CircuitBreaker } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(T0.getTime() + ms);
  const anOpenBreaker = () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 });
    breaker.recordFailure(T0);
    breaker.recordFailure(T0);
    return breaker;
  };

  it('stays closed below the failure threshold, and a success resets the count', () => {
    const sut = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 });

    sut.recordFailure(T0);
    sut.recordSuccess();
    sut.recordFailure(T0);

    expect(sut.state(T0)).toBe('closed');
    expect(sut.tryAcquire(T0)).toBe(true);
  });

  it('opens at the threshold and refuses calls until openMs has passed', () => {
    const sut = anOpenBreaker();

    expect(sut.state(at(999))).toBe('open');
    expect(sut.tryAcquire(at(999))).toBe(false);
    expect(sut.retryAt(at(10))).toEqual(at(1_000));
  });

  it('lets exactly one trial through when half open', () => {
    const sut = anOpenBreaker();

    expect([sut.tryAcquire(at(1_000)), sut.tryAcquire(at(1_000))]).toEqual([true, false]);
  });

  it('closes after a successful trial and re-opens after a failed one', () => {
    const closing = anOpenBreaker();
    closing.tryAcquire(at(1_000));
    closing.recordSuccess();
    const reopening = anOpenBreaker();
    reopening.tryAcquire(at(1_000));
    reopening.recordFailure(at(1_000));

    expect(closing.state(at(1_000))).toBe('closed');
    expect(reopening.state(at(1_500))).toBe('open');
  });
});
