import { type Discrepancy } from './discrepancy';
import {
  inWindow,
  type ExpectedMovement,
  type ReconciliationWindow,
  type WalletReportRow,
} from './movements';
import { ReconciliationTotals, type ReconciliationOutcome } from './reconciliation-totals';

/**
 * Matches one tenant's wallet report for one window against the mirror ledger, streaming:
 * 1. `matchRow` for every report row, in any order, with the expected movement of its key (looked up by the
 *    caller in batches, from any window) or undefined;
 * 2. `finishExpected` for every expected movement of the window, after the last row;
 * 3. `outcome()`.
 * Memory: the set of keys seen in the report (to find duplicates and what is missing), plus one total per
 * currency and kind. Each call returns the discrepancy it found, so the caller can persist it at once.
 */
export class ReportMatcher {
  private readonly seen = new Set<string>();
  private readonly totals: ReconciliationTotals;

  constructor(
    private readonly window: ReconciliationWindow,
    threshold?: number,
  ) {
    this.totals = new ReconciliationTotals(threshold);
  }

  matchRow(row: WalletReportRow, expected: ExpectedMovement | undefined): Discrepancy | null {
    if (expected && expected.transactionKey !== row.transactionKey)
      throw new Error(`expected movement ${expected.transactionKey} given for row ${row.transactionKey}`);
    this.totals.walletRow(row.currency, row.kind, row.minorUnits);
    const discrepancy = this.classifyRow(row, expected);
    this.seen.add(row.transactionKey);
    if (discrepancy) this.totals.discrepancy(discrepancy);
    else this.totals.matched(row.currency, row.kind);
    return discrepancy;
  }

  /** An expected movement outside the window is ignored: it belongs to another window's run. */
  finishExpected(expected: ExpectedMovement): Discrepancy | null {
    if (!inWindow(this.window, expected.occurredAt)) return null;
    this.totals.expected(expected.currency, expected.kind, expected.minorUnits);
    if (this.seen.has(expected.transactionKey)) return null;
    const missing: Discrepancy = {
      class: 'missing_in_wallet',
      transactionKey: expected.transactionKey,
      kind: expected.kind,
      playerId: expected.playerId,
      expectedMinorUnits: expected.minorUnits,
      actualMinorUnits: null,
      currency: expected.currency,
      walletCurrency: null,
    };
    this.totals.discrepancy(missing);
    return missing;
  }

  outcome(): ReconciliationOutcome {
    return this.totals.outcome();
  }

  private classifyRow(row: WalletReportRow, expected: ExpectedMovement | undefined): Discrepancy | null {
    const base = {
      transactionKey: row.transactionKey,
      kind: expected?.kind ?? row.kind,
      playerId: expected?.playerId ?? row.playerId,
      expectedMinorUnits: expected?.minorUnits ?? null,
      actualMinorUnits: row.minorUnits,
      currency: expected?.currency ?? row.currency,
      walletCurrency: expected && expected.currency !== row.currency ? row.currency : null,
    };
    if (this.seen.has(row.transactionKey)) return { ...base, class: 'duplicate' };
    if (!expected || !this.isNear(expected.occurredAt)) return { ...base, class: 'unexpected_in_wallet' };
    if (
      expected.minorUnits !== row.minorUnits ||
      expected.currency !== row.currency ||
      expected.kind !== row.kind
    )
      return { ...base, class: 'amount_mismatch' };
    if (!inWindow(this.window, expected.occurredAt)) return { ...base, class: 'late' };
    return null;
  }

  /** The window itself or one of the same length right before or after it. */
  private isNear(at: number): boolean {
    const length = this.window.end - this.window.start;
    return at >= this.window.start - length && at < this.window.end + length;
  }
}
