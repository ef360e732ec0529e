import { type CircuitState, WalletCircuitBreaker } from './wallet-circuit-breaker';
import { type WalletOutcome } from './wallet-port';

type Outcome = WalletOutcome<string>;

const ok: Outcome = { kind: 'ok', value: 'v' };
const rejected: Outcome = { kind: 'rejected', code: 'INSUFFICIENT_FUNDS', message: 'low' };
const timeout: Outcome = { kind: 'uncertain', cause: 'timeout', delivered: true };
const circuitOpen = { kind: 'uncertain', cause: 'circuit_open', delivered: false };

// cockatiel reads Date.now(); Jest's modern fake timers move it by hand.
beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

function breaker(changes: CircuitState[] = []) {
  return new WalletCircuitBreaker({
    failureRatio: 0.5,
    windowMs: 10_000,
    minimumCalls: 10,
    cooldownMs: 1_000,
    onStateChange: (state) => changes.push(state),
  });
}

/** Runs the outcomes through the breaker one after the other; resolves to how many reached the "wallet". */
async function feed(sut: WalletCircuitBreaker, outcomes: readonly Outcome[]): Promise<number> {
  let sent = 0;
  for (const outcome of outcomes)
    await sut.execute(async () => {
      sent += 1;
      return outcome;
    });
  return sent;
}

const times = (n: number, outcome: Outcome): Outcome[] => Array.from({ length: n }, () => outcome);

async function opened(sut: WalletCircuitBreaker) {
  await feed(sut, times(10, timeout));
  expect(sut.state).toBe('open');
}

describe(WalletCircuitBreaker.name, () => {
  it('stays closed below the minimum number of calls, even when every one failed', async () => {
    const sut = breaker();
    await feed(sut, times(9, timeout));
    expect(sut.state).toBe('closed');
  });

  it('stays closed while no more than the failure ratio of the window failed, however many failures', async () => {
    const sut = breaker();
    const mixed = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? ok : timeout));
    await feed(sut, mixed);
    expect(sut.state).toBe('closed');
  });

  it('counts a rejection as a success: the wallet answered', async () => {
    const sut = breaker();
    await feed(sut, [...times(10, rejected), ...times(10, timeout)]);
    expect(sut.state).toBe('closed');
  });

  it('opens once more than the ratio of at least the minimum calls failed, and answers without sending', async () => {
    const changes: CircuitState[] = [];
    const sut = breaker(changes);
    await feed(sut, [...times(4, ok), ...times(5, timeout)]);
    expect(sut.state).toBe('closed');
    await feed(sut, [timeout]);
    expect(sut.state).toBe('open');
    expect(changes).toEqual(['open']);
    jest.advanceTimersByTime(999);
    let sent = 0;
    const answer = await sut.execute(async () => {
      sent += 1;
      return ok;
    });
    expect([answer, sent]).toEqual([circuitOpen, 0]);
  });

  it('forgets failures older than the window', async () => {
    const sut = breaker();
    await feed(sut, times(9, timeout));
    for (let second = 1; second <= 10; second++) {
      jest.advanceTimersByTime(1_000);
      await feed(sut, [ok]);
    }
    // With the first 9 still counted this would be 18 failures of 28 calls; in the window it is 9 of 19.
    await feed(sut, times(9, timeout));
    expect(sut.state).toBe('closed');
  });

  it('after the cooldown lets exactly one trial through, answers the others at once; its success closes', async () => {
    const changes: CircuitState[] = [];
    const sut = breaker(changes);
    await opened(sut);
    jest.advanceTimersByTime(1_000);
    expect(sut.state).toBe('half_open');

    let release: (outcome: Outcome) => void = () => undefined;
    let sent = 0;
    const trial = sut.execute(() => {
      sent += 1;
      return new Promise<Outcome>((resolve) => (release = resolve));
    });
    const during = await sut.execute(async () => {
      sent += 1;
      return ok;
    });
    expect([during, sent]).toEqual([circuitOpen, 1]);
    release(rejected);
    expect(await trial).toEqual(rejected);
    expect(sut.state).toBe('closed');
    expect(await feed(sut, [ok])).toBe(1);
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('re-opens for another cooldown when the trial fails', async () => {
    const sut = breaker();
    await opened(sut);
    jest.advanceTimersByTime(1_500);
    expect(await feed(sut, [timeout])).toBe(1);
    expect(sut.state).toBe('open');
    jest.advanceTimersByTime(999);
    expect(await feed(sut, [ok])).toBe(0);
    jest.advanceTimersByTime(1);
    expect(sut.state).toBe('half_open');
    expect(await feed(sut, [ok])).toBe(1);
    expect(sut.state).toBe('closed');
  });

  it('counts a call that throws as a failure and rethrows it', async () => {
    const sut = breaker();
    await feed(sut, times(9, timeout));
    await expect(sut.execute(() => Promise.reject(new Error('port bug')))).rejects.toThrow('port bug');
    expect(sut.state).toBe('open');
  });
});
