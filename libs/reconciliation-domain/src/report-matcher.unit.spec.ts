import { dayWindow, DAY_MS, type ExpectedMovement, type WalletReportRow } from './movements';
import { ReportMatcher } from './report-matcher';

const window = dayWindow('2026-03-10');
const noon = window.start + DAY_MS / 2;

function expected(
  betId: string,
  kind: ExpectedMovement['kind'],
  minorUnits: number,
  at = noon,
): ExpectedMovement {
  return {
    transactionKey: `bet:t1:${betId}:${kind}`,
    tenantId: 't1',
    playerId: 'p1',
    kind,
    minorUnits,
    currency: 'EUR',
    occurredAt: at,
  };
}

function rowOf(movement: ExpectedMovement, overrides: Partial<WalletReportRow> = {}): WalletReportRow {
  return {
    transactionKey: movement.transactionKey,
    kind: movement.kind,
    minorUnits: movement.minorUnits,
    currency: movement.currency,
    playerId: movement.playerId,
    bookedAt: movement.occurredAt,
    ...overrides,
  };
}

/** Runs a whole report: every row with the expectation of its key, then every expectation of the mirror. */
function reconcile(mirror: ExpectedMovement[], report: WalletReportRow[], threshold?: number) {
  const matcher = new ReportMatcher(window, threshold);
  const byKey = new Map(mirror.map((movement) => [movement.transactionKey, movement]));
  const found = [
    ...report.map((row) => matcher.matchRow(row, byKey.get(row.transactionKey))),
    ...mirror.map((movement) => matcher.finishExpected(movement)),
  ].filter((discrepancy) => discrepancy !== null);
  return { found, outcome: matcher.outcome() };
}

describe('ReportMatcher', () => {
  it('given a report that agrees with the mirror, when matched, then nothing is flagged and every row matches', () => {
    const mirror = [
      expected('b1', 'debit', 100),
      expected('b1', 'credit', 250),
      expected('b2', 'rollback', 40),
    ];

    const { found, outcome } = reconcile(
      mirror,
      mirror.map((m) => rowOf(m)),
    );

    expect(found).toEqual([]);
    expect(outcome.totals.map((t) => [t.kind, t.matchedCount, t.discrepancyRatio])).toEqual([
      ['debit', 1, 0],
      ['credit', 1, 0],
      ['rollback', 1, 0],
    ]);
    expect(outcome.alerted).toBe(false);
  });

  it('given an expected debit the report lacks, when matched, then it is missing_in_wallet with its expected amount', () => {
    const lost = expected('b1', 'debit', 100);

    const { found, outcome } = reconcile([lost], []);

    expect(found).toEqual([
      expect.objectContaining({
        class: 'missing_in_wallet',
        transactionKey: lost.transactionKey,
        expectedMinorUnits: 100,
        actualMinorUnits: null,
      }),
    ]);
    expect(outcome.totals[0]).toMatchObject({
      expectedMinorUnits: 100,
      discrepantMinorUnits: 100,
      discrepancyRatio: 1,
    });
    expect(outcome.classCounts.missing_in_wallet).toBe(1);
  });

  it('given a wallet row no platform event explains, when matched, then it is unexpected_in_wallet', () => {
    const adjustment: WalletReportRow = {
      transactionKey: 'adj:t1:1',
      kind: 'credit',
      minorUnits: 500,
      currency: 'EUR',
      playerId: 'p9',
      bookedAt: noon,
    };

    const { found } = reconcile([], [adjustment]);

    expect(found).toEqual([
      expect.objectContaining({
        class: 'unexpected_in_wallet',
        expectedMinorUnits: null,
        actualMinorUnits: 500,
        playerId: 'p9',
      }),
    ]);
  });

  it('given another amount or currency on the report, when matched, then it is amount_mismatch', () => {
    const credit = expected('b1', 'credit', 250);
    const debit = expected('b2', 'debit', 100);

    const { found, outcome } = reconcile(
      [credit, debit],
      [rowOf(credit, { minorUnits: 260 }), rowOf(debit, { currency: 'USD' })],
    );

    expect(found.map((d) => [d.class, d.expectedMinorUnits, d.actualMinorUnits, d.walletCurrency])).toEqual([
      ['amount_mismatch', 250, 260, null],
      ['amount_mismatch', 100, 100, 'USD'],
    ]);
    expect(outcome.totals.find((t) => t.kind === 'credit')?.discrepantMinorUnits).toBe(10);
    expect(outcome.totals.find((t) => t.kind === 'debit')?.discrepantMinorUnits).toBe(100);
  });

  it('given one key twice on the report, when matched, then the first row matches and the second is a duplicate', () => {
    const debit = expected('b1', 'debit', 100);

    const { found, outcome } = reconcile([debit], [rowOf(debit), rowOf(debit)]);

    expect(found).toEqual([expect.objectContaining({ class: 'duplicate', actualMinorUnits: 100 })]);
    expect(outcome.totals[0]).toMatchObject({ matchedCount: 1, walletCount: 2, discrepancyCount: 1 });
  });

  it('given a movement of the previous window booked in this one, when matched, then it is late and not in the ratio', () => {
    const yesterday = expected('b1', 'debit', 100, window.start - 1000);

    const { found, outcome } = reconcile([yesterday], [rowOf(yesterday, { bookedAt: window.start + 5 })]);

    expect(found).toEqual([expect.objectContaining({ class: 'late' })]);
    expect(outcome.classCounts.late).toBe(1);
    expect(outcome.totals[0]).toMatchObject({ expectedCount: 0, discrepancyCount: 0, discrepancyRatio: 0 });
  });

  it('given a movement two windows away, when the wallet books it, then it is unexpected, not late', () => {
    const old = expected('b1', 'debit', 100, window.start - 2 * DAY_MS);

    const { found } = reconcile([old], [rowOf(old)]);

    expect(found.map((d) => d.class)).toEqual(['unexpected_in_wallet']);
  });

  it('given a ratio of exactly the threshold, when the totals are decided, then it does not alert; above it does', () => {
    const movements = Array.from({ length: 1000 }, (_, i) => expected(`b${i}`, 'debit', 100));
    const report = movements.slice(1).map((m) => rowOf(m));

    expect(reconcile(movements, report, 0.001).outcome).toMatchObject({
      discrepancyRatio: 0.001,
      alerted: false,
    });
    expect(reconcile(movements, report, 0.0005).outcome).toMatchObject({ alerted: true, threshold: 0.0005 });
  });

  it('given a threshold outside [0, 1], when a matcher is made, then it is refused', () => {
    expect(() => new ReportMatcher(window, 2)).toThrow(RangeError);
  });
});

describe('dayWindow', () => {
  it('given a calendar date, then its UTC day; given a non-date, then a RangeError', () => {
    expect(dayWindow('2026-03-10')).toEqual({ start: Date.UTC(2026, 2, 10), end: Date.UTC(2026, 2, 11) });
    expect(() => dayWindow('2026-02-30')).toThrow(RangeError);
    expect(() => dayWindow('10.03.2026')).toThrow(RangeError);
  });
});
