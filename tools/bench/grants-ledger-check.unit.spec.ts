import {
  type ApiAnswer,
  checkGrantLedger,
  creditKey,
  type GrantRow,
  type LedgerCheckInput,
  type LedgerEntry,
} from './grants-ledger-check';

const T = 'brand-a';
const grant = (grantId: string, overrides: Partial<GrantRow> = {}): GrantRow => ({
  grantId,
  offerId: 'api-offer',
  trigger: 'api',
  triggerRef: '',
  amountMinor: 500,
  status: 'active',
  ...overrides,
});
const credit = (grantId: string, amountMinor = 500): LedgerEntry => ({
  transactionId: creditKey(T, grantId),
  kind: 'credit',
  grantId,
  amountMinor,
});
const answer = (key: string, grantId: string, status = 201): ApiAnswer => ({ key, status, grantId });

/** One API grant under k1 (answered twice), one deposit grant, one budget grant: all credited once. */
function aGoodRun(): LedgerCheckInput {
  return {
    tenantId: T,
    grants: [
      grant('g1'),
      grant('g2', { offerId: 'dep', trigger: 'deposit', triggerRef: 'd1', amountMinor: 2_000 }),
      grant('g3', { offerId: 'budget', trigger: 'deposit', triggerRef: 'd1', amountMinor: 1_000 }),
    ],
    answers: [
      answer('k1', 'g1'),
      answer('k1', 'g1', 200),
      { key: 'k2', status: 422, code: 'OFFER_BUDGET_EXHAUSTED' },
    ],
    depositIds: ['d1', 'd1'],
    depositOfferId: 'dep',
    ledger: [credit('g1'), credit('g2', 2_000), credit('g3', 1_000)],
    budget: { offerId: 'budget', budgetMinor: 1_000, maxGrants: 1 },
  };
}

describe(checkGrantLedger.name, () => {
  it('given every grant credited once, one grant per key and deposit, within budget, then OK', () => {
    expect(checkGrantLedger(aGoodRun())).toEqual({
      ok: true,
      lost: [],
      duplicated: [],
      overBudget: [],
      credited: 3,
      budget: { grants: 1, creditedMinor: 1_000, budgetMinor: 1_000, maxGrants: 1 },
    });
  });

  it('given a grant never credited, an answer naming a grant not held and a deposit without a grant, then lost', () => {
    const run = aGoodRun();
    const check = checkGrantLedger({
      ...run,
      ledger: run.ledger.filter((entry) => entry.grantId !== 'g1'),
      answers: [...run.answers, answer('k3', 'g9')],
      depositIds: ['d1', 'd2'],
    });
    expect(check.ok).toBe(false);
    expect(check.lost).toEqual([
      'grant g1 (active) never credited',
      'answer 201 for key k3: grant g9 is not held',
      'deposit d2: no grant of offer dep',
    ]);
    expect(check.credited).toBe(2);
  });

  it('given a credit of another amount, or a grant that is not active, then lost', () => {
    const run = aGoodRun();
    const check = checkGrantLedger({
      ...run,
      grants: run.grants.map((g) => (g.grantId === 'g2' ? { ...g, status: 'aborted' } : g)),
      ledger: [credit('g1', 400), credit('g2', 2_000), credit('g3', 1_000)],
    });
    expect(check.lost).toEqual([
      'grant g1 credited 400, grants 500',
      'grant g2 credited but aborted, not active',
    ]);
  });

  it('given a grant credited twice, a credit of no grant, two grants for a key or a deposit, then duplicated', () => {
    const run = aGoodRun();
    const check = checkGrantLedger({
      ...run,
      grants: [
        ...run.grants,
        grant('g4'),
        grant('g5', { offerId: 'dep', trigger: 'deposit', triggerRef: 'd1', amountMinor: 2_000 }),
        grant('g6'),
      ],
      answers: [...run.answers, answer('k1', 'g4')],
      ledger: [...run.ledger, credit('g1'), credit('g4'), credit('g5', 2_000), credit('g6'), credit('gX')],
    });
    expect(check.duplicated).toEqual([
      'grant g1 credited 2 times',
      `credit ${creditKey(T, 'gX')} (1×) of no grant bonus-grant holds`,
      'key k1 answered with 2 grants: g1, g4',
      'api grant g6 named by no answer (a second grant for a key?)',
      '2 grants for dep/deposit/d1',
    ]);
    expect(check.lost).toEqual([]);
  });

  it('given the budget offer credited past its budget or past max grants, then over budget', () => {
    const run = aGoodRun();
    const check = checkGrantLedger({
      ...run,
      grants: [
        ...run.grants,
        grant('g7', { offerId: 'budget', trigger: 'deposit', triggerRef: 'd3', amountMinor: 1 }),
      ],
      ledger: [...run.ledger, credit('g7', 1)],
      depositIds: ['d1', 'd3'],
    });
    expect(check.overBudget).toEqual([
      'offer budget: 1001 credited, budget 1000',
      'offer budget: 2 grants, max_grants 1',
    ]);
    expect(check.lost).toEqual(['deposit d3: no grant of offer dep']);
  });

  it('counts only credits: forfeits and conversions of a grant are not second credits', () => {
    const run = aGoodRun();
    const check = checkGrantLedger({
      ...run,
      ledger: [
        ...run.ledger,
        { transactionId: `grant:${T}:g1:forfeit`, kind: 'forfeit', grantId: 'g1', amountMinor: 500 },
      ],
    });
    expect(check.ok).toBe(true);
  });
});
