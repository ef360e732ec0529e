import { authorized, debitRequested, eur, given, settlementRequested, codeOf } from './bet.fixtures';
import { publicStatusOf } from './bet-reply';
import { decideRollback } from './rollback-bet.decider';
import { decideSettle } from './settle-bet.decider';
import { decideSettlementOutcome } from './settlement-outcome.decider';

const settle = (win = eur(250), round_id = 'round-1') => ({ bet_id: 'bet-1', round_id, win });

describe(decideSettle.name, () => {
  const sut = decideSettle;

  it('requests the settlement of an authorized bet', () => {
    expect(sut(settle(), given(debitRequested(), authorized()))).toEqual([settlementRequested()]);
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
        data: { bet_id: 'bet-1', amount: eur(100), reason: 'game error', requested_by: 'AGGREGATOR' },
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
