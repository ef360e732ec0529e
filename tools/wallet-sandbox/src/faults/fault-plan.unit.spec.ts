import { WalletError } from '../ledger/wallet-error';
import { FaultPlan } from './fault-plan';
import { NO_FAULTS, parseFaultSettings } from './fault-settings';

describe(FaultPlan.name, () => {
  it('does nothing without faults', () => {
    const sut = new FaultPlan(() => 0);
    expect(sut.decide('debit')).toEqual({ kind: 'none' });
    expect(sut.latencyFor('debit')).toBe(0);
  });

  it('applies a rate of 1 always and a rate of 0 never', () => {
    const sut = new FaultPlan(() => 0.999);
    sut.set(parseFaultSettings({ timeout_rate: 1 }));
    expect(sut.decide('credit')).toEqual({ kind: 'timeout' });
    sut.set(parseFaultSettings({ timeout_rate: 0, commit_then_drop_rate: 1 }));
    expect(sut.decide('credit')).toEqual({ kind: 'commit_then_drop' });
  });

  it('draws rates between 0 and 1', () => {
    let next = 0.2;
    const sut = new FaultPlan(() => next);
    sut.set(parseFaultSettings({ error_rate: 0.5 }));
    expect(sut.decide('debit')).toEqual({ kind: 'error' });
    next = 0.7;
    expect(sut.decide('debit')).toEqual({ kind: 'none' });
  });

  it('applies only to the listed operations', () => {
    const sut = new FaultPlan();
    sut.set(parseFaultSettings({ error_rate: 1, latency_ms: 30, operations: ['credit'] }));
    expect(sut.decide('debit')).toEqual({ kind: 'none' });
    expect(sut.latencyFor('debit')).toBe(0);
    expect(sut.decide('credit')).toEqual({ kind: 'error' });
    expect(sut.latencyFor('credit')).toBe(30);
  });
});

describe(parseFaultSettings.name, () => {
  it('resets fields left out', () => {
    expect(parseFaultSettings({})).toEqual(NO_FAULTS);
  });

  it.each([{ error_rate: 1.5 }, { latency_ms: 1.5 }, { operations: ['withdraw'] }, { surprise: true }])(
    'refuses %j',
    (body) => {
      expect(() => parseFaultSettings(body)).toThrow(WalletError);
    },
  );
});
