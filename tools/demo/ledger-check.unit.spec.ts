import { compareLedger, ExpectedLedger } from './ledger-check';
import { type LedgerTotal } from './sandbox-admin';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });
const total = (kind: LedgerTotal['kind'], count: number, minor_units: number): LedgerTotal => ({
  kind,
  currency: 'EUR',
  count,
  minor_units,
  cash_delta_minor_units: kind === 'debit' ? -minor_units : minor_units,
});

function expectedOf(): ExpectedLedger {
  const sut = new ExpectedLedger();
  sut.add('debit', eur(100));
  sut.add('debit', eur(250));
  sut.add('credit', eur(40));
  return sut;
}

describe(compareLedger.name, () => {
  it('holds when every kind matches in count and sum, an absent kind counting as zero', () => {
    const result = compareLedger(expectedOf(), [total('debit', 2, 350), total('credit', 1, 40)]);
    expect(result.ok).toBe(true);
    expect(result.lines).toHaveLength(3);
  });

  it('names a missing movement as lost', () => {
    const result = compareLedger(expectedOf(), [total('debit', 1, 100), total('credit', 1, 40)]);
    expect(result.ok).toBe(false);
    expect(result.lines.join('\n')).toContain('1 lost');
  });

  it('names an extra movement as duplicated', () => {
    const result = compareLedger(expectedOf(), [total('debit', 2, 350), total('credit', 2, 80)]);
    expect(result.ok).toBe(false);
    expect(result.lines.join('\n')).toContain('1 duplicated');
  });

  it('fails on a right count with a wrong sum, and on a kind nobody expected', () => {
    expect(compareLedger(expectedOf(), [total('debit', 2, 351), total('credit', 1, 40)]).ok).toBe(false);
    expect(
      compareLedger(expectedOf(), [total('debit', 2, 350), total('credit', 1, 40), total('convert', 1, 5)])
        .ok,
    ).toBe(false);
  });
});
