import { BreakingWalletClient } from './breaking-wallet-client';
import { WalletCircuitBreaker } from './wallet-circuit-breaker';
import { type WalletOutcome, type WalletPort, type WalletTransactionResult } from './wallet-port';

type DebitOutcome = WalletOutcome<WalletTransactionResult>;

const request = {
  tenantId: 't',
  playerId: 'p',
  transactionId: 'k',
  amount: { minor_units: 1, currency: 'EUR' },
};
const uncertain: DebitOutcome = { kind: 'uncertain', cause: 'timeout', delivered: true };
const rejected: DebitOutcome = { kind: 'rejected', code: 'INSUFFICIENT_FUNDS', message: 'low' };

/** A wallet answering from a script, counting the calls that reached it. */
function scriptedWallet(outcomes: DebitOutcome[]) {
  const wallet = { calls: 0 } as WalletPort & { calls: number };
  wallet.debit = async () => {
    wallet.calls += 1;
    return outcomes.shift() ?? uncertain;
  };
  return wallet;
}

describe(BreakingWalletClient.name, () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('short-circuits as undelivered once the breaker opens, and lets a trial through after the cooldown', async () => {
    const wallet = scriptedWallet([uncertain, uncertain, rejected]);
    const sut = new BreakingWalletClient(
      wallet,
      new WalletCircuitBreaker({ failureRatio: 0.5, windowMs: 10_000, minimumCalls: 2, cooldownMs: 100 }),
    );
    await sut.debit(request);
    await sut.debit(request);
    expect(await sut.debit(request)).toEqual({ kind: 'uncertain', cause: 'circuit_open', delivered: false });
    expect(wallet.calls).toBe(2);
    jest.advanceTimersByTime(100);
    expect(await sut.debit(request)).toEqual(rejected);
    expect(sut.breaker.state).toBe('closed');
  });
});
