import { type LedgerTotal } from './sandbox-admin';

type Kind = 'debit' | 'credit' | 'rollback';
const KINDS: readonly Kind[] = ['debit', 'credit', 'rollback'];

/**
 * What the wallet's ledger must hold for a run, from the gateway's answers alone: one debit per authorized bet,
 * one credit per settled bet (a loss is a credit of 0), one rollback per rolled-back stake.
 */
export class ExpectedLedger {
  private readonly sums = new Map<string, { count: number; minorUnits: number }>();

  add(kind: Kind, amount: { minor_units: number; currency: string }): void {
    const key = `${kind}:${amount.currency}`;
    const sum = this.sums.get(key) ?? { count: 0, minorUnits: 0 };
    this.sums.set(key, { count: sum.count + 1, minorUnits: sum.minorUnits + amount.minor_units });
  }

  get(kind: Kind, currency: string): { count: number; minorUnits: number } {
    return this.sums.get(`${kind}:${currency}`) ?? { count: 0, minorUnits: 0 };
  }

  currencies(): string[] {
    return [...new Set([...this.sums.keys()].map((key) => key.split(':')[1] as string))].sort();
  }
}

export interface LedgerComparison {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * The sandbox's totals for the run's tenant against the expectation, per kind and currency: a smaller count is
 * a lost movement, a larger one a duplicated movement; any other kind (a convert) is unexpected.
 */
export function compareLedger(expected: ExpectedLedger, totals: readonly LedgerTotal[]): LedgerComparison {
  const lines: string[] = [];
  let ok = true;
  const currencies = [
    ...new Set([...expected.currencies(), ...totals.map((total) => total.currency)]),
  ].sort();
  for (const currency of currencies) {
    for (const kind of KINDS) {
      const want = expected.get(kind, currency);
      const got = totals.find((total) => total.kind === kind && total.currency === currency);
      const count = got?.count ?? 0;
      const sum = got?.minor_units ?? 0;
      const match = count === want.count && sum === want.minorUnits;
      ok &&= match;
      const verdict = match
        ? 'OK'
        : `MISMATCH: ${count < want.count ? `${want.count - count} lost` : `${count - want.count} duplicated`}` +
          (count === want.count ? `, sum off by ${sum - want.minorUnits}` : '');
      lines.push(
        `${kind.padEnd(9)} ${currency}  ledger ${String(count).padStart(5)} / ${String(sum).padStart(9)}   ` +
          `expected ${String(want.count).padStart(5)} / ${String(want.minorUnits).padStart(9)}   ${verdict}`,
      );
    }
  }
  for (const other of totals.filter((total) => !KINDS.includes(total.kind as Kind))) {
    ok = false;
    lines.push(`${other.kind} ${other.currency}: ${other.count} unexpected entries (${other.minor_units})`);
  }
  return { ok, lines };
}
