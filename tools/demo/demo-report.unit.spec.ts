import { type AggregatorClient } from './aggregator-client';
import { DemoBook, type DemoPlayer } from './demo-book';
import { type DemoResults, printDemoReport } from './demo-report';
import { type Fleet } from './fleet';
import { compareLedger } from './ledger-check';
import { type LedgerTotal } from './sandbox-admin';

const client = { transport: 'http' } as AggregatorClient;
const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/** One bet of 500 won 1,200 (or `win`): the wallet must hold 10,700 and show one debit and one credit. */
function resultsWith(walletCash: number, totals: readonly LedgerTotal[], win = 1_200): DemoResults {
  const book = new DemoBook();
  const player: DemoPlayer = {
    playerId: 'p1',
    currency: 'EUR',
    client,
    startCash: 10_000,
    sessionId: 's1',
    game: { id: 'book-of-pitboss', type: 'slot' },
    expectedCash: 10_000,
  };
  book.authorized(player, 'b1', eur(500), 10);
  book.settled(player, 'b1', eur(win), 5);
  return {
    fleet: { logDir: '.stack/demo' } as Fleet,
    tenantId: 't1',
    book,
    refusals: [],
    outcomes: {
      credited: 1,
      compensated: 0,
      rolledBack: 0,
      missing: [],
      duplicated: [],
      settleLagsMs: [40],
      rollbackLagsMs: [],
    },
    statuses: { checked: 1, wrong: [] },
    balances: [{ player, actual: walletCash }],
    ledger: compareLedger(book.ledger, totals),
    trafficMs: 1_000,
  };
}

const total = (kind: LedgerTotal['kind'], minor_units: number): LedgerTotal => ({
  kind,
  currency: 'EUR',
  count: 1,
  minor_units,
  cash_delta_minor_units: 0,
});

describe(printDemoReport.name, () => {
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('answers 0 when the balance and the ledger are exactly what the answers promised', () => {
    expect(printDemoReport(resultsWith(10_700, [total('debit', 500), total('credit', 1_200)]))).toBe(0);
  });

  it('answers 1 when a balance is off by one minor unit', () => {
    expect(printDemoReport(resultsWith(10_699, [total('debit', 500), total('credit', 1_200)]))).toBe(1);
  });

  it('answers 1 when the ledger lost a credit', () => {
    expect(printDemoReport(resultsWith(10_700, [total('debit', 500)]))).toBe(1);
  });

  it('answers 0 for a loss whose credit of 0 is in the ledger', () => {
    expect(printDemoReport(resultsWith(9_500, [total('debit', 500), total('credit', 0)], 0))).toBe(0);
  });

  it('answers 1 when the ledger lost the credit of 0 that closes a loss', () => {
    expect(printDemoReport(resultsWith(9_500, [total('debit', 500)], 0))).toBe(1);
  });
});
