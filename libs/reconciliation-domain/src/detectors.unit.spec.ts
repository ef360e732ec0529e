import { betIdOfCreditKey, isSettlementUnresolved, type SettlementWatch } from './detectors';

const watch = (overrides: Partial<SettlementWatch> = {}): SettlementWatch => ({
  requestedAt: 1_000,
  settledCount: 0,
  compensated: false,
  alerted: false,
  ...overrides,
});

describe(isSettlementUnresolved.name, () => {
  it('given a settlement requested longer ago than the timeout and nothing since, then it is unresolved', () => {
    expect(isSettlementUnresolved(watch(), 61_000, 60_000)).toBe(true);
  });

  it('given the timeout has not passed, then it is not', () => {
    expect(isSettlementUnresolved(watch(), 60_999, 60_000)).toBe(false);
  });

  it('given it was settled, compensated or already alerted, or never requested, then it is not', () => {
    expect(isSettlementUnresolved(watch({ settledCount: 1 }), 1e9, 60_000)).toBe(false);
    expect(isSettlementUnresolved(watch({ compensated: true }), 1e9, 60_000)).toBe(false);
    expect(isSettlementUnresolved(watch({ alerted: true }), 1e9, 60_000)).toBe(false);
    expect(isSettlementUnresolved(watch({ requestedAt: null }), 1e9, 60_000)).toBe(false);
  });
});

describe(betIdOfCreditKey.name, () => {
  it("reads the bet of the tenant's credit keys only", () => {
    expect(betIdOfCreditKey('t1', 'bet:t1:b-1:credit')).toBe('b-1');
    expect(betIdOfCreditKey('t1', 'bet:t1:b:1:credit')).toBe('b:1');
    expect(betIdOfCreditKey('t1', 'bet:t1:b-1:debit')).toBeNull();
    expect(betIdOfCreditKey('t1', 'bet:t2:b-1:credit')).toBeNull();
    expect(betIdOfCreditKey('t1', 'adjustment:123')).toBeNull();
  });
});
