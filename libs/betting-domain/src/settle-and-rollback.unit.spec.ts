import {
  aBet,
  aBetsFacts,
  authorized,
  codeOf,
  debitRequested,
  eur,
  given,
  settlementRequested,
} from './bet.fixtures';
import { decideDebitOutcome } from './debit-outcome.decider';
import { publicStatusOf } from './bet-reply';
import { decideRollback } from './rollback-bet.decider';
import { decideSettle } from './settle-bet.decider';
import { decideSettlementOutcome } from './settlement-outcome.decider';

const settle = (win = eur(250), round_id = 'round-1') => ({ bet_id: 'bet-1', round_id, win });
const { stake: _stake, ...rollbackFacts } = aBetsFacts;

describe(decideSettle.name, () => {
  const sut = decideSettle;

  it('requests the settlement of an authorized bet', () => {
    expect(sut(settle(), given(debitRequested(), authorized()))).toEqual([settlementRequested()]);
  });

  it("carries the bet's provider, grant and the balance the wallet debited into the request", () => {
    const terms = aBet({ provider: 'netent', bonus_grant_id: 'grant-1' });
    const debited = { kind: 'debited', transactionId: 'tx-1', balance: eur(900), fundedBy: 'bonus' } as const;
    const history = [debitRequested(terms)];
    const events = [...history, ...decideDebitOutcome(debited, given(...history))];

    expect(sut(settle(), given(...events))[0]?.data).toEqual({
      bet_id: 'bet-1',
      win: eur(250),
      ...aBetsFacts,
      provider: 'netent',
      bonus_grant_id: 'grant-1',
      funded_by: 'bonus',
      win_credit: 'cash',
    });
  });

  it('answers the same settlement again without a second request, and refuses another win', () => {
    const state = given(debitRequested(), authorized(), settlementRequested());
    expect(sut(settle(), state)).toEqual([]);
    expect(codeOf(() => sut(settle(eur(1)), state))).toBe('BET_ALREADY_SETTLED');
  });

  it.each([
    ['BET_NOT_FOUND', given(), settle()],
    ['BET_NOT_FOUND', given(debitRequested()), settle()],
    ['BET_NOT_FOUND', given(debitRequested(), authorized()), settle(eur(1), 'round-2')],
    ['CURRENCY_MISMATCH', given(debitRequested(), authorized()), settle({ minor_units: 1, currency: 'USD' })],
  ])('refuses with %s', (code, state, command) => {
    expect(codeOf(() => sut(command, state))).toBe(code);
  });

  it('refuses to settle a rolled-back bet', () => {
    const rolledBack = given(
      debitRequested(),
      authorized(),
      ...decideRollback({ bet_id: 'bet-1', reason: 'x' }, given(debitRequested(), authorized())),
    );
    expect(codeOf(() => sut(settle(), rolledBack))).toBe('BET_ALREADY_ROLLED_BACK');
  });
});

describe(decideRollback.name, () => {
  const sut = decideRollback;
  const rollback = { bet_id: 'bet-1', reason: 'game error' };

  it('tombstones a bet it never saw and answers rolled_back', () => {
    const events = sut(rollback, given());
    expect(publicStatusOf(given(...events))).toBe('rolled_back');
  });

  it('requests the return of an authorized stake', () => {
    expect(sut(rollback, given(debitRequested(), authorized()))).toEqual([
      {
        type: 'rollback.requested',
        data: {
          bet_id: 'bet-1',
          amount: eur(100),
          reason: 'game error',
          requested_by: 'AGGREGATOR',
          ...rollbackFacts,
        },
      },
    ]);
  });

  it('refuses once a settlement was accepted, credited or not', () => {
    const pending = given(debitRequested(), authorized(), settlementRequested());
    expect(codeOf(() => sut(rollback, pending))).toBe('BET_ALREADY_SETTLED');
    const credited = given(
      debitRequested(),
      authorized(),
      settlementRequested(),
      ...decideSettlementOutcome(
        'bet-1',
        { type: 'bet.settled', win: eur(250), walletTransactionId: 'c' },
        pending,
      ),
    );
    expect(publicStatusOf(credited)).toBe('credited');
    expect(codeOf(() => sut(rollback, credited))).toBe('BET_ALREADY_SETTLED');
  });
});

describe(decideSettlementOutcome.name, () => {
  const sut = decideSettlementOutcome;

  it('records an outcome once, whatever the redelivery', () => {
    const pending = given(debitRequested(), authorized(), settlementRequested());
    const settled = { type: 'bet.settled', win: eur(250), walletTransactionId: 'c' } as const;
    const first = sut('bet-1', settled, pending);
    expect(first).toHaveLength(1);
    expect(
      sut('bet-1', settled, given(debitRequested(), authorized(), settlementRequested(), ...first)),
    ).toEqual([]);
  });
});
