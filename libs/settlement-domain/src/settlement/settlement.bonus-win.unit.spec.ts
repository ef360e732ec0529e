import { decideSettlement } from './settlement.decide';
import { aStart, given, recordedFacts, T0 } from './settlement.fixtures';
import { settlementDueAt } from './settlement.state';

/** An entitlement bet whose wins are credited as bonus: bonus-grant grants the win, the wallet is not called. */
describe('decideSettlement of a bonus-credited win', () => {
  const sut = decideSettlement;
  const win = { minor_units: 1_500, currency: 'EUR' };

  it('given win_credit bonus, when the settlement starts, then it is settled at once with no wallet credit', () => {
    const events = sut(aStart({ win, winCredit: 'bonus' }), given([]));

    expect(events.map((event) => event.type)).toEqual([
      'settlement.started',
      'settlement.credit_confirmed',
      'bet.settled',
    ]);
    expect(events[1]?.data).toMatchObject({ attempt: 0, wallet_transaction_id: null });
    expect(events[2]?.data).toEqual({
      bet_id: 'bet-1',
      win,
      wallet_transaction_id: null,
      ...recordedFacts,
      credited_as: 'bonus_grant',
    });
    expect(given(events).status).toBe('credited');
    expect(settlementDueAt(given(events), T0)).toBeNull();
  });

  it('given win_credit bonus and a tenant that credits zero wins, when the win is 0, then still no wallet call', () => {
    const zero = { minor_units: 0, currency: 'EUR' };
    const events = sut(aStart({ win: zero, winCredit: 'bonus', creditZeroWin: true }), given([]));

    expect(events[2]).toMatchObject({
      type: 'bet.settled',
      data: { win: zero, wallet_transaction_id: null, credited_as: 'bonus_grant' },
    });
  });

  it('given a bonus-credited settlement already settled, when the request is redelivered, then nothing more', () => {
    const history = sut(aStart({ win, winCredit: 'bonus' }), given([]));

    expect(sut(aStart({ win, winCredit: 'bonus' }), given(history))).toEqual([]);
  });

  it('given win_credit cash, when the settlement starts, then it waits for the wallet credit as any win', () => {
    const events = sut(aStart({ win, winCredit: 'cash' }), given([]));

    expect(events.map((event) => event.type)).toEqual(['settlement.started']);
    expect(settlementDueAt(given(events), T0)).toEqual(T0);
  });
});
