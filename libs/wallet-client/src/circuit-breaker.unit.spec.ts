import { CircuitBreaker, type CircuitState } from './circuit-breaker';

function breaker(now: { ms: number }, changes: CircuitState[] = []) {
  return new CircuitBreaker({
    failureThreshold: 3,
    cooldownMs: 1_000,
    clock: () => now.ms,
    onStateChange: (state) => changes.push(state),
  });
}

describe(CircuitBreaker.name, () => {
  it('stays closed below the threshold and a success resets the count', () => {
    const sut = breaker({ ms: 0 });
    sut.recordFailure();
    sut.recordFailure();
    sut.recordSuccess();
    sut.recordFailure();
    sut.recordFailure();
    expect(sut.state).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
  });

  it('opens after N consecutive failures and refuses calls during the cooldown', () => {
    const now = { ms: 0 };
    const sut = breaker(now);
    for (let i = 0; i < 3; i++) sut.recordFailure();
    expect(sut.state).toBe('open');
    now.ms = 999;
    expect(sut.tryAcquire()).toBe(false);
  });

  it('lets exactly one trial through when half-open; its success closes the circuit', () => {
    const now = { ms: 0 };
    const changes: CircuitState[] = [];
    const sut = breaker(now, changes);
    for (let i = 0; i < 3; i++) sut.recordFailure();
    now.ms = 1_000;
    expect(sut.state).toBe('half_open');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(false);
    sut.recordSuccess();
    expect(sut.state).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('re-opens for another cooldown when the trial fails', () => {
    const now = { ms: 0 };
    const sut = breaker(now);
    for (let i = 0; i < 3; i++) sut.recordFailure();
    now.ms = 1_500;
    expect(sut.tryAcquire()).toBe(true);
    sut.recordFailure();
    expect(sut.state).toBe('open');
    now.ms = 2_499;
    expect(sut.tryAcquire()).toBe(false);
    now.ms = 2_500;
    expect(sut.tryAcquire()).toBe(true);
  });
});
